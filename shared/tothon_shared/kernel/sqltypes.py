"""Column types shared by the services' read models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """An instant, stored in UTC and read back with its offset on every database.

    ``DateTime(timezone=True)`` is aware on PostgreSQL but naive on SQLite (the embedded mode),
    which drops the offset on the way in and returns wall-clock values on the way out: an API
    answered "16:32" with no zone, and a browser read it as its own local time."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        # A naive value is taken as UTC, the project's convention for instants.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if not isinstance(value, datetime):
            return None
        if value.tzinfo is None:  # SQLite: stored in UTC by process_bind_param
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
