"""The household feed's live stream: an open page is told at once (within a second) when a new
notice reaches its household, and nothing for another household's notice; the stream is refused to
another household and to another unit's official, as the feed is. Run through a real HTTP server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from conversation_ward import Ward
from service_harness import ServiceHarness

from tothon_shared.auth.http import token_issuer_for
from tothon_shared.auth.principal import Principal

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def served(svc: ServiceHarness) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(svc.client.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _headers(svc: ServiceHarness, principal: Principal) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_issuer_for(svc.settings).issue(principal)}"}


def test_an_open_page_hears_of_a_new_notice_for_its_household_at_once(w: Ward, served: str) -> None:
    url = f"{served}/api/v1/households/{w.household}/feed/events"
    with (
        httpx.Client(timeout=20) as client,
        client.stream("GET", url, headers=_headers(w.svc, w.resident)) as stream,
    ):
        assert stream.status_code == 200
        lines = stream.iter_lines()
        assert next(lines) == "event: feed"
        assert next(lines).startswith("data: 0")
        # Another ward's notice: nothing; the ward's own: told, with the feed's new size.
        w.as_(w.other_leader)
        w.post("/api/v1/announcements", {"unit_id": str(w.group_51), "title": "Khác", "body": "Khác"}, 201)
        w.as_(w.ward_official)
        w.post(
            "/api/v1/announcements", {"unit_id": str(w.ward), "title": "Cắt nước", "body": "Sáng mai"}, 201
        )
        began = time.monotonic()
        told = list(_until(lines, "data: 1"))
        assert told[-2:] == ["event: feed", "data: 1"]
        assert time.monotonic() - began < 5


def _until(lines: Iterator[str], wanted: str) -> Iterator[str]:
    for line in lines:
        if line:
            yield line
        if line == wanted:
            return


def test_the_stream_is_refused_to_another_household_and_another_units_official(w: Ward, served: str) -> None:
    url = f"{served}/api/v1/households/{w.household}/feed/events"
    for principal in (w.neighbour_resident, w.other_leader):
        answered = httpx.get(url, headers=_headers(w.svc, principal), timeout=10)
        assert answered.status_code == 403, answered.text
