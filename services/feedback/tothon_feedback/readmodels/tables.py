"""Tables of the feedback service's read database."""

from sqlalchemy import JSON, Boolean, Column, Float, Index, Integer, MetaData, String, Table, Text, Uuid

from tothon_shared.attachments.store import AttachmentStore
from tothon_shared.auth.revocations import Revocations
from tothon_shared.kernel.sqltypes import UtcDateTime
from tothon_shared.readstore.directory import Directory
from tothon_shared.readstore.store import bookkeeping_tables

metadata = MetaData()
bookkeeping_tables(metadata)
DIRECTORY = Directory(metadata)
REVOCATIONS = Revocations(metadata)
# The photos and files themselves: kept by content, not projected (rebuilds leave them alone).
ATTACHMENTS = AttachmentStore(metadata, "attachment")  # attachment_blobs, attachment_uploads

# Each case as it stands, projected from the service's own events (``cases.py``): the queues, the
# resident's page and the public outcomes read it.
cases = Table(
    "feedback_cases",
    metadata,
    Column("case_id", Uuid, primary_key=True),
    Column("category", String(60), nullable=False),
    Column("status", String(20), nullable=False),
    Column("level", String(10), nullable=False),
    # The unit handling the case now, and the unit it came from (the resident's group).
    Column("unit_id", Uuid, nullable=False),
    Column("origin_unit_id", Uuid, nullable=False),
    Column("channel", String(10), nullable=False),
    Column("resident", String(80), nullable=False, index=True),
    Column("submitted_by", String(80), nullable=False),
    Column("text", Text, nullable=False),
    Column("address", String(300), nullable=False),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("name_public", Boolean, nullable=False),
    Column("public_name", String(200)),  # shown with the outcome only when the resident allowed it
    Column("attachments", JSON, nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    # When the case reached its current unit, and that unit's deadlines; ``due`` is the one it
    # works to now (to accept, then to resolve), NULL once no unit is working on it.
    Column("arrived_at", UtcDateTime, nullable=False),
    Column("accept_by", UtcDateTime, nullable=False),
    Column("resolve_by", UtcDateTime, nullable=False),
    Column("due", UtcDateTime),
    Column("assignee", String(80)),
    Column("answer", Text),
    Column("evidence", JSON, nullable=False),
    Column("resolved_at", UtcDateTime),
    Column("resolved_on_time", Boolean),
    Column("closed_at", UtcDateTime),
    Column("rating", Integer),
    Column("escalations", Integer, nullable=False),
    Column("reopenings", Integer, nullable=False),
    # Deadlines the case missed: escalations by the system, resolutions after the deadline.
    Column("deadlines_missed", Integer, nullable=False),
    Column("merged_into", Uuid),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    # The queue of a unit: its open cases by deadline.
    Index("ix_feedback_cases_queue", "unit_id", "status", "due"),
    Index("ix_feedback_cases_origin", "origin_unit_id", "submitted_at"),
    Index("ix_feedback_cases_public", "status", "resolved_at"),
    Index("ix_feedback_cases_submitted", "submitted_at"),
)

# Every step of every case: the timeline (internal steps marked, for officials only).
case_steps = Table(
    "feedback_case_steps",
    metadata,
    Column("case_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("step", String(20), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("public", Boolean, nullable=False),
    Column("text", Text),
    Column("unit_id", Uuid),
    Column("level", String(10)),
    Column("detail", JSON, nullable=False),
    Index("ix_feedback_case_steps_at", "at"),
)

# The statistics, summed per unit a case came from and month of submission (``statistics.py``):
# a unit's figures for a period add a few rows per group, not a count over a million cases.
statistics = Table(
    "feedback_statistics",
    metadata,
    Column("origin_unit_id", Uuid, primary_key=True),
    Column("month", String(7), primary_key=True),  # YYYY-MM in Vietnam
    *(
        Column(name, Integer, nullable=False, default=0)
        for name in (
            "received",
            "handled_at_group",
            "resolved",
            "resolved_on_time",
            "late",
            "escalated",
            "reopened",
            "rejected",
            "merged",
            "closed",
            "ratings",
            "rating_total",
        )
    ),
)

# Which case cites which file, as the resident's attachment or as the evidence of an answer: who
# may see a file follows who may see a case citing it (evidence of a resolved case is public).
case_files = Table(
    "feedback_case_files",
    metadata,
    Column("case_id", Uuid, primary_key=True),
    Column("sha256", String(64), primary_key=True),
    Column("kind", String(10), primary_key=True),  # attachment | evidence
    Index("ix_feedback_case_files_sha256", "sha256"),
)

# The Open311 keys issued to other systems (``open311_keys.py``): names and dates, never secrets.
open311_keys = Table(
    "open311_keys",
    metadata,
    Column("key_id", Uuid, primary_key=True),
    Column("system", String(200), nullable=False),
    Column("issued_by", String(80), nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("reason", Text, nullable=False),
    Column("revoked_by", String(80)),
    Column("revoked_at", UtcDateTime),
)
