"""Events a projection cannot apply, kept where an operator sees them.

An event that fails ``max_attempts`` times is *parked*: recorded with its error, and the
projection's position moves past it so that the rest of the service goes on. Order per aggregate
is kept: the later events of a parked event's aggregate are *held* (recorded, not applied) until
an operator replays the parked event (after a fix) or skips it with a reason; then the held events
are applied in order. Rows are never deleted: a resolved row says who resolved it, when and why.

A failure of the database itself (a lost connection, a lock) is not the event's fault: it is
never counted or parked, and the projection tries again later (``is_transient``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eventsourcing.utils import get_topic
from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    func,
    select,
)
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session

from tothon_shared.runtime.outage import database_unavailable

FAILING, PARKED, HELD = "failing", "parked", "held"
# Still waiting for something: the projection's retries, an operator, or a parked event ahead.
OPEN = (FAILING, PARKED, HELD)
# Resolutions: replayed or skipped by an operator, released after its aggregate's parked event,
# recovered on a later attempt, or set aside by a rebuild that projects everything again.
REPLAYED, SKIPPED, RELEASED, RECOVERED, REBUILT = "replayed", "skipped", "released", "recovered", "rebuilt"
ERROR_LENGTH = 4000


def failures_table_of(metadata: MetaData) -> Table:
    """The ``projection_failures`` table of a service's read database, added if missing."""
    if "projection_failures" in metadata.tables:
        return metadata.tables["projection_failures"]
    return Table(
        "projection_failures",
        metadata,
        Column("failure_id", Integer, primary_key=True, autoincrement=True),
        Column("service", String(40), nullable=False),
        Column("projection", String(100), nullable=False),
        Column("position", Integer, nullable=False),
        Column("topic", String(200), nullable=False),
        Column("originator_id", String(36), nullable=False),
        Column("status", String(20), nullable=False),
        Column("error", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("first_seen", DateTime(timezone=True), nullable=False),
        Column("last_seen", DateTime(timezone=True), nullable=False),
        Column("resolved_at", DateTime(timezone=True)),
        Column("resolved_by", String(100)),
        Column("reason", Text),
        Index("projection_failures_by_status", "projection", "status", "originator_id"),
    )


def is_transient(error: BaseException) -> bool:
    """Whether the database failed rather than the event: a lost connection, a lock, a timeout
    (the pool's too, and the event store's errors: ``outage.database_unavailable``)."""
    if database_unavailable(error):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


@dataclass(frozen=True)
class Failure:
    """A row of ``projection_failures``."""

    failure_id: int
    service: str
    projection: str
    position: int
    topic: str
    originator_id: str
    status: str
    error: str
    attempts: int
    first_seen: datetime
    last_seen: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    reason: str | None

    def as_json(self) -> dict[str, Any]:
        """The row for the operator's command and the readiness answer."""
        return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in self.__dict__.items()}


