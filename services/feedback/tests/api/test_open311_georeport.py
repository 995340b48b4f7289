"""Open311 GeoReport v2 on the feedback service: every response valid against the GeoReport JSON
Schemas the project wrote from the specification (and the XML carrying the same data), requests
filed only with a valid key, personal data only for key holders, refusals in GeoReport's error
format and never a 5xx."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from defusedxml import ElementTree
from feedback_city import City
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tothon_feedback.open311
from tothon_shared.auth.roles import Role

V2 = "/open311/v2"
SCHEMAS = Path(tothon_feedback.open311.__file__).parent / "schemas"
KEYS = "/api/v1/feedback/open311-keys"


def _valid(data: Any, schema: str) -> Any:
    document = json.loads((SCHEMAS / schema).read_text())
    jsonschema.validate(data, document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return data


def _key(city: City, system: str = "Tổng đài 1022") -> dict[str, Any]:
    city.feedback.as_(Role.CITY_IT_ADMIN, city.city)
    issued = city.feedback.client.post(KEYS, json={"system": system, "reason": "Kết nối tổng đài"})
    assert issued.status_code == 201, issued.text
    city.feedback.client.headers.pop("Authorization")
    result: dict[str, Any] = issued.json()
    return result


def _post(city: City, form: dict[str, str], fmt: str = "json") -> Any:
    response = city.feedback.client.post(f"{V2}/requests.{fmt}", data=form)
    city.feedback.project()
    return response


def _form(city: City, secret: str, **extra: str) -> dict[str, str]:
    return {
        "api_key": secret,
        "service_code": "sanitation",
        "description": "Rác tồn đọng ở kiệt 45 Lê Duẩn, Nguyễn Văn A gọi tổng đài",
        "address_id": str(city.group),
        "address_string": "Kiệt 45 Lê Duẩn",
        "lat": "16.0678",
        "long": "108.2208",
        **extra,
    }


def _xml_requests(content: bytes) -> list[dict[str, str | None]]:
    root = ElementTree.fromstring(content)
    assert root.tag == "service_requests"
    return [{child.tag: child.text for child in item} for item in root]


def test_discovery_services_and_definitions_in_json_and_xml(city: City) -> None:
    client = city.feedback.client
    discovery = _valid(client.get(f"{V2}/discovery.json").json(), "discovery.json")
    assert discovery["endpoints"][0]["url"].endswith("/open311/v2")
    services = _valid(client.get(f"{V2}/services.json").json(), "services.json")
    codes = {s["service_code"] for s in services}
    assert {"sanitation", "infrastructure", "complaint"} <= codes
    [complaint] = [s for s in services if s["service_code"] == "complaint"]
    assert "Luật Khiếu nại" in complaint["description"]
    as_xml = ElementTree.fromstring(client.get(f"{V2}/services.xml").content)
    assert {s.findtext("service_code") for s in as_xml} == codes
    _valid(client.get(f"{V2}/services/sanitation.json").json(), "service-definition.json")
    unknown = client.get(f"{V2}/services/no_such.json")
    assert unknown.status_code == 404
    _valid(unknown.json(), "errors.json")
    wrong = client.get(f"{V2}/services.yaml")
    assert wrong.status_code == 404
    _valid(wrong.json(), "errors.json")


def test_a_system_files_a_request_with_its_key_and_follows_it(city: City) -> None:
    secret = _key(city)["secret"]
    created = _post(city, _form(city, secret))
    assert created.status_code == 200, created.text
    [answer] = _valid(created.json(), "request-created.json")
    request_id = answer["service_request_id"]
    client = city.feedback.client
    # Anyone sees the request without the caller's words, address or position.
    [public] = _valid(client.get(f"{V2}/requests/{request_id}.json").json(), "requests.json")
    assert (public["status"], public["service_code"], public["address_id"]) == (
        "open",
        "sanitation",
        str(city.group),
    )
    assert (public["description"], public["address"], public["lat"]) == (None, None, None)
    # The system with its key sees them.
    [trusted] = _valid(
        client.get(f"{V2}/requests/{request_id}.json", params={"api_key": secret}).json(), "requests.json"
    )
    assert "Rác tồn đọng" in trusted["description"]
    assert (trusted["lat"], trusted["long"]) == (16.0678, 108.2208)
    # The XML says the same.
    [as_xml] = _xml_requests(client.get(f"{V2}/requests/{request_id}.xml").content)
    assert (as_xml["service_request_id"], as_xml["status"], as_xml["service_code"]) == (
        request_id,
        "open",
        "sanitation",
    )
    tokens = _valid(client.get(f"{V2}/tokens/{answer['token']}.json").json(), "tokens.json")
    assert tokens[0]["service_request_id"] == request_id
    # The case is the group's, filed by the system for its caller.
    city.as_(city.leader)
    case = client.get(f"/api/v1/feedback/cases/{request_id}").json()
    assert (case["channel"], case["level"], case["unit_id"]) == ("system", "group", str(city.group))


def test_requests_without_a_valid_key_are_refused_and_store_nothing(city: City) -> None:
    issued = _key(city)
    for secret in ("", "not-a-key"):
        refused = _post(city, _form(city, secret))
        assert refused.status_code == 403, refused.text
        _valid(refused.json(), "errors.json")
    city.feedback.as_(Role.CITY_IT_ADMIN, city.city)
    revoked = city.feedback.client.post(f"{KEYS}/{issued['key_id']}/revoke", json={"reason": "Hết hợp đồng"})
    assert revoked.status_code == 204, revoked.text
    again = city.feedback.client.post(f"{KEYS}/{issued['key_id']}/revoke", json={"reason": "Lần nữa"})
    assert again.status_code == 409
    city.feedback.project()
    listed = city.feedback.client.get(KEYS).json()
    assert listed[0]["revoked_at"] is not None
    assert "secret" not in listed[0]
    city.feedback.client.headers.pop("Authorization")
    assert _post(city, _form(city, issued["secret"])).status_code == 403
    assert city.feedback.client.get(f"{V2}/requests.json").json() == []


def test_bad_requests_are_refused_in_georeport_terms(city: City) -> None:
    secret = _key(city)["secret"]
    cases = [
        ({"service_code": "no_such"}, 404),
        ({"service_code": "complaint"}, 400),
        ({"address_id": "nowhere"}, 400),
        ({"address_id": "00000000-0000-0000-0000-000000000000"}, 400),
        ({"lat": "91"}, 400),
        ({"lat": "abc"}, 400),
        ({"description": ""}, 400),
    ]
    for change, status in cases:
        refused = _post(city, _form(city, secret, **change))
        assert refused.status_code == status, (change, refused.text)
        _valid(refused.json(), "errors.json")
    as_xml = city.feedback.client.post(f"{V2}/requests.xml", data=_form(city, "wrong"))
    assert ElementTree.fromstring(as_xml.content).tag == "errors"
    json_body = city.feedback.client.post(f"{V2}/requests.json", json=_form(city, secret))
    assert json_body.status_code == 400
    assert city.feedback.client.get(f"{V2}/requests.json").json() == []


def test_the_request_list_filters_by_id_type_date_and_status(city: City) -> None:
    secret = _key(city)["secret"]
    sanitation = _post(city, _form(city, secret)).json()[0]["service_request_id"]
    road = _post(city, _form(city, secret, service_code="infrastructure", description="Ổ gà")).json()[0][
        "service_request_id"
    ]
    client = city.feedback.client

    def listed(**params: str) -> set[str]:
        response = client.get(f"{V2}/requests.json", params=params)
        assert response.status_code == 200, response.text
        return {r["service_request_id"] for r in _valid(response.json(), "requests.json")}

    assert listed() == {sanitation, road}
    assert listed(service_code="infrastructure") == {road}
    assert listed(service_request_id=f"{road},{sanitation}") == {sanitation, road}
    assert listed(status="closed") == set()
    assert listed(status="open") == {sanitation, road}
    assert listed(start_date="2000-01-01T00:00:00Z", end_date="2000-02-01T00:00:00Z") == set()
    bad = client.get(f"{V2}/requests.json", params={"status": "pending"})
    assert bad.status_code == 400
    _valid(bad.json(), "errors.json")


def test_service_request_updates_follow_the_public_steps(city: City) -> None:
    secret = _key(city)["secret"]
    request_id = _post(city, _form(city, secret)).json()[0]["service_request_id"]
    feedback = city.feedback
    city.as_(city.leader)
    feedback.step(request_id, "accept")
    feedback.step(request_id, "notes", {"text": "Nội bộ"})
    evidence = feedback.evidence()
    feedback.step(request_id, "resolve", {"answer": "Đã thu gom rác", "evidence": [evidence]})
    feedback.client.headers.pop("Authorization")
    updates = _valid(
        feedback.client.get(f"{V2}/servicerequestupdates.json").json(), "service-request-updates.json"
    )
    mine = [u for u in updates["service_request_updates"] if u["service_request_id"] == request_id]
    assert [u["status"] for u in mine] == ["OPEN", "INVESTIGATING", "FIXED"]
    assert mine[-1]["description"] == "Đã thu gom rác"
    assert mine[-1]["media_url"].endswith(f"/public/evidence/{evidence}")
    [closed] = feedback.client.get(f"{V2}/requests/{request_id}.json").json()
    assert (closed["status"], closed["status_notes"]) == ("closed", "Đã thu gom rác")
    as_xml = ElementTree.fromstring(feedback.client.get(f"{V2}/servicerequestupdates.xml").content)
    assert as_xml.tag == "service_request_updates"
    assert len(as_xml) == 3


_TEXT = st.text(max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    form=st.dictionaries(
        st.sampled_from(
            ["service_code", "description", "address_id", "lat", "long", "api_key", "media_url", "x"]
        ),
        _TEXT,
    )
)
def test_no_form_however_odd_gives_a_server_error(city: City, form: dict[str, str]) -> None:
    response = city.feedback.client.post(f"{V2}/requests.json", data=form)
    assert response.status_code < 500, response.text
    _valid(response.json(), "errors.json")


@pytest.mark.parametrize(
    "path", ["requests.json?start_date=yesterday", "requests/%00.json", "tokens/abc.xml"]
)
def test_odd_queries_are_refused_not_failed(city: City, path: str) -> None:
    response = city.feedback.client.get(f"{V2}/{path}")
    assert 400 <= response.status_code < 500, response.text
