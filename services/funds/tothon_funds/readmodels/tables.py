"""Tables of the funds service's read database."""

from sqlalchemy import MetaData

from tothon_shared.auth.revocations import Revocations
from tothon_shared.readstore.directory import Directory
from tothon_shared.readstore.store import bookkeeping_tables

metadata = MetaData()
bookkeeping_tables(metadata)
DIRECTORY = Directory(metadata)
REVOCATIONS = Revocations(metadata)
