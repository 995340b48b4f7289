"""The registry's HTTP API: what a client sees, including problem details for bad input."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

from fastapi.testclient import TestClient

from tothon_shared.runtime.service import ServiceRuntime


def _unit(official_api: TestClient, **body: Any) -> str:
    response = official_api.post("/api/v1/units", json={"effective_from": "2025-07-01", **body})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _group(official_api: TestClient) -> str:
    city = official_api.get("/api/v1/units").json()[0]["unit_id"]
    ward = _unit(
        official_api,
        kind="ward",
        name="Phường Thanh Khê",
        code="20209",
        code_scheme="vn-2025",
        parent_id=city,
    )
    return _unit(official_api, kind="residential_group", name="Tổ dân phố 51", parent_id=ward)


def _household(group: str, **changes: Any) -> dict[str, Any]:
    return {
        "unit_id": group,
        "code": "HO-001",
        "registered_on": "2025-08-01",
        "members": [
            {"full_name": "Võ Thành Nam", "relationship": "head"},
            {"full_name": "Đặng Thị Lan", "relationship": "spouse"},
        ],
    } | changes


def test_a_registered_household_can_be_looked_up(official_api: TestClient, runtime: ServiceRuntime) -> None:
    group = _group(official_api)
    created = official_api.post("/api/v1/households", json=_household(group))
    assert created.status_code == 201
    runtime.projectors[0].catch_up()
    view = official_api.get(f"/api/v1/households/{created.json()['id']}").json()
    assert view["head_name"] == "Võ Thành Nam"
    assert view["member_count"] == 2
    assert view["members"][1] | {"person_id": None} == {
        "person_id": None,
        "full_name": "Đặng Thị Lan",
        "relationship": "spouse",
        "erased": False,
    }
    listed = official_api.get("/api/v1/households", params={"unit_id": group}).json()
    assert [h["code"] for h in listed] == ["HO-001"]


def test_names_typed_in_nfd_are_stored_in_nfc(official_api: TestClient, runtime: ServiceRuntime) -> None:
    group = _group(official_api)
    nfd = unicodedata.normalize("NFD", "Phan  Thị Bê ")
    created = official_api.post(
        "/api/v1/households", json=_household(group, members=[{"full_name": nfd, "relationship": "head"}])
    )
    runtime.projectors[0].catch_up()
    view = official_api.get(f"/api/v1/households/{created.json()['id']}").json()
    assert view["head_name"] == "Phan Thị Bê"
    assert unicodedata.is_normalized("NFC", view["head_name"])


def test_bad_input_gets_problem_details_in_vietnamese_and_english(
    official_api: TestClient, runtime: ServiceRuntime
) -> None:
    group = _group(official_api)
    before = runtime.app.recorder.max_notification_id()
    response = official_api.post(
        "/api/v1/households", json=_household(group, members=[{"full_name": "   ", "relationship": "cousin"}])
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Dữ liệu không hợp lệ"
    assert problem["title_en"] == "Invalid input"
    assert {e["field"] for e in problem["errors"]} == {"members.0.full_name", "members.0.relationship"}
    assert runtime.app.recorder.max_notification_id() == before


def test_english_is_served_when_the_client_asks_for_it(official_api: TestClient) -> None:
    response = official_api.post("/api/v1/households", json={}, headers={"Accept-Language": "en-GB"})
    assert response.json()["title"] == "Invalid input"


def test_a_household_without_a_head_is_refused_with_the_reason(official_api: TestClient) -> None:
    group = _group(official_api)
    response = official_api.post(
        "/api/v1/households",
        json=_household(group, members=[{"full_name": "Đặng Thị Lan", "relationship": "spouse"}]),
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Hộ gia đình phải có đúng một chủ hộ."


def test_registering_the_same_household_twice_is_a_conflict(official_api: TestClient) -> None:
    group = _group(official_api)
    assert official_api.post("/api/v1/households", json=_household(group)).status_code == 201
    second = official_api.post("/api/v1/households", json=_household(group))
    assert second.status_code == 409
    assert second.json()["title_en"] == "Conflict"
    # The clerk is told why: the code is taken, not that "a record" exists.
    assert second.json()["detail"] == "Mã hộ này đã được dùng trong đơn vị."
    assert second.json()["detail_en"] == "This household code is already used in the unit."


def test_the_household_list_comes_a_page_at_a_time_with_the_total(
    official_api: TestClient, runtime: ServiceRuntime
) -> None:
    group = _group(official_api)
    for number in range(1, 56):
        created = official_api.post("/api/v1/households", json=_household(group, code=f"HO-{number:03d}"))
        assert created.status_code == 201, created.text
    runtime.projectors[0].catch_up()
    first = official_api.get("/api/v1/households", params={"unit_id": group})
    assert (len(first.json()), first.headers["X-Total-Count"]) == (50, "55")
    rest = official_api.get("/api/v1/households", params={"unit_id": group, "offset": 50})
    assert [h["code"] for h in rest.json()] == [f"HO-{n:03d}" for n in range(51, 56)]
    assert rest.headers["X-Total-Count"] == "55"


def test_unknown_household_is_404_problem(official_api: TestClient) -> None:
    response = official_api.get("/api/v1/households/3f676157-6166-5b9a-8c6b-f1be5a438a1e")
    assert response.status_code == 404
    assert response.json()["title"] == "Không tìm thấy"


def test_oversized_requests_are_refused_before_reading(official_api: TestClient) -> None:
    response = official_api.post(
        "/api/v1/households", content=b"x" * 1_100_000, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_health_readiness_and_asyncapi_are_served(official_api: TestClient) -> None:
    assert official_api.get("/healthz").json()["status"] == "ok"
    assert official_api.get("/readyz").json()["status"] == "ready"
    doc = official_api.get("/asyncapi.json").json()
    assert doc["asyncapi"] == "3.0.0"
    addresses = {c["address"] for c in doc["channels"].values()}
    assert addresses == {
        "tothon.registry.units.v1",
        "tothon.registry.households.v1",
        "tothon.registry.accounts.v1",
    }
    assert {op["action"] for op in doc["operations"].values()} == {"send"}
    assert "HouseholdRegistered" in doc["components"]["schemas"]
    assert official_api.get("/healthz").headers["x-content-type-options"] == "nosniff"


def test_oversized_bodies_without_a_length_are_refused_too(official_api: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"x" * 100_000  # 2 MB in all, sent chunked: no Content-Length to check first

    response = official_api.post(
        "/api/v1/households", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "Nội dung gửi lên vượt quá giới hạn cho phép."


def test_only_the_import_route_takes_a_spreadsheet_above_the_general_body_limit(
    official_api: TestClient,
) -> None:
    spreadsheet = b"x" * 2_000_000  # over the general 1 MB, under the 20 MB the registry declares
    upload = official_api.post(f"/api/v1/imports?unit_id={uuid4()}&filename=so-ho.csv", content=spreadsheet)
    assert upload.status_code != 413
    huge = official_api.post(
        f"/api/v1/imports?unit_id={uuid4()}&filename=so-ho.csv", content=b"x" * 20_000_001
    )
    assert huge.status_code == 413
    elsewhere = official_api.post(
        "/api/v1/households", content=spreadsheet, headers={"content-type": "application/json"}
    )
    assert elsewhere.status_code == 413
