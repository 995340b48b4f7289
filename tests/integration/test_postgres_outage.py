"""PostgreSQL stopped under load: every request is answered within the timeout (2xx, or 503 with
Retry-After: never a 500, never a hang, never a reset connection); the worker says why once and
then rarely; when the server is back, the service recovers and nothing written before is lost.

The server is a cluster of the test's own: the shared one serves every other test."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from deployments import ADMIN_PASSWORD, Deployment, fresh_deployment
from polling import wait_for
from private_postgres import USER, PrivateCluster, private_cluster

from tothon_shared.runtime.settings import Settings

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

TIMEOUT = 2  # seconds: connecting, waiting for a pooled connection, one statement
# A request waits at most for one pool (its first step to fail fails it) and one connection
# attempt; the rest is the machine's noise (two cores, shared with other tests).
BOUND = 2 * TIMEOUT + 4
CLIENTS = 4


@pytest.fixture
def outage_deployment(
    infrastructure: Settings, tmp_path: Path
) -> Iterator[tuple[Deployment, PrivateCluster]]:
    with private_cluster() as cluster:
        own = infrastructure.model_copy(
            update={"pg_port": cluster.port, "pg_user": USER, "pg_password": cluster.password}
        )
        with fresh_deployment(own, tmp_path) as deployed:
            deployed.env |= {
                "TOTHON_PG_PORT": str(cluster.port),
                "TOTHON_PG_USER": USER,
                "TOTHON_PG_PASSWORD": cluster.password,
                "TOTHON_PG_CONNECT_TIMEOUT_SECONDS": str(TIMEOUT),
                "TOTHON_PG_POOL_TIMEOUT_SECONDS": str(TIMEOUT),
                "TOTHON_PG_STATEMENT_TIMEOUT_SECONDS": str(TIMEOUT),
            }
            try:
                yield deployed, cluster
            finally:
                if not cluster.running():
                    cluster.start()  # the deployment's databases are dropped on it


@dataclass
class Answer:
    what: str
    began: float
    seconds: float
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    error: str | None = None


class Load:
    """Clients reading and writing without pause, each on one kept-alive connection."""

    def __init__(self, url: str, token: str, province: str) -> None:
        self.url, self.province = url, province
        self.headers = {"Authorization": f"Bearer {token}"}
        self.answers: list[Answer] = []
        self.connections = [0] * CLIENTS
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, args=(n,)) for n in range(CLIENTS)]
        self._lock = threading.Lock()

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _client(self, n: int) -> None:
        def trace(event: str, info: dict[str, Any]) -> None:
            if event == "connection.connect_tcp.complete":
                self.connections[n] += 1

        requests: list[tuple[str, str, str, dict[str, Any]]] = [
            ("read", "GET", "/api/v1/units", {"params": {"parent_id": self.province}}),
            ("session", "GET", "/api/v1/auth/me", {}),
            ("write", "POST", "/api/v1/units", {}),
        ]
        # Much longer than the bound: a hang shows as a slow answer, not as an error of ours.
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=60) as client:
            i = 0
            while not self._stop.is_set():
                what, method, path, extra = requests[i % len(requests)]
                if what == "write":
                    extra = {"json": _ward(f"{n}-{i}", self.province)}
                began = time.monotonic()
                answer = Answer(what, began, 0.0)
                try:
                    response = client.request(method, path, extensions={"trace": trace}, **extra)
                    answer.status, answer.headers = response.status_code, dict(response.headers)
                    answer.body = response.json()
                except httpx.HTTPError as error:
                    answer.error = repr(error)
                answer.seconds = time.monotonic() - began
                with self._lock:
                    self.answers.append(answer)
                i += 1

    def since(self, moment: float) -> list[Answer]:
        with self._lock:
            return [a for a in self.answers if a.began >= moment]


def _ward(tag: str, province: str) -> dict[str, Any]:
    return {
        "kind": "ward",
        "name": f"Phường Thử Nghiệm {tag}",
        "parent_id": province,
        "effective_from": date(2025, 7, 1).isoformat(),
    }


def _sign_in(url: str) -> str:
    signed_in = httpx.post(
        f"{url}/api/v1/auth/sign-in", json={"username": "admin", "password": ADMIN_PASSWORD}, timeout=30
    )
    assert signed_in.status_code == 200, signed_in.text
    return str(signed_in.json()["access_token"])


def _recovered(load: Load, since: float) -> bool:
    ok = {a.what for a in load.since(since) if a.status is not None and a.status < 300}
    return ok == {"read", "session", "write"}


def test_postgresql_stopped_under_load_answers_every_request_in_time_and_loses_nothing(
    outage_deployment: tuple[Deployment, PrivateCluster],
) -> None:
    deployment, cluster = outage_deployment
    province = deployment.bootstrap()
    api = deployment.start("registry", "api")
    worker = deployment.start("registry", "worker")
    token = _sign_in(api.url)
    with Load(api.url, token, province) as load:
        wait_for(lambda: _recovered(load, 0), timeout=60, what="the load running")
        time.sleep(2)
        stopped = time.monotonic()
        cluster.stop_abruptly()
        time.sleep(10)
        during = load.since(stopped + 0.5)
        cluster.start()
        restarted = time.monotonic()
        wait_for(lambda: _recovered(load, restarted + 0.5), timeout=60, what="the service recovering")
        time.sleep(1)
    answers = load.answers

    failures = [a for a in answers if a.error is not None]
    assert failures == []  # no reset connection, no timeout
    slow = [(a.what, round(a.seconds, 2), a.status) for a in answers if a.seconds > BOUND]
    assert slow == []
    assert {a.status for a in answers} <= {200, 201, 503}
    unavailable = [a for a in answers if a.status == 503]
    assert {a.what for a in during} == {"read", "session", "write"}
    assert all(a.status == 503 for a in during), {(a.what, a.status) for a in during}
    for answer in unavailable:
        assert answer.headers["retry-after"] == "5"
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.body["code"] == "database_unavailable.detail"
    assert load.connections == [1] * CLIENTS  # each client kept its one connection throughout

    # Nothing answered 201 is lost: the worker, back too, projects every unit written.
    written = {a.body["id"] for a in answers if a.status == 201}
    assert len(written) > 3

    def listed() -> set[str]:
        response = httpx.get(
            f"{api.url}/api/v1/units",
            params={"parent_id": province},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        return {u["unit_id"] for u in response.json()} if response.status_code == 200 else set()

    wait_for(lambda: written <= listed(), timeout=60, what="every unit written in the read model")

    # The worker said why once, then at most every 30 s, and that it recovered.
    worker_log = worker.output()
    rounds = re.findall(r"worker\.round_failed(?!\.)", worker_log)
    assert 1 <= len(rounds) <= 2, worker_log[-3000:]
    assert "worker.round_failed.recovered" in worker_log
    assert "Traceback" not in worker_log
    api_log = api.output()
    assert 1 <= api_log.count("http.database_unavailable") <= 2, api_log[-3000:]
    assert "Traceback" not in api_log
