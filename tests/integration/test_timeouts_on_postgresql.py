"""Every path to PostgreSQL is bounded by the settings' timeouts: a statement that runs too long is
cancelled, and the error is one that answers 503 (the database cannot answer now)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from deployments import Deployment
from psycopg import sql
from run_apart import run_apart
from sqlalchemy import text

from tothon_registry.application import RegistryApplication
from tothon_registry.bootstrap import DEFINITION
from tothon_shared.runtime.outage import database_unavailable
from tothon_shared.runtime.process import make_transport
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.throughput.loop_query import LoopQuery

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

STATEMENT_TIMEOUT = 1.0
TOO_LONG = "SELECT pg_sleep(4)"


@pytest.fixture
def runtime(deployment: Deployment) -> Iterator[ServiceRuntime]:
    env = deployment.env  # the secrets its processes get
    settings = deployment.settings.model_copy(
        update={
            "personal_data_key": env["TOTHON_PERSONAL_DATA_KEY"],
            "pg_statement_timeout_seconds": STATEMENT_TIMEOUT,
            "pg_pool_timeout_seconds": 2.0,
        }
    )
    started = ServiceRuntime(DEFINITION, settings, make_transport(settings, "registry"))
    yield started
    started.close()


def _cancelled_in_time(run: Callable[[], Any]) -> None:
    began = time.monotonic()
    with pytest.raises(Exception) as raised:  # noqa: PT011 - each path raises its own wrapper
        run()
    assert time.monotonic() - began < STATEMENT_TIMEOUT + 1.5
    assert database_unavailable(raised.value), repr(raised.value)
    assert "statement timeout" in str(raised.value)


def test_a_statement_past_its_timeout_is_cancelled_on_every_path(runtime: ServiceRuntime) -> None:
    def read_store() -> None:
        with runtime.store.engine.connect() as connection:
            connection.execute(text(TOO_LONG))

    def event_store() -> None:
        app = runtime.app
        assert isinstance(app, RegistryApplication)
        with app.recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
            cursor.execute(TOO_LONG)

    def key_store() -> None:
        app = runtime.app
        keys = app.mapper.subject_keys  # type: ignore[attr-defined]
        with keys._engine.connect() as connection:
            connection.execute(text(TOO_LONG))

    def on_the_loop() -> None:
        settings = runtime.settings
        query = LoopQuery(
            settings, settings.database_name("registry"), sql.Composed([sql.SQL(TOO_LONG)]), 1, "probe"
        )

        async def ask() -> None:
            try:
                await query.finds(())
            finally:
                await query.close()

        run_apart(ask())

    for path in (read_store, event_store, key_store, on_the_loop):
        _cancelled_in_time(path)


def test_the_event_stores_pool_waits_no_longer_than_the_pool_timeout(runtime: ServiceRuntime) -> None:
    app = runtime.app
    assert isinstance(app, RegistryApplication)
    pool = app.recorder.datastore.pool  # type: ignore[attr-defined]
    assert pool.timeout == 2.0  # the library's default was 30 s
    assert pool.reconnect_timeout == 2.0  # and five minutes