class FailureLog:
    """One projection's rows of ``projection_failures``, read and written in callers' sessions."""

    def __init__(self, table: Table, service: str, projection: str) -> None:
        self.table = table
        self.service = service
        self.projection = projection
        self._mine = table.c.projection == projection

    def marks(self, session: Session) -> set[tuple[str, str]]:
        """The aggregates with open rows, and those rows' statuses (none, almost always)."""
        c = self.table.c
        query = select(c.originator_id, c.status).where(self._mine, c.status.in_(OPEN)).distinct()
        return {(originator, status) for originator, status in session.execute(query)}

    def open(self, session: Session) -> list[Failure]:
        """The rows still waiting, oldest event first."""
        c = self.table.c
        return self._rows(session, and_(self._mine, c.status.in_(OPEN)))

    def every(self, session: Session) -> list[Failure]:
        """Every row, resolved ones too."""
        return self._rows(session, self._mine)

    def get(self, session: Session, failure_id: int) -> Failure | None:
        """One row of this projection, by id."""
        rows = self._rows(session, and_(self._mine, self.table.c.failure_id == failure_id))
        return rows[0] if rows else None

    def skipped_before(self, session: Session, position: int) -> Failure | None:
        """An operator's earlier decision to skip the event at ``position`` (before a rebuild)."""
        c = self.table.c
        rows = self._rows(session, and_(self._mine, c.position == position, c.status == SKIPPED))
        return rows[-1] if rows else None

    def next_held(self, session: Session) -> Failure | None:
        """The oldest held event whose aggregate has no parked event ahead of it any more."""
        c = self.table.c
        parked = select(c.originator_id).where(self._mine, c.status == PARKED)
        rows = self._rows(session, and_(self._mine, c.status == HELD, c.originator_id.not_in(parked)), 1)
        return rows[0] if rows else None

    def attempt_failed(self, session: Session, event: Any, position: int, error: BaseException) -> Failure:
        """Count a failed attempt at the event at ``position`` (a new ``failing`` row at first)."""
        c = self.table.c
        now = datetime.now(UTC)
        current = self._rows(session, and_(self._mine, c.position == position, c.status.in_(OPEN)))
        if current:
            row = current[0]
            session.execute(
                self.table.update()
                .where(c.failure_id == row.failure_id)
                .values(attempts=c.attempts + 1, last_seen=now, error=error_text(error))
            )
            return self._by_id(session, row.failure_id)
        return self._insert(session, event, position, FAILING, error_text(error), 1, now)

    def hold(self, session: Session, event: Any, position: int) -> None:
        """Record an event kept back behind its aggregate's parked one."""
        self._insert(
            session, event, position, HELD, "held behind its aggregate's parked event", 0, datetime.now(UTC)
        )

    def set_status(self, session: Session, failure_id: int, status: str) -> None:
        """Mark a row parked (or held again) after its attempts."""
        c = self.table.c
        session.execute(self.table.update().where(c.failure_id == failure_id).values(status=status))

    def resolve(
        self, session: Session, failure_id: int, was: str, status: str, by: str | None, reason: str | None
    ) -> bool:
        """Resolve a row that is still ``was``; False if another process got there first."""
        c = self.table.c
        done = session.execute(
            self.table.update()
            .where(c.failure_id == failure_id, c.status == was)
            .values(status=status, resolved_at=datetime.now(UTC), resolved_by=by, reason=reason)
        )
        return bool(getattr(done, "rowcount", 0))

    def resolve_all_open(self, session: Session, status: str, reason: str) -> int:
        """Resolve every open row (a rebuild projects their events again)."""
        c = self.table.c
        done = session.execute(
            self.table.update()
            .where(self._mine, c.status.in_(OPEN))
            .values(status=status, resolved_at=datetime.now(UTC), resolved_by="rebuild", reason=reason)
        )
        return int(getattr(done, "rowcount", 0))

    def recovered(self, session: Session, upto: int) -> None:
        """Close the ``failing`` rows of events now applied (a passing error went away)."""
        c = self.table.c
        session.execute(
            self.table.update()
            .where(self._mine, c.status == FAILING, c.position <= upto)
            .values(status=RECOVERED, resolved_at=datetime.now(UTC))
        )

    def _insert(
        self,
        session: Session,
        event: Any,
        position: int,
        status: str,
        error: str,
        attempts: int,
        now: datetime,
    ) -> Failure:
        values = {
            "service": self.service,
            "projection": self.projection,
            "position": position,
            "topic": get_topic(type(event)),
            "originator_id": str(getattr(event, "originator_id", "")),
            "status": status,
            "error": error,
            "attempts": attempts,
            "first_seen": now,
            "last_seen": now,
        }
        failure_id = session.scalar(self.table.insert().values(values).returning(self.table.c.failure_id))
        return self._by_id(session, int(failure_id or 0))

    def _by_id(self, session: Session, failure_id: int) -> Failure:
        return self._rows(session, self.table.c.failure_id == failure_id)[0]

    def _rows(self, session: Session, where: Any, limit: int | None = None) -> list[Failure]:
        query = select(self.table).where(where).order_by(self.table.c.position, self.table.c.failure_id)
        return [Failure(**row._mapping) for row in session.execute(query.limit(limit))]


def open_counts(session: Session, table: Table) -> Sequence[tuple[str, str, int]]:
    """How many rows of each projection wait, by status: the alarm's figures."""
    c = table.c
    query = (
        select(c.projection, c.status, func.count())
        .where(c.status.in_(OPEN))
        .group_by(c.projection, c.status)
        .order_by(c.projection, c.status)
    )
    return [(p, s, int(n)) for p, s, n in session.execute(query)]


def error_text(error: BaseException) -> str:
    """The error's type and message, without the statement's parameters: those are the event's
    data (names, phone numbers), which must not be copied into this table or the logs."""
    message = str(error.orig) if isinstance(error, StatementError) else str(error)
    return f"{type(error).__name__}: {message}"[:ERROR_LENGTH]
