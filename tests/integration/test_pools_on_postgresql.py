"""A read store keeps the PostgreSQL connections a busy moment opened, instead of opening them
again at the next one (a backend's start and a SCRAM exchange each, when the host is busiest)."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from deployments import Deployment
from sqlalchemy import MetaData, text

from tothon_shared.eventstore import read_store_url
from tothon_shared.pgsetup import ensure_database
from tothon_shared.readstore import ReadStore

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


def _backends_of_a_busy_moment(store: ReadStore, at_once: int) -> set[int]:
    with ExitStack() as held:
        connections = [held.enter_context(store.engine.connect()) for _ in range(at_once)]
        return {c.execute(text("SELECT pg_backend_pid()")).scalar_one() for c in connections}


def test_the_connections_of_a_burst_are_kept_for_the_next(deployment: Deployment) -> None:
    settings = deployment.settings
    ensure_database(settings, settings.database_name("registry"))
    store = ReadStore(read_store_url(settings, "registry"), MetaData(), pool_size=2)
    try:
        first = _backends_of_a_busy_moment(store, 4)  # twice the pool size, the most it opens
        assert len(first) == 4
        assert _backends_of_a_busy_moment(store, 4) == first
    finally:
        store.engine.dispose()
