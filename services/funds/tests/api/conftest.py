"""Fixtures of the funds API's tests: the service on SQLite. Tests that need more of it (the
household accounts' helpers) override ``funds``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from service_harness import ServiceHarness

from tothon_funds.bootstrap import DEFINITION


@pytest.fixture
def funds(tmp_path: Path) -> Iterator[ServiceHarness]:
    service = ServiceHarness(DEFINITION, tmp_path)
    yield service
    service.close()
