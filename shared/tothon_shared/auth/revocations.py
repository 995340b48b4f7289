"""Sessions ended in the registry, as every other service learns of them from ``SessionEnded``.

The registry checks its own accounts; other services refuse a token whose session appears here,
so a sign-out or a revoked role takes effect as soon as the event arrives, not when the token
expires. On PostgreSQL the check asks from the event loop (``LoopQuery``, no thread hop), once a
second at most for a session it found open; on the embedded SQLite store every request asks, in a
worker thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cachetools import TTLCache
from psycopg import sql
from sqlalchemy import Column, DateTime, MetaData, String, Table, Uuid, select
from sqlalchemy.orm import Session

from tothon_shared.auth.http import SessionCheck
from tothon_shared.auth.principal import Principal
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import SessionEnded
from tothon_shared.messaging.inbox import EventHandler
from tothon_shared.throughput.loop_query import SESSION_CHECK, LoopQuery

if TYPE_CHECKING:
    from tothon_shared.runtime.definition import Runtime


class Revocations:
    """The ``revoked_sessions`` table, its event handler and the session check built on it."""

    def __init__(self, metadata: MetaData) -> None:
        self.table = Table(
            "revoked_sessions",
            metadata,
            Column("session_id", String(100), primary_key=True),
            Column("account_id", Uuid, nullable=False),
            Column("ended_at", DateTime(timezone=True), nullable=False),
        )

    @property
    def tables(self) -> tuple[Table, ...]:
        """The tables to rebuild from the topic."""
        return (self.table,)

    def handlers(self) -> dict[str, EventHandler]:
        """Handlers for the ``registry.accounts`` channel."""
        return {"SessionEnded": self._ended}

    def _ended(self, session: Session, event: IntegrationEvent) -> None:
        assert isinstance(event, SessionEnded)  # dispatched by event type
        session.execute(
            self.table.insert().values(
                session_id=event.session_id,
                account_id=event.subject_id,
                ended_at=event.occurred_at,
            )
        )

    def session_check(self, runtime: Runtime) -> SessionCheck:
        """A check that refuses the sessions recorded as ended."""
        engine = runtime.store.engine
        if engine.dialect.name == "postgresql":
            revoked = sql.SQL("SELECT 1 FROM {} WHERE session_id = %s").format(
                sql.Identifier(self.table.name)
            )
            settings, database = runtime.settings, runtime.settings.database_name(runtime.name)
            return RevokedOnLoop(LoopQuery(settings, database, revoked, settings.pg_pool_size, SESSION_CHECK))
        query = select(self.table.c.session_id)

        def check(principal: Principal) -> bool:
            with engine.connect() as connection:
                ended = connection.execute(
                    query.where(self.table.c.session_id == principal.session_id)
                ).first()
            return ended is None

        return check


# How long a session found open is taken as open without asking again. A page's calls come in
# bursts and a keeper records one payment after another: one question a second per session, not
# one a request (a tenth of an API process's CPU at 400 contributions a second, measured). A
# sign-out already takes effect only once its event arrives; this adds at most a second to that.
OPEN_SECONDS = 1.0


class RevokedOnLoop:
    """Refuses a session recorded as ended, asking PostgreSQL from the event loop; a session found
    open is not asked about again for ``open_seconds``."""

    def __init__(self, revoked: LoopQuery, open_seconds: float = OPEN_SECONDS) -> None:
        self._revoked = revoked  # whether a session id is in ``revoked_sessions``
        # Only the event loop's thread touches it.
        self._open: TTLCache[str, bool] = TTLCache(maxsize=100_000, ttl=open_seconds)

    async def __call__(self, principal: Principal) -> bool:
        if principal.session_id in self._open:
            return True
        if await self._revoked.finds((principal.session_id,)):
            return False
        self._open[principal.session_id] = True
        return True

    async def close(self) -> None:
        """Close the connections the checks used."""
        await self._revoked.close()
