"""Connections to PostgreSQL: a burst's connections are kept for the next, only idle ones are
checked before use (a lost one is replaced unseen), and a read's log commits on its own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from deployments import Deployment
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, select, text

from tothon_shared.eventstore.environment import read_store_url
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.pgsetup import ensure_database
from tothon_shared.throughput import pg_pool

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

metadata = MetaData()
probe = Table("pool_probe", metadata, Column("n", Integer, primary_key=True))


@pytest.fixture
def store(deployment: Deployment) -> Iterator[ReadStore]:
    settings = deployment.settings
    ensure_database(settings, settings.database_name("registry"))
    store = ReadStore(read_store_url(settings, "registry"), metadata, pool_size=2)
    store.create_all()
    with store.engine.begin() as connection:
        connection.execute(probe.delete())
    yield store
    store.dispose()


def _backend(store: ReadStore) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _backends_of_a_busy_moment(store: ReadStore, at_once: int) -> set[int]:
    with ExitStack() as held:
        connections = [held.enter_context(store.engine.connect()) for _ in range(at_once)]
        return {c.execute(text("SELECT pg_backend_pid()")).scalar_one() for c in connections}


def test_the_connections_of_a_burst_are_kept_for_the_next(store: ReadStore) -> None:
    first = _backends_of_a_busy_moment(store, 4)  # twice the pool size, the most it opens
    assert len(first) == 4
    assert _backends_of_a_busy_moment(store, 4) == first


def test_only_an_idle_connection_is_checked_and_a_lost_one_is_replaced(
    store: ReadStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialect = store.engine.dialect
    pings: list[Any] = []
    ping = dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    backend = _backend(store)
    assert _backend(store) == backend
    assert pings == []  # in use a moment ago: no round trip
    monkeypatch.setattr(pg_pool, "IDLE_BEFORE_PING", 0.2)
    time.sleep(0.3)
    assert _backend(store) == backend
    assert len(pings) == 1  # idle: checked, still good
    admin = create_engine(store.engine.url.render_as_string(hide_password=False))
    try:
        with admin.connect() as other:  # the server closes the pooled one while it is idle
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    finally:
        admin.dispose()
    time.sleep(0.3)
    assert _backend(store) != backend  # no error: a fresh connection instead
    assert len(pings) == 2


def test_a_statement_on_an_autocommit_connection_is_committed_at_once(store: ReadStore) -> None:
    watcher = create_engine(store.engine.url.render_as_string(hide_password=False))
    try:
        with store.autocommit() as connection:
            connection.execute(probe.insert().values(n=1))
            with watcher.connect() as other:  # seen from elsewhere before the block ends
                assert other.execute(select(probe.c.n)).scalars().all() == [1]
            with pytest.raises(Exception, match="duplicate key"):
                connection.execute(probe.insert(), [{"n": 2}, {"n": 1}])  # one statement: all or none
        with watcher.connect() as other:
            assert other.execute(select(probe.c.n)).scalars().all() == [1]
    finally:
        watcher.dispose()
