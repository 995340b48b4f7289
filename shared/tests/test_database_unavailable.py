"""A database that cannot answer is a 503 problem with Retry-After, never a 500; and neither a 503
nor a 500 costs a client its kept-alive connection (served by uvicorn, as in production)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import psycopg_pool
import pytest
import sqlalchemy.exc
import uvicorn
from eventsourcing import persistence
from fastapi import FastAPI

from tothon_feedback.bootstrap import DEFINITION
from tothon_shared.http.web import create_service_api
from tothon_shared.runtime.process import make_transport
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings


def _refused() -> Exception:
    return psycopg.OperationalError('connection to server at "127.0.0.1", port 5432 failed: refused')


def _wrapped() -> Exception:
    # An error of our own code raised while handling a lost connection.
    try:
        raise _refused()
    except psycopg.OperationalError as lost:
        raise RuntimeError("could not load the account") from lost


FAILURES: dict[str, Callable[[], Exception]] = {
    "refused": _refused,
    "pool-timeout": lambda: psycopg_pool.PoolTimeout("couldn't get a connection after 5.00 sec"),
    "sqlalchemy": lambda: sqlalchemy.exc.OperationalError("SELECT 1", {}, _refused()),
    "read-pool": lambda: sqlalchemy.exc.TimeoutError("QueuePool limit of size 10 overflow 0 reached"),
    "statement-timeout": lambda: psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
    "event-store": lambda: persistence.OperationalError("server closed the connection unexpectedly"),
    "event-store-interface": lambda: persistence.InterfaceError("the connection is closed"),
}


def _app(tmp_path: Path) -> FastAPI:
    config = Settings(data_dir=tmp_path)
    app = create_service_api(ServiceRuntime(DEFINITION, config, make_transport(config, "feedback")))

    def failing(make: Callable[[], Exception]) -> Callable[[], Any]:
        def route() -> None:  # run in a worker thread, as the routes' database work is
            if make is _wrapped:
                make()
            raise make()

        return route

    for name, make in [*FAILURES.items(), ("wrapped", _wrapped)]:
        app.add_api_route(f"/fail/{name}", failing(make))

    @app.get("/fail/bug")
    async def bug() -> None:
        raise ValueError("a bug, not an outage")

    return app


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(_app(tmp_path), host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_every_kind_of_database_failure_is_a_503_problem_with_retry_after(served: str) -> None:
    with httpx.Client(base_url=served) as client:
        for name in [*FAILURES, "wrapped"]:
            response = client.get(f"/fail/{name}")
            assert response.status_code == 503, name
            assert response.headers["retry-after"] == "5"
            assert response.headers["content-type"] == "application/problem+json"
            body = response.json()
            assert body["code"] == "database_unavailable.detail"
            assert body["title"] == "Dịch vụ tạm thời gián đoạn"  # Vietnamese unless asked otherwise
            assert body["detail_en"].startswith("The database is not answering")
            assert "Traceback" not in response.text
            assert "5432" not in response.text
        english = client.get("/fail/refused", headers={"Accept-Language": "en"}).json()
        assert english["title"] == "Service unavailable"
        bug = client.get("/fail/bug")
        assert bug.status_code == 500
        assert "retry-after" not in bug.headers
        assert bug.json()["code"] == "server_error.detail"


def test_a_client_keeps_its_connection_through_503s_and_500s(served: str) -> None:
    connections: list[str] = []

    def trace(event: str, info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.complete":
            connections.append(event)

    statuses = []
    with httpx.Client(base_url=served) as client:
        for path in ["/healthz", "/fail/refused", "/fail/bug", "/healthz", "/fail/event-store", "/healthz"]:
            statuses.append(client.get(path, extensions={"trace": trace}).status_code)
    assert statuses == [200, 503, 500, 200, 503, 200]
    assert len(connections) == 1  # uvicorn closed the connection after each 500 before
