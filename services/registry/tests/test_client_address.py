"""The sign-in limit counts attempts per client address: the connecting address, unless that is a
trusted proxy (the ingress), whose X-Forwarded-For then names the client. A header sent by anyone
else changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import ip_network
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tothon_registry.bootstrap import DEFINITION
from tothon_shared.http.web import create_service_api
from tothon_shared.runtime.process import make_transport
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings

INGRESS = ("10.244.1.7", 43210)  # a pod of the ingress controller
STRANGER = ("203.0.113.9", 50000)  # somebody on the internet, connecting directly
LIMIT = 3


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[ServiceRuntime]:
    settings = Settings(
        data_dir=tmp_path, sign_in_rate_per_minute=LIMIT, trusted_proxies=[ip_network("10.244.0.0/16")]
    )
    runtime = ServiceRuntime(DEFINITION, settings, make_transport(settings, "registry"))
    yield runtime
    runtime.close()


def _attempts(client: TestClient, forwarded_for: list[str]) -> list[int]:
    return [
        client.post(
            "/api/v1/auth/sign-in",
            json={"username": "nobody", "password": "x"},
            headers={"X-Forwarded-For": address},
        ).status_code
        for address in forwarded_for
    ]


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_gets_no_fresh_bucket(runtime: ServiceRuntime) -> None:
    client = TestClient(create_service_api(runtime), client=STRANGER)
    made_up = [f"198.51.100.{n}" for n in range(LIMIT + 2)]
    assert _attempts(client, made_up) == [401] * LIMIT + [429, 429]


def test_behind_the_trusted_ingress_each_client_has_its_own_bucket(runtime: ServiceRuntime) -> None:
    ingress = TestClient(create_service_api(runtime), client=INGRESS)
    assert _attempts(ingress, ["198.51.100.1"] * (LIMIT + 1)) == [401] * LIMIT + [429]
    assert _attempts(ingress, ["198.51.100.2"]) == [401]  # another person, not the ingress's bucket


def test_a_client_cannot_escape_its_bucket_by_prepending_addresses(runtime: ServiceRuntime) -> None:
    # The ingress appends the address it saw: only the right-most untrusted entry counts.
    ingress = TestClient(create_service_api(runtime), client=INGRESS)
    chains = [f"198.51.100.{n}, 10.244.3.3, 203.0.113.50" for n in range(LIMIT + 1)]
    assert _attempts(ingress, chains) == [401] * LIMIT + [429]


def test_without_trusted_proxies_the_forwarded_header_is_ignored(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, sign_in_rate_per_minute=LIMIT)
    runtime = ServiceRuntime(DEFINITION, settings, make_transport(settings, "registry"))
    try:
        from_ingress = TestClient(create_service_api(runtime), client=INGRESS)
        assert _attempts(from_ingress, [f"198.51.100.{n}" for n in range(LIMIT + 1)]) == [401] * LIMIT + [429]
    finally:
        runtime.close()
