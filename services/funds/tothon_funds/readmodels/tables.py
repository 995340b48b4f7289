"""Tables of the funds service's read database."""

from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, Index, Integer, MetaData, String, Table, Uuid

from tothon_shared.attachments.store import AttachmentStore
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

# --- the books (``books.py``): funds, levies, obligations, receipts and expenses, one projection
# so that each row finds the fund it belongs to (projected in the same order as the events) ---

funds = Table(
    "funds",
    metadata,
    Column("fund_id", Uuid, primary_key=True),
    Column("books_id", Uuid, nullable=False, unique=True),
    Column("unit_id", Uuid, nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("resolution", String(500), nullable=False),
    Column("bank_bin", String(6)),
    Column("bank_account", String(19)),
    Column("bank_holder", String(200)),
    Column("two_approvals_above", BigInteger, nullable=False),
    Column("names_public", Boolean, nullable=False),
    Column("closed_until", Date),
    Column("opened_at", UtcDateTime, nullable=False),
)

levies = Table(
    "funds_levies",
    metadata,
    Column("levy_id", Uuid, primary_key=True),
    Column("fund_id", Uuid, nullable=False, index=True),
    Column("unit_id", Uuid, nullable=False, index=True),
    Column("basis", String(30), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("period_from", Date, nullable=False),
    Column("period_to", Date, nullable=False),
    Column("announced_at", UtcDateTime, nullable=False),
)

# What each household owes for each levy; its reference is what a bank transfer note carries.
obligations = Table(
    "funds_obligations",
    metadata,
    Column("obligation_id", Uuid, primary_key=True),
    Column("levy_id", Uuid, nullable=False),
    Column("fund_id", Uuid, nullable=False, index=True),
    Column("household_id", Uuid, nullable=False, index=True),
    Column("amount", BigInteger, nullable=False),
    Column("reference", String(10), nullable=False, unique=True),
    Index("funds_obligations_levy_household", "levy_id", "household_id", unique=True),
)

# Every contribution with its receipt (checked by verification code; void once reversed).
receipts = Table(
    "funds_receipts",
    metadata,
    Column("code", String(10), primary_key=True),
    Column("entry_id", Uuid, nullable=False, unique=True),
    Column("fund_id", Uuid, nullable=False, index=True),
    Column("levy_id", Uuid),
    Column("number", String(20), nullable=False),
    Column("household_id", Uuid, nullable=False, index=True),
    Column("amount", BigInteger, nullable=False),
    Column("means", String(10), nullable=False),
    Column("paid_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("payer", String(200)),
    Column("void", Boolean, nullable=False),
    Column("void_reason", String(500)),
)

# The statement lines left for the keeper to match by hand (``matched`` once they are).
statement_lines = Table(
    "funds_statement_lines",
    metadata,
    Column("statement_id", Uuid, primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("fund_id", Uuid, nullable=False, index=True),
    Column("bank", String(40), nullable=False),
    Column("row", Integer, nullable=False),
    Column("booked_on", Date, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("description", String(500), nullable=False),
    Column("matched", Boolean, nullable=False),
)

expenses = Table(
    "funds_expenses",
    metadata,
    Column("expense_id", Uuid, primary_key=True),
    Column("fund_id", Uuid, nullable=False, index=True),
    Column("amount", BigInteger, nullable=False),
    Column("purpose", String(1000), nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("proposer", String(200), nullable=False),
    Column("approvals_needed", Integer, nullable=False),
    Column("approvers", JSON, nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("reason", String(1000)),
    Column("proposed_at", UtcDateTime, nullable=False),
    Column("paid_at", UtcDateTime),
    Column("means", String(10)),
)

# The evidence of expenses (photos and PDFs of invoices and receipts), kept by content through the
# shared attachments: ``funds_attachments_blobs`` and ``funds_attachments_uploads``. Not a
# projection (no event carries the bytes), so a rebuild of the read models leaves them alone.
ATTACHMENTS = AttachmentStore(metadata, "funds_attachments")
