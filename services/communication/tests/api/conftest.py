"""Fixtures of the communication API's tests: the service on SQLite, and the two wards with their
households and officials delivered to it. Tests that send e-mail override ``svc`` with one that
names their SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conversation_ward import Ward, ward_of
from service_harness import ServiceHarness

from tothon_communication.bootstrap import DEFINITION


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[ServiceHarness]:
    service = ServiceHarness(DEFINITION, tmp_path)
    yield service
    service.close()


@pytest.fixture
def w(svc: ServiceHarness) -> Ward:
    return ward_of(svc)
