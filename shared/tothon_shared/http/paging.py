"""Bounds of the pages routes serve: a number past them is refused as invalid input (422), never
handed to a database (SQLite takes no integer past 64 bits, and a far offset only costs a scan)."""

MAX_OFFSET = 1_000_000
"""The furthest offset a listing pages to: more than any unit's households."""
