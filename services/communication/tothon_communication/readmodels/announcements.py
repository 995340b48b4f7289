"""Announcements for the API: a projection of the notices' own events (one row a notice, its
narrowing groups, one row a household that read or acknowledged it), and the queries that work
out, from the unit tree and the directory's households, who a notice reaches.

No row is written per household a notice reaches: a household's feed is the notices written at
a unit of its lineage (narrowed, when groups are named, to those whose group is among them), so a
city-wide notice costs its one row; a household that acts gets a receipt row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text, Uuid, and_, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from tothon_communication.domain.announcement import Announcement, Receipt
from tothon_communication.readmodels.audiences import household_bands, household_mask, in_bands, mask_of
from tothon_communication.readmodels.conversations import household_lineage
from tothon_communication.readmodels.tables import DIRECTORY, metadata
from tothon_shared.auth.lineage import unit_tree
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.kernel.sqltypes import UtcDateTime
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.definition import ProjectionSpec

announcements = Table(
    "announcements",
    metadata,
    Column("announcement_id", Uuid, primary_key=True),
    Column("unit_id", Uuid, nullable=False, index=True),
    Column("narrowed", Boolean, nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("category", String(20), nullable=False),
    Column("priority", String(10), nullable=False),
    Column("requires_ack", Boolean, nullable=False),
    Column("publish_at", UtcDateTime, nullable=False, index=True),
    Column("expires_at", UtcDateTime),
    Column("author", String(80), nullable=False),
    Column("edition", Integer, nullable=False),
    Column("retracted_reason", Text),
)
# The groups a narrowed notice is for (a notice for the whole subtree has none).
announcement_groups = Table(
    "announcement_groups",
    metadata,
    Column("announcement_id", Uuid, primary_key=True),
    Column("unit_id", Uuid, primary_key=True, index=True),
)
# How a notice is narrowed beyond its units, for the few that are: to households with a member in
# some age bands (a mask, see ``audiences``), and whether it is addressed to the heads of household.
announcement_audiences = Table(
    "announcement_audiences",
    metadata,
    Column("announcement_id", Uuid, primary_key=True),
    Column("bands", Integer, nullable=False),
    Column("heads_only", Boolean, nullable=False),
)
# The photos and PDFs a notice carries (uploads of the conversations' attachment store).
announcement_attachments = Table(
    "announcement_attachments",
    metadata,
    Column("announcement_id", Uuid, primary_key=True),
    Column("attachment_id", Uuid, primary_key=True),
    Column("position", Integer, nullable=False),
)
receipts = Table(
    "announcement_receipts",
    metadata,
    Column("receipt_id", Uuid, primary_key=True),
    Column("announcement_id", Uuid, nullable=False),
    Column("household_id", Uuid, nullable=False, index=True),
    Column("unit_id", Uuid, nullable=False, index=True),
    Column("read_at", UtcDateTime),
    Column("acknowledged_at", UtcDateTime),
    Column("means", String(20)),
    Index("announcement_receipts_once", "announcement_id", "household_id", unique=True),
)
_EVENTS = (
    Announcement.Written,
    Announcement.Edited,
    Announcement.Retracted,
    Receipt.Opened,
    Receipt.Read,
    Receipt.Acknowledged,
)


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """Update the announcement tables for a page of events, in order."""
    for logged in batch:
        event = logged.event
        if isinstance(event, Announcement.Written):
            session.execute(
                announcements.insert().values(
                    announcement_id=event.originator_id,
                    unit_id=event.unit_id,
                    narrowed=bool(event.groups),
                    title=event.title,
                    body=event.body,
                    category=event.category,
                    priority=event.priority,
                    requires_ack=event.requires_ack,
                    publish_at=event.publish_at,
                    expires_at=event.expires_at,
                    author=event.author,
                    edition=1,
                )
            )
            if event.groups:
                session.execute(
                    announcement_groups.insert(),
                    [{"announcement_id": event.originator_id, "unit_id": g} for g in event.groups],
                )
            if event.attachments:
                session.execute(
                    announcement_attachments.insert(),
                    [
                        {"announcement_id": event.originator_id, "attachment_id": UUID(a), "position": n}
                        for n, a in enumerate(event.attachments)
                    ],
                )
            if event.bands or event.heads_only:
                session.execute(
                    announcement_audiences.insert().values(
                        announcement_id=event.originator_id,
                        bands=mask_of(event.bands),
                        heads_only=event.heads_only,
                    )
                )
        elif isinstance(event, Announcement.Edited):
            session.execute(
                announcements.update()
                .where(announcements.c.announcement_id == event.originator_id)
                .values(title=event.title, body=event.body, edition=announcements.c.edition + 1)
            )
        elif isinstance(event, Announcement.Retracted):
            session.execute(
                announcements.update()
                .where(announcements.c.announcement_id == event.originator_id)
                .values(retracted_reason=event.reason)
            )
        elif isinstance(event, Receipt.Opened):
            session.execute(
                receipts.insert().values(
                    receipt_id=event.originator_id,
                    announcement_id=event.announcement_id,
                    household_id=event.household_id,
                    unit_id=event.unit_id,
                )
            )
        elif isinstance(event, Receipt.Read | Receipt.Acknowledged):
            values: dict[str, Any] = {"read_at": func.coalesce(receipts.c.read_at, event.at)}
            if isinstance(event, Receipt.Acknowledged):
                values |= {"acknowledged_at": event.at, "means": event.means}
            session.execute(
                receipts.update().where(receipts.c.receipt_id == event.originator_id).values(**values)
            )


PROJECTION = ProjectionSpec(
    "announcements",
    apply,
    (announcements, announcement_groups, announcement_audiences, announcement_attachments, receipts),
    events=_EVENTS,
)


# --- who a notice reaches ---


def reaching(chain: Sequence[UUID], mask: int) -> Any:
    """The notices a household whose unit has lineage ``chain`` and whose members are in the age
    bands of ``mask`` receives: written at one of those units, either not narrowed or narrowed to a
    group among them, and not narrowed to bands the household has nobody in."""
    narrowed_to = select(announcement_groups.c.announcement_id).where(
        announcement_groups.c.unit_id.in_(chain)
    )
    other_bands = select(announcement_audiences.c.announcement_id).where(
        announcement_audiences.c.bands != 0, announcement_audiences.c.bands.op("&")(mask) == 0
    )
    return and_(
        announcements.c.unit_id.in_(chain),
        or_(~announcements.c.narrowed, announcements.c.announcement_id.in_(narrowed_to)),
        announcements.c.announcement_id.not_in(other_bands),
    )


def feed(
    store: ReadStore,
    household_id: UUID,
    now: datetime,
    limit: int,
    offset: int,
    connection: Connection | None = None,
    chain: list[UUID] | None = None,
) -> list[dict[str, Any]]:
    """A household's notices, newest first: those published and not expired (retracted ones
    stay, saying why), with what the household did about each and the files each carries. A
    caller holding a connection (and the household's lineage) passes them: each connection given
    back is a round trip, and a household's page asks for its feed at every change."""
    if connection is None:
        with store.engine.connect() as own:
            return feed(store, household_id, now, limit, offset, own, chain)
    chain = chain if chain is not None else household_lineage(store, household_id, connection)
    if not chain:
        return []
    mask = household_mask(connection, household_id)
    mine = and_(
        receipts.c.announcement_id == announcements.c.announcement_id, receipts.c.household_id == household_id
    )
    query = (
        select(*_NOTICE, receipts.c.read_at, receipts.c.acknowledged_at, receipts.c.means)
        .select_from(_WITH_AUDIENCE.outerjoin(receipts, mine))
        .where(
            reaching(chain, mask),
            announcements.c.publish_at <= now,
            or_(announcements.c.expires_at.is_(None), announcements.c.expires_at > now),
        )
        .order_by(announcements.c.publish_at.desc(), announcements.c.announcement_id)
        .limit(limit)
        .offset(offset)
    )
    rows = [dict(r._mapping) for r in connection.execute(query)]
    carried = attachments_of(store, [r["announcement_id"] for r in rows], connection)
    return [r | {"attachment_ids": carried.get(r["announcement_id"], [])} for r in rows]


def reaches(store: ReadStore, announcement_id: UUID, household_id: UUID) -> bool:
    """Whether a notice is one of the household's (its unit's lineage, the notice's groups and
    bands)."""
    with store.engine.connect() as connection:
        chain = household_lineage(store, household_id, connection)
        if not chain:
            return False
        query = select(announcements.c.announcement_id).where(
            announcements.c.announcement_id == announcement_id,
            reaching(chain, household_mask(connection, household_id)),
        )
        return connection.execute(query).first() is not None


# A notice's row with how it is narrowed beyond its units (none: 0 and False).
_NOTICE = (
    *announcements.c,
    func.coalesce(announcement_audiences.c.bands, 0).label("bands"),
    func.coalesce(announcement_audiences.c.heads_only, False).label("heads_only"),
)
_WITH_AUDIENCE = announcements.outerjoin(
    announcement_audiences, announcement_audiences.c.announcement_id == announcements.c.announcement_id
)


def notice(
    store: ReadStore, announcement_id: UUID, connection: Connection | None = None
) -> dict[str, Any] | None:
    """One notice as projected, with its groups (on the caller's connection, if given)."""
    if connection is None:
        with store.engine.connect() as own:
            return notice(store, announcement_id, own)
    row = connection.execute(
        select(*_NOTICE).select_from(_WITH_AUDIENCE).where(announcements.c.announcement_id == announcement_id)
    ).first()
    if row is None:
        return None
    if not row.narrowed:  # most notices: no second query
        return dict(row._mapping) | {"groups": []}
    groups = connection.execute(
        select(announcement_groups.c.unit_id).where(announcement_groups.c.announcement_id == announcement_id)
    ).scalars()
    return dict(row._mapping) | {"groups": list(groups)}


def reaches_chain(found: dict[str, Any], chain: Sequence[UUID], mask: int) -> bool:
    """Whether a notice (as ``notice`` gives it, or an emergency, which has no bands) is for a
    household whose unit has lineage ``chain`` and whose members are in the bands of ``mask`` —
    ``reaches`` without a query, for a caller that holds all three (the mask matters only for a
    notice narrowed to bands)."""
    return (
        found["unit_id"] in chain
        and (not found["groups"] or any(g in chain for g in found["groups"]))
        and (not found.get("bands") or bool(found["bands"] & mask))
    )


def audience(
    connection: Connection, unit_id: UUID, groups: Sequence[UUID], bands: int = 0
) -> ColumnElement[bool]:
    """The directory's households a notice of ``unit_id`` (narrowed to ``groups``, and to the age
    bands of the mask ``bands``) reaches: their units from the unit tree in memory (a city's few
    thousand units), not a query per group."""
    tree = unit_tree(connection, DIRECTORY.units)
    units: set[UUID] = set(tree.below(unit_id))
    if groups:
        units &= set().union(*(tree.below(g) for g in groups))
    within = DIRECTORY.households.c.unit_id.in_(units)
    return and_(within, in_bands(DIRECTORY.households.c.household_id, bands)) if bands else within


def audience_size(store: ReadStore, unit_id: UUID, groups: Sequence[UUID], bands: int = 0) -> int:
    """How many households a notice would reach now (the preview before publishing)."""
    with store.engine.connect() as connection:
        where = audience(connection, unit_id, groups, bands)
        return int(
            connection.execute(select(func.count()).select_from(DIRECTORY.households).where(where)).scalar()
            or 0
        )


def pending(store: ReadStore, found: dict[str, Any], within: UUID) -> list[dict[str, Any]]:
    """The households of ``within`` (a group, say) that the notice reaches and that have not
    acknowledged it, by household code: whom the leader still has to tell."""
    households = DIRECTORY.households
    done = select(receipts.c.household_id).where(
        receipts.c.announcement_id == found["announcement_id"], receipts.c.acknowledged_at.is_not(None)
    )
    with store.engine.connect() as connection:
        query = (
            select(households.c.household_id, households.c.household_code, households.c.unit_id)
            .where(
                audience(connection, found["unit_id"], found["groups"], found["bands"]),
                audience(connection, within, ()),
                households.c.household_id.not_in(done),
            )
            .order_by(households.c.household_code)
        )
        return [dict(r._mapping) for r in connection.execute(query)]


_OFFLINE = ("in_person", "loudspeaker")


def statistics(store: ReadStore, found: dict[str, Any]) -> list[dict[str, Any]]:
    """Per unit holding households the notice reaches: how many it reaches, how many read it,
    acknowledged it on their page, and were told in person or by loudspeaker."""
    households = DIRECTORY.households
    mine = and_(
        receipts.c.announcement_id == found["announcement_id"],
        receipts.c.household_id == households.c.household_id,
    )
    with store.engine.connect() as connection:
        query = (
            select(
                households.c.unit_id,
                func.count().label("reached"),
                func.count(receipts.c.read_at).label("read"),
                func.count(receipts.c.acknowledged_at).label("acknowledged"),
                func.count(receipts.c.means).filter(receipts.c.means.in_(_OFFLINE)).label("offline"),
            )
            .select_from(households.outerjoin(receipts, mine))
            .where(audience(connection, found["unit_id"], found["groups"], found["bands"]))
            .group_by(households.c.unit_id)
        )
        rows = [dict(r._mapping) for r in connection.execute(query)]
        named = dict(
            connection.execute(select(DIRECTORY.units.c.unit_id, DIRECTORY.units.c.name)).tuples().all()
        )
    return sorted(
        ({**r, "unit_name": named.get(r["unit_id"], "")} for r in rows),
        key=lambda r: str(r["unit_name"]),
    )


def written_at(store: ReadStore, units: Sequence[UUID], limit: int, offset: int) -> list[dict[str, Any]]:
    """Notices written at these units, newest first (an official's list)."""
    query = (
        select(*_NOTICE)
        .select_from(_WITH_AUDIENCE)
        .where(announcements.c.unit_id.in_(units))
        .order_by(announcements.c.publish_at.desc())
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def attachments_of(
    store: ReadStore, announcement_ids: Sequence[UUID], connection: Connection | None = None
) -> dict[UUID, list[UUID]]:
    """The uploads each of these notices carries, in their order."""
    if not announcement_ids:
        return {}
    if connection is not None:
        return _attachments_of(connection, announcement_ids)
    with store.engine.connect() as own:
        return _attachments_of(own, announcement_ids)


def _attachments_of(connection: Connection, announcement_ids: Sequence[UUID]) -> dict[UUID, list[UUID]]:
    query = (
        select(announcement_attachments.c.announcement_id, announcement_attachments.c.attachment_id)
        .where(announcement_attachments.c.announcement_id.in_(announcement_ids))
        .order_by(announcement_attachments.c.announcement_id, announcement_attachments.c.position)
    )
    found: dict[UUID, list[UUID]] = {}
    for notice_id, attachment_id in connection.execute(query).tuples():
        found.setdefault(notice_id, []).append(attachment_id)
    return found


def carries(store: ReadStore, announcement_id: UUID, attachment_id: UUID) -> bool:
    """Whether the notice carries the upload."""
    query = select(announcement_attachments.c.attachment_id).where(
        announcement_attachments.c.announcement_id == announcement_id,
        announcement_attachments.c.attachment_id == attachment_id,
    )
    with store.engine.connect() as connection:
        return connection.execute(query).first() is not None


def with_receipts(store: ReadStore, announcement_id: UUID, households: Sequence[UUID]) -> set[UUID]:
    """Which of these households have a receipt of the notice (read or acknowledged)."""
    query = select(receipts.c.household_id).where(
        receipts.c.announcement_id == announcement_id, receipts.c.household_id.in_(households)
    )
    with store.engine.connect() as connection:
        return set(connection.execute(query).scalars())


def units_of(store: ReadStore, households: Sequence[UUID]) -> dict[UUID, UUID]:
    """Each known household's unit now."""
    query = select(DIRECTORY.households.c.household_id, DIRECTORY.households.c.unit_id).where(
        DIRECTORY.households.c.household_id.in_(households)
    )
    with store.engine.connect() as connection:
        return dict(connection.execute(query).tuples().all())


def masks_of(store: ReadStore, households: Sequence[UUID]) -> dict[UUID, int]:
    """Each household's age bands (for a notice narrowed to some)."""
    query = select(household_bands.c.household_id, household_bands.c.mask).where(
        household_bands.c.household_id.in_(households)
    )
    with store.engine.connect() as connection:
        return dict(connection.execute(query).tuples().all())
