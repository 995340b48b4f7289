"""Read-model storage: a SQLAlchemy engine per service plus the bookkeeping tables every service has.

``positions`` holds how far each follower of the service's own notification log (the outbox
relay, the projections) has got; ``processed_events`` holds the ids of inbound events already
applied. Both are written in the same transaction as the effect they guard.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from psycopg import sql
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tothon_shared.readstore.projection_failures import failures_table_of
from tothon_shared.throughput.pg_pool import CHECKOUT_TIMEOUT, pooled_engine


def bookkeeping_tables(metadata: MetaData) -> tuple[Table, Table, Table]:
    """Add ``positions``, ``processed_events`` and ``dead_letters`` to a service's metadata."""
    positions = Table(
        "positions",
        metadata,
        Column("name", String(100), primary_key=True),
        Column("position", Integer, nullable=False),
    )
    processed = Table(
        "processed_events",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("topic", String(200), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
    )
    # The records a consumer sent to a dead-letter topic, by their place in their topic: a rebuild
    # reads the topics again from the start and must not send them there a second time. Kept
    # through rebuilds.
    dead_letters = Table(
        "dead_letters",
        metadata,
        Column("consumer", String(100), primary_key=True),
        Column("topic", String(200), primary_key=True),
        Column("record", String(60), primary_key=True),
        Column("dead_lettered_at", DateTime(timezone=True), nullable=False),
    )
    return positions, processed, dead_letters


def bulk_insert(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many rows in the session's transaction: PostgreSQL's COPY (one stream instead of a
    statement per row), or an executemany elsewhere."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(table.insert(), list(rows))
        return
    columns = list(rows[0])
    raw = connection.connection.driver_connection
    assert raw is not None  # a live connection inside a transaction
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class ReadStore:
    """One service's read database: engine, sessions, and follower positions."""

    def __init__(
        self, url: str, metadata: MetaData, pool_size: int = 5, checkout_timeout: float = CHECKOUT_TIMEOUT
    ) -> None:
        self.metadata = metadata
        if url.startswith("sqlite"):
            self.engine: Engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            # As many connections as before (the pool size and as many again in a burst), all kept.
            self.engine = pooled_engine(url, 2 * pool_size, checkout_timeout)
        self.positions, self.processed, self.dead_letters = bookkeeping_tables_of(metadata)
        self.failures = failures_table_of(metadata)  # the events its projections set aside
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def create_all(self) -> None:
        """Create missing tables (idempotent)."""
        self.metadata.create_all(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits together, or not at all."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def autocommit(self) -> Iterator[Connection]:
        """A connection on which each statement commits on its own: for reads that end in one
        write, the log of what was read. It spares a read's BEGIN and COMMIT round trips (a
        search is five), and the log is durable before the caller shows what was read."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            yield connection

    def position(self, name: str, session: Session | None = None, for_update: bool = False) -> int:
        """The last notification id a follower has handled (0 when it has handled none); inside
        the caller's transaction, locked against other processes' followers if ``for_update``."""
        query = select(self.positions.c.position).where(self.positions.c.name == name)
        if for_update:
            query = query.with_for_update()
        if session is not None:
            return int(session.scalar(query) or 0)
        with self._sessions() as own:
            return int(own.scalar(query) or 0)

    def set_position(self, session: Session, name: str, position: int) -> None:
        """Record a follower's position inside the caller's transaction."""
        updated = session.execute(
            self.positions.update().where(self.positions.c.name == name).values(position=position)
        )
        if getattr(updated, "rowcount", 0) == 0:
            session.execute(self.positions.insert().values(name=name, position=position))

    def already_processed(self, session: Session, consumer: str, event_ids: list[str]) -> set[str]:
        """Which of ``event_ids`` the consumer has applied before."""
        column = self.processed.c.event_id
        rows = session.scalars(
            select(column).where(self.processed.c.consumer == consumer, column.in_(event_ids))
        )
        return set(rows)

    def mark_processed(self, session: Session, consumer: str, applied: list[tuple[str, str]]) -> None:
        """Record (event id, topic) pairs as applied, inside the caller's transaction."""
        if applied:
            now = datetime.now(UTC)
            session.execute(
                self.processed.insert(),
                [{"consumer": consumer, "event_id": e, "topic": t, "processed_at": now} for e, t in applied],
            )

    def dead_lettered_before(self, consumer: str, topic: str, record: str) -> bool:
        """Whether the consumer sent this record of ``topic`` to its dead-letter topic before."""
        table = self.dead_letters
        query = select(table.c.record).where(
            table.c.consumer == consumer, table.c.topic == topic, table.c.record == record
        )
        with self._sessions() as session:
            return session.scalar(query) is not None

    def note_dead_letter(self, consumer: str, topic: str, record: str) -> None:
        """Remember that the consumer sent this record of ``topic`` to its dead-letter topic."""
        row = {"consumer": consumer, "topic": topic, "record": record, "dead_lettered_at": datetime.now(UTC)}
        # Noted already: the consumer stopped between sending it and committing its offset.
        with contextlib.suppress(IntegrityError), self.transaction() as session:
            session.execute(self.dead_letters.insert().values(**row))

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def bookkeeping_tables_of(metadata: MetaData) -> tuple[Table, Table, Table]:
    """The bookkeeping tables of a metadata, adding them if it lacks them."""
    if "positions" in metadata.tables:
        tables = metadata.tables
        return tables["positions"], tables["processed_events"], tables["dead_letters"]
    return bookkeeping_tables(metadata)
