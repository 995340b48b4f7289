"""What every service's HTTP side guarantees: security headers, body limits and a strict CORS policy."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tothon_feedback.bootstrap import DEFINITION
from tothon_shared.http.web import create_service_api
from tothon_shared.runtime.process import make_transport
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings


def _client(tmp_path: Path, **settings: object) -> TestClient:
    config = Settings(data_dir=tmp_path, **settings)  # type: ignore[arg-type]
    runtime = ServiceRuntime(DEFINITION, config, make_transport(config, "feedback"))
    return TestClient(create_service_api(runtime))


def test_other_origins_get_no_cors_permission_by_default(tmp_path: Path) -> None:
    client = _client(tmp_path)
    preflight = client.options(
        "/api/v1/directory/units",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    response = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_only_listed_origins_are_allowed(tmp_path: Path) -> None:
    client = _client(tmp_path, cors_origins=["https://tothon.danang.gov.vn"])
    allowed = client.options(
        "/api/v1/directory/units",
        headers={
            "Origin": "https://tothon.danang.gov.vn",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert allowed.headers["access-control-allow-origin"] == "https://tothon.danang.gov.vn"
    assert "access-control-allow-credentials" not in allowed.headers
    refused = client.options(
        "/api/v1/directory/units",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in refused.headers


def test_every_answer_carries_security_headers_and_problems_leak_nothing(tmp_path: Path) -> None:
    client = _client(tmp_path)
    response = client.get("/api/v1/directory/units")
    assert response.status_code == 401
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "Traceback" not in response.text
    assert set(response.json()) <= {
        "type",
        "title",
        "status",
        "title_vi",
        "title_en",
        "detail",
        "detail_vi",
        "detail_en",
        "code",
    }
