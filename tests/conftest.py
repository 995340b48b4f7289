"""Fixtures shared by the system and integration tests (helpers live in tests/support)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from deployments import Deployment, check_infrastructure, fresh_deployment
from polling import wait_for

from tothon_shared.runtime.settings import Settings


@pytest.fixture
def eventually() -> Callable[..., object]:
    """``eventually(probe, timeout=..., what=...)``: poll until the probe holds."""
    return wait_for


@pytest.fixture(scope="session")
def infrastructure() -> Settings:
    """The running PostgreSQL server and Kafka broker; fails (never skips) when they are down."""
    return check_infrastructure()


@pytest.fixture
def deployment(infrastructure: Settings, tmp_path: Path) -> Iterator[Deployment]:
    """A fresh distributed deployment with its own topics and databases."""
    with fresh_deployment(infrastructure, tmp_path) as deployed:
        yield deployed
