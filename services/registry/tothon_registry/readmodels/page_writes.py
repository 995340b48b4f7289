"""A page of read-model writes: new rows wait to be inserted in bulk, updates flush them first."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from tothon_shared.readstore.store import bulk_insert


class Writes:
    """New rows wait to be written in bulk; an update first writes the rows it may touch."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.pending: dict[Table, list[dict[str, Any]]] = {}
        self.vocabulary: Counter[str] = Counter()  # name words gained (or lost) by this page

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        self.pending.setdefault(table, []).append(row)

    def flush(self) -> None:
        for table, rows in self.pending.items():
            bulk_insert(self.session, table, rows)
        self.pending.clear()

    def execute(self, statement: Any) -> None:
        self.flush()
        self.session.execute(statement)
