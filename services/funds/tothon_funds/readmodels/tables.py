"""Tables of the funds service's read database."""

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, Uuid

from tothon_shared.auth.revocations import Revocations
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
