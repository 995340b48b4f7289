"""A real Open311 client library (``georeport``, from PyPI) reads the embedded suite's GeoReport v2
endpoint over HTTP, in JSON and in XML: the service list, a definition, the request list and one
request filed by another system with its key."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from georeport import GeoReport  # type: ignore[import-untyped]
from polling import wait_for

from tothon.embedded import build_embedded
from tothon_feedback.application import FeedbackApplication
from tothon_feedback.readmodels.tables import DIRECTORY
from tothon_shared.runtime.settings import Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FeedbackApplication, str]]:
    """The embedded suite on a free port, a key for a system, and a group the feedback service knows."""
    embedded = build_embedded(
        Settings(data_dir=Path(tmp_path_factory.mktemp("data")), poll_interval_seconds=0.02)
    )
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(embedded.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the embedded suite did not start"
        time.sleep(0.1)
    runtime = embedded.runtimes["feedback"]
    app = runtime.app
    assert isinstance(app, FeedbackApplication)
    groups = wait_for(
        lambda: [u for u in DIRECTORY.list_units(runtime.store) if u["name"] == "Tổ dân phố 17"],
        what="the pilot group in the feedback service",
    )
    yield f"http://127.0.0.1:{port}", app, str(groups[0]["unit_id"])
    server.should_exit = True
    thread.join(timeout=30)


@pytest.mark.parametrize("output", ["json", "xml"])
def test_the_georeport_client_reads_what_a_system_filed(
    suite: tuple[str, FeedbackApplication, str], output: str
) -> None:
    base, app, group = suite
    _key_id, secret = app.issue_open311_key("Tổng đài 1022", "test", "Kết nối thử")
    endpoint = f"{base}/feedback/open311/v2"
    filed = httpx.post(
        f"{endpoint}/requests.json",
        data={
            "api_key": secret,
            "service_code": "sanitation",
            "description": f"Rác tồn đọng, gọi qua tổng đài ({output})",
            "address_id": group,
        },
    )
    assert filed.status_code == 200, filed.text
    request_id = filed.json()[0]["service_request_id"]
    client = GeoReport(endpoint, output_format=output)
    services = client.get_service_list()
    assert "sanitation" in {s["service_code"] for s in services}
    assert client.get_service_definition("sanitation")["service_code"] == "sanitation"
    one = wait_for(lambda: _found(client, request_id), what="the filed request listed")
    assert (one["service_code"], one["status"], one["address_id"]) == ("sanitation", "open", group)
    listed = client.get_service_requests(service_code="sanitation")
    listed = listed if isinstance(listed, list) else [listed]  # xmltodict: one element is no list
    assert request_id in {r["service_request_id"] for r in listed}
    discovery = httpx.get(f"{endpoint}/discovery.json").json()
    assert discovery["endpoints"][0]["url"] == endpoint


def _found(client: GeoReport, request_id: str) -> dict[str, str] | None:
    try:
        found: dict[str, str] = client.get_service_request(request_id)
    except Exception:  # the client raises requests' HTTPError for 404 until the case is projected
        return None
    return found
