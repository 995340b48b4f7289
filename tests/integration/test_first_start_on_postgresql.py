"""A service's processes started together on a fresh database take turns creating its tables."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from deployments import Deployment

from tothon_registry.bootstrap import DEFINITION
from tothon_shared.runtime import service as runtime_module
from tothon_shared.runtime.process import make_transport
from tothon_shared.runtime.service import ServiceRuntime

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


class _Warnings:
    """Stands in for the runtime's logger: keeps what it warns of."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def warning(self, event: str, **fields: Any) -> None:
        self.events.append(event)

    def __getattr__(self, level: str) -> Any:
        return lambda *args, **fields: None


def test_processes_started_at_once_create_the_tables_in_turn_without_retrying(
    deployment: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Four at once, as two API replicas, a worker and an import starting together: without
    # taking turns, three or four of them collided in the catalog and retried in every trial.
    warnings = _Warnings()
    monkeypatch.setattr(runtime_module, "log", warnings)
    env = deployment.env  # the secrets its processes get
    settings = deployment.settings.model_copy(update={"personal_data_key": env["TOTHON_PERSONAL_DATA_KEY"]})
    together = threading.Barrier(4)
    started: list[ServiceRuntime] = []
    failed: list[BaseException] = []

    def start() -> None:
        together.wait()
        try:
            started.append(ServiceRuntime(DEFINITION, settings, make_transport(settings, "registry")))
        except BaseException as error:
            failed.append(error)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    try:
        assert failed == []
        assert len(started) == 4
        assert warnings.events == []  # no "runtime.setup_retry"
        for runtime in started:
            assert runtime.ready()
    finally:
        for runtime in started:
            runtime.close()
