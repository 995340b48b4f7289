"""Tables of the funds service's read database."""

from sqlalchemy import BigInteger, Boolean, Column, Date, Integer, MetaData, String, Table, Uuid

from tothon_shared.auth.revocations import Revocations
from tothon_shared.kernel.sqltypes import UtcDateTime
from tothon_shared.readstore.directory import Directory
from tothon_shared.readstore.store import bookkeeping_tables

metadata = MetaData()
bookkeeping_tables(metadata)
DIRECTORY = Directory(metadata)
REVOCATIONS = Revocations(metadata)

# The household accounts, projected from the funds service's own events (``accounts.py``).
household_accounts = Table(
    "household_accounts",
    metadata,
    Column("household_id", Uuid, primary_key=True),
    Column("account_id", Uuid, nullable=False, unique=True),
    Column("unit_id", Uuid, nullable=False, index=True),
    Column("household_code", String(40), nullable=False),
    Column("member_count", Integer, nullable=False),
    Column("opened_on", Date, nullable=False),
)

# The receipts of contributions, projected from the funds' books (``receipts.py``): what anyone
# holding a receipt checks by its verification code.
receipts = Table(
    "funds_receipts",
    metadata,
    Column("code", String(10), primary_key=True),
    Column("entry_id", Uuid, nullable=False, unique=True),
    Column("fund_id", Uuid, nullable=False, index=True),
    Column("number", String(20), nullable=False),
    Column("household_id", Uuid, nullable=False, index=True),
    Column("amount", BigInteger, nullable=False),
    Column("means", String(10), nullable=False),
    Column("paid_at", UtcDateTime, nullable=False),
    Column("void", Boolean, nullable=False),
)

# The funds, for their names on receipts and reports.
funds = Table(
    "funds",
    metadata,
    Column("fund_id", Uuid, primary_key=True),
    Column("books_id", Uuid, nullable=False, unique=True),
    Column("unit_id", Uuid, nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
)

# --- evidence ---
# The evidence of expenses (photos and PDFs of invoices and receipts), kept by content through the
# shared attachments: ``funds_attachments_blobs`` and ``funds_attachments_uploads``. Not a
# projection (no event carries the bytes), so a rebuild of the read models leaves them alone.
from tothon_shared.attachments.store import AttachmentStore  # noqa: E402  (kept in this block)

ATTACHMENTS = AttachmentStore(metadata, "funds_attachments")
