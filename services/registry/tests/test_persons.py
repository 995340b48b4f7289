"""A person's record: fields masked by role and purpose, every official read logged, consents the
residents manage themselves, and erasure that makes the stored events unreadable but keeps totals."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from registry_world import World
from registry_world import family as family_world

from tothon_registry.integration.outbound import to_integration_events
from tothon_shared.contracts.registry import NotificationConsentChanged
from tothon_shared.eventstore.notification_log import NotificationLog
from tothon_shared.kernel.clock import today
from tothon_shared.runtime.service import ServiceRuntime


@pytest.fixture
def world(runtime: ServiceRuntime, api: TestClient) -> World:
    return family_world(runtime, api, "leader", "police", "city", "other_leader", "resident")


def _members(world: World) -> list[dict[str, Any]]:
    view = world.api.get(f"/api/v1/households/{world.household}", headers=world.clients["ward"]).json()
    return list(view["members"])


def _head(world: World) -> str:
    return str(_members(world)[0]["person_id"])


def _person(world: World, who: str, purpose: str | None = "residence_management") -> dict[str, Any]:
    params = {"purpose": purpose} if purpose else {}
    response = world.api.get(f"/api/v1/persons/{_head(world)}", params=params, headers=world.clients[who])
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_input_is_normalised_and_the_ward_sees_everything_for_welfare(world: World) -> None:
    person = _person(world, "ward", "social_welfare")
    assert person["citizen_id"] == "048088012345"
    assert person["phone"] == "+84905123456"
    assert person["ethnicity"] == "Kinh"
    assert person["poverty_status"] == "near_poor"
    assert person["health_status"] == "Khuyết tật vận động"
    # Welfare work does not need a person's religion, even for the ward.
    assert person["religion"] is None
    assert person["disclosure"]["religion"] == "hidden"


def test_a_group_leader_sees_masked_identity_and_no_sensitive_fields(world: World) -> None:
    person = _person(world, "leader")
    assert person["full_name"] == "Võ Thành Nam"
    assert person["citizen_id"] == "•••••••••345"
    assert person["birth_date"] == "1988"
    assert person["phone"] == "+84905123456"
    for field in ("ethnicity", "religion", "health_status", "poverty_status"):
        assert person[field] is None
        assert person["disclosure"][field] == "hidden"


def test_area_police_see_only_the_fields_their_work_needs(world: World) -> None:
    person = _person(world, "police", "security")
    assert person["citizen_id"] == "048088012345"
    assert person["birth_date"] == "1988-04-12"
    assert {f for f, shown in person["disclosure"].items() if shown == "hidden"} == {
        "ethnicity",
        "religion",
        "health_status",
        "poverty_status",
    }
    # Even with a welfare purpose, the police role never sees welfare fields.
    welfare = _person(world, "police", "social_welfare")
    assert welfare["poverty_status"] is None
    assert welfare["ethnicity"] is None


def test_the_purpose_limits_what_even_a_ward_official_sees(world: World) -> None:
    person = _person(world, "ward", "contact")
    assert person["phone"] == "+84905123456"
    assert person["citizen_id"] is None
    assert person["birth_date"] is None


def test_officials_must_state_a_purpose(world: World) -> None:
    response = world.api.get(f"/api/v1/persons/{_head(world)}", headers=world.clients["ward"])
    assert response.status_code == 422
    assert "purpose" in response.json()["detail"]


def test_a_group_leader_cannot_read_another_groups_residents(world: World) -> None:
    head = _head(world)
    for url in (f"/api/v1/persons/{head}", f"/api/v1/households/{world.household}"):
        response = world.api.get(url, params={"purpose": "contact"}, headers=world.clients["other_leader"])
        assert response.status_code == 403, url
    listing = world.api.get(
        "/api/v1/households", params={"unit_id": str(world.group)}, headers=world.clients["other_leader"]
    )
    assert listing.status_code == 403


def test_every_official_read_is_logged_and_the_resident_sees_it(world: World) -> None:
    _person(world, "police", "security")
    _person(world, "leader", "contact")
    # The resident reading their own household is not an official read.
    own = world.api.get(f"/api/v1/persons/{_head(world)}", headers=world.clients["resident"])
    assert own.status_code == 200
    assert own.json()["religion"] == "Công giáo"
    reads = world.api.get("/api/v1/me/data-reads", headers=world.clients["resident"]).json()
    person_reads = [r for r in reads if r["person_id"] == _head(world)]
    assert [(r["reader_name"], r["purpose"]) for r in person_reads] == [
        ("totruong", "contact"),
        ("congan", "security"),
    ]
    assert person_reads[0]["fields"] == "full_name,sex,phone"
    assert "citizen_id" in person_reads[1]["fields"]
    assert "religion" not in person_reads[1]["fields"]


def test_a_phone_is_refused_without_consent_and_nothing_is_stored(world: World) -> None:
    before = world.app.recorder.max_notification_id()
    response = world.api.post(
        "/api/v1/households",
        json={
            "unit_id": str(world.group),
            "code": "HO-002",
            "registered_on": "2025-08-01",
            "members": [{"full_name": "Phan Thị Bê", "relationship": "head", "phone": "0905000111"}],
        },
        headers=world.clients["ward"],
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Chỉ lưu số điện thoại")
    assert world.app.recorder.max_notification_id() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("citizen_id", "04808801234"),  # 11 digits
        ("citizen_id", "04808801234X"),
        ("phone", "12345"),
        ("phone", "+1 202 555 0100"),
        ("birth_date", "2999-01-01"),
        ("poverty_status", "rich"),
    ],
)
def test_malformed_personal_details_are_refused(world: World, field: str, value: str) -> None:
    member = {"full_name": "Phan Thị Bê", "relationship": "head", field: value}
    response = world.api.post(
        "/api/v1/households",
        json={
            "unit_id": str(world.group),
            "code": "HO-003",
            "registered_on": "2025-08-01",
            "members": [member],
        },
        headers=world.clients["ward"],
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [f"members.0.{field}"]


def test_residents_withdraw_and_give_consent_for_their_phone(world: World) -> None:
    head = _head(world)
    resident = world.clients["resident"]
    assert (
        world.api.delete(f"/api/v1/persons/{head}/consents/notifications_phone", headers=resident).status_code
        == 204
    )
    world.catch_up()
    person = _person(world, "ward", "contact")
    assert person["phone"] is None
    assert person["consents"][0]["withdrawn_at"] is not None
    again = world.api.delete(f"/api/v1/persons/{head}/consents/notifications_phone", headers=resident)
    assert again.status_code == 409
    given = world.api.post(
        f"/api/v1/persons/{head}/consents",
        json={"purpose": "notifications_phone", "phone": "+84 935 222 333"},
        headers=resident,
    )
    assert given.status_code == 204
    world.catch_up()
    assert _person(world, "ward", "contact")["phone"] == "+84935222333"
    # Nobody else decides a resident's consent, not even their group leader.
    refused = world.api.delete(
        f"/api/v1/persons/{head}/consents/notifications_phone", headers=world.clients["leader"]
    )
    assert refused.status_code == 403
    # Other services hear each change (given at registration, withdrawn, given again), never the number.
    public = [
        e
        for logged in NotificationLog(world.app).read(0, 10_000)
        for e in to_integration_events(logged.event, logged.context)
        if isinstance(e, NotificationConsentChanged)
    ]
    assert [(str(e.subject_id), e.household_id, e.given) for e in public] == [
        (head, world.household, True),
        (head, world.household, False),
        (head, world.household, True),
    ]
    assert not any("935" in e.model_dump_json() for e in public)


def test_erasure_makes_the_events_unreadable_and_keeps_the_totals(world: World) -> None:
    head = _head(world)
    refused = world.api.post(
        f"/api/v1/persons/{head}/erasure", json={"reason": "subject_request"}, headers=world.clients["leader"]
    )
    assert refused.status_code == 403
    erased = world.api.post(
        f"/api/v1/persons/{head}/erasure", json={"reason": "subject_request"}, headers=world.clients["ward"]
    )
    assert erased.status_code == 204, erased.text
    world.catch_up()

    # The stored events are still there, sealed, and nothing can open them any more.
    person_events = [
        logged.event
        for logged in NotificationLog(world.app).read(0, 1000)
        if logged.event.originator_id == UUID(head)
    ]
    assert [type(e).__name__ for e in person_events] == ["Recorded", "Erased"]
    assert person_events[0].details is None
    raw = b"".join(n.state for n in world.app.recorder.select_notifications(1, 1000))
    assert "Thành Nam".encode() not in raw
    assert b"048088012345" not in raw
    assert world.app.subject_keys.is_shredded(UUID(head))

    # Read models keep the member and the counts, without any personal field.
    view = world.api.get(f"/api/v1/households/{world.household}", headers=world.clients["ward"]).json()
    assert view["member_count"] == 2
    assert view["head_name"] is None
    assert view["members"][0] == {
        "person_id": head,
        "full_name": None,
        "relationship": "head",
        "erased": True,
    }
    person = _person(world, "ward", "social_welfare")
    assert person["erased_on"] == today().isoformat()  # the day in Vietnam
    assert all(person[f] is None for f in ("full_name", "citizen_id", "phone", "ethnicity", "poverty_status"))

    # A rebuild from the event store reaches the same state: the erasure cannot be undone.
    for projector in world.runtime.projectors:
        projector.rebuild()
    rebuilt = world.api.get(f"/api/v1/households/{world.household}", headers=world.clients["ward"]).json()
    assert rebuilt == view

    # Erasing again changes nothing; recording anything new about the person is refused.
    again = world.api.post(
        f"/api/v1/persons/{head}/erasure", json={"reason": "subject_request"}, headers=world.clients["ward"]
    )
    assert again.status_code == 204
    consent = world.api.post(
        f"/api/v1/persons/{head}/consents",
        json={"purpose": "notifications_phone", "phone": "0905123456"},
        headers=world.clients["resident"],
    )
    assert consent.status_code == 409


def test_the_ward_audits_every_official_read_in_its_units(world: World) -> None:
    _person(world, "police", "security")
    world.api.get(f"/api/v1/households/{world.household}", headers=world.clients["leader"])
    audit = world.api.get(
        "/api/v1/access-log", params={"unit_id": str(world.ward)}, headers=world.clients["ward"]
    )
    assert audit.status_code == 200
    reads = audit.json()
    assert [(r["reader_name"], r["purpose"], r["household_code"]) for r in reads[:2]] == [
        ("totruong", "household view", "HO-001"),
        ("congan", "security", "HO-001"),
    ]
    assert reads[1]["person_id"] == _head(world)
    older = world.api.get(
        "/api/v1/access-log",
        params={"unit_id": str(world.ward), "before": reads[0]["read_id"], "limit": 1},
        headers=world.clients["ward"],
    ).json()
    assert [r["read_id"] for r in older] == [reads[1]["read_id"]]
    # Group leaders and police are audited; they do not audit.
    for who in ("leader", "police"):
        response = world.api.get(
            "/api/v1/access-log", params={"unit_id": str(world.group)}, headers=world.clients[who]
        )
        assert response.status_code == 403


def test_a_persons_history_says_what_changed_when_and_by_whom_without_values(world: World) -> None:
    head = _head(world)
    resident = world.clients["resident"]
    world.api.delete(f"/api/v1/persons/{head}/consents/notifications_phone", headers=resident)
    history = world.api.get(f"/api/v1/persons/{head}/history", headers=resident).json()
    assert [(h["event"], h["actor_name"], h["detail"]) for h in history] == [
        ("Recorded", "phuong", None),
        ("ConsentWithdrawn", "cudan", "notifications_phone"),
    ]
    assert "0905" not in str(history)
    assert (
        world.api.get(f"/api/v1/persons/{head}/history", headers=world.clients["other_leader"]).status_code
        == 403
    )
    seen = world.api.get(f"/api/v1/persons/{head}/history", headers=world.clients["leader"])
    assert seen.status_code == 200
    reads = world.api.get("/api/v1/me/data-reads", headers=resident).json()
    assert reads[0]["fields"] == "history"
