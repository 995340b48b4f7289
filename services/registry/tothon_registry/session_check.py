"""The check every request makes that its session is still open, against the account's events,
and that the household its token names is still the account's binding.

Sign-out, revocation and a change of household binding take effect at once: each check asks
the event store whether the account has events after the version this process last loaded
(``CheckedAccounts``), not a read model that may lag. On PostgreSQL that question is asked from
the event loop (``LoopQuery``): only a first check of an account, or one after a change, loads
the account in a worker thread. The embedded SQLite store is asked in a worker thread every time.
"""

from __future__ import annotations

from eventsourcing.postgres import PostgresAggregateRecorder
from fastapi.concurrency import run_in_threadpool
from psycopg import sql

from tothon_registry.account_sessions import still_holds
from tothon_registry.application import RegistryApplication
from tothon_shared.auth.http import SessionCheck
from tothon_shared.auth.principal import Principal
from tothon_shared.runtime.definition import Runtime
from tothon_shared.throughput.loop_query import SESSION_CHECK, LoopQuery


def session_check(runtime: Runtime) -> SessionCheck:
    """The registry's session check: on the event loop on PostgreSQL, else in a worker thread."""
    app = runtime.app
    assert isinstance(app, RegistryApplication)
    recorder = app.recorder
    if not isinstance(recorder, PostgresAggregateRecorder):

        def check(principal: Principal) -> bool:
            return app.principal_current(principal)

        return check
    settings = runtime.settings
    newer = sql.SQL("SELECT 1 FROM {} WHERE originator_id = %s AND originator_version > %s LIMIT 1").format(
        sql.Identifier(recorder.events_table_name)
    )
    database = settings.database_name("registry")
    return SessionCheckOnLoop(app, LoopQuery(settings, database, newer, settings.pg_pool_size, SESSION_CHECK))


class SessionCheckOnLoop:
    """Asks for an account's newer events without a thread hop; loads the account in a worker
    thread only when this process has not loaded it yet or it has changed."""

    def __init__(self, app: RegistryApplication, newer: LoopQuery) -> None:
        self._app = app
        self._newer = newer  # whether the account has events after a version

    async def __call__(self, principal: Principal) -> bool:
        kept = self._app.checked_account(principal.account_id)
        if kept is not None and not await self._newer.finds((principal.account_id, kept.version)):
            return still_holds(kept, principal)
        return await run_in_threadpool(self._app.principal_current, principal)

    async def close(self) -> None:
        """Close the connections the checks used."""
        await self._newer.close()
