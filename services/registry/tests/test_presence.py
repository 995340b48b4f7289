"""Ghost residents: a group leader flags, the ward or the area police review, and only they change
the legal residence status; every step is recorded with who took it."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from registry_world import World
from registry_world import family as family_world

from tothon_registry.domain.account import Account
from tothon_registry.domain.person import Person
from tothon_registry.domain.presence import PresenceFlag
from tothon_registry.integration.outbound import to_integration_events
from tothon_shared.contracts.registry import (
    HouseholdResidenceChanged,
    PresenceFlagRaised,
    PresenceFlagReviewed,
)
from tothon_shared.eventstore.notification_log import NotificationLog
from tothon_shared.runtime.service import ServiceRuntime


@pytest.fixture
def village(runtime: ServiceRuntime, api: TestClient) -> World:
    return family_world(runtime, api, "leader", "police", "other_leader")


def _spouse(world: World) -> str:
    view = world.api.get(f"/api/v1/households/{world.household}", headers=world.clients["ward"]).json()
    return str(view["members"][1]["person_id"])


def _flag(world: World, who: str = "leader", **changes: Any) -> Any:
    body = {
        "household_id": str(world.household),
        "person_id": _spouse(world),
        "kind": "registered_not_living",
        "observed_on": "2026-10-01",
        "note": "Chị Lan đi làm ở Bình Dương từ tháng 3, cả năm không về",
    } | changes
    return world.api.post("/api/v1/presence-flags", json=body, headers=world.clients[who])


def _open_flags(world: World, who: str = "ward") -> list[dict[str, Any]]:
    response = world.api.get(
        "/api/v1/presence-flags", params={"unit_id": str(world.group)}, headers=world.clients[who]
    )
    assert response.status_code == 200, response.text
    return list(response.json())


def test_a_leader_flags_the_police_confirm_and_then_change_the_legal_status(village: World) -> None:
    raised = _flag(village)
    assert raised.status_code == 201, raised.text
    village.catch_up()
    [flag] = _open_flags(village, "police")
    assert flag["kind"] == "registered_not_living"
    assert flag["note"].startswith("Chị Lan")
    # The leader may not decide, nor change the legal status.
    review = {"decision": "confirmed", "note": "Đã xác minh với gia đình"}
    assert (
        village.api.post(
            f"/api/v1/presence-flags/{flag['flag_id']}/review", json=review, headers=village.clients["leader"]
        ).status_code
        == 403
    )
    spouse = _spouse(village)
    absence = {"status": "declared_absence"}
    assert (
        village.api.put(
            f"/api/v1/persons/{spouse}/residence", json=absence, headers=village.clients["leader"]
        ).status_code
        == 403
    )
    # The area police review it and record the declared absence.
    assert (
        village.api.post(
            f"/api/v1/presence-flags/{flag['flag_id']}/review", json=review, headers=village.clients["police"]
        ).status_code
        == 204
    )
    assert (
        village.api.post(
            f"/api/v1/presence-flags/{flag['flag_id']}/review", json=review, headers=village.clients["ward"]
        ).status_code
        == 409
    )
    assert (
        village.api.put(
            f"/api/v1/persons/{spouse}/residence", json=absence, headers=village.clients["police"]
        ).status_code
        == 204
    )
    village.catch_up()
    assert _open_flags(village) == []
    person = village.api.get(
        f"/api/v1/persons/{spouse}",
        params={"purpose": "residence_management"},
        headers=village.clients["ward"],
    ).json()
    assert person["residence_status"] == "declared_absence"
    # Every step is an event with its actor.
    steps = [
        (type(logged.event).__qualname__, logged.context.actor)
        for logged in NotificationLog(village.app).read(0, 1000)
        if isinstance(logged.event, (PresenceFlag.Raised, PresenceFlag.Reviewed, Person.ResidenceChanged))
    ]
    accounts = {name: str(Account.create_id(name)) for name in ("totruong", "congan")}
    assert steps == [
        ("PresenceFlag.Raised", accounts["totruong"]),
        ("PresenceFlag.Reviewed", accounts["congan"]),
        ("Person.ResidenceChanged", accounts["congan"]),
    ]
    # Other services hear the flag, its review and the household's residence counts; never who.
    public = [
        e
        for logged in NotificationLog(village.app).read(0, 1000)
        for e in to_integration_events(logged.event, logged.context)
        if isinstance(e, PresenceFlagRaised | PresenceFlagReviewed | HouseholdResidenceChanged)
    ]
    raised, reviewed, counted = public
    assert isinstance(raised, PresenceFlagRaised)
    assert (raised.household_id, raised.unit_id, raised.kind) == (
        village.household,
        village.group,
        "registered_not_living",
    )
    assert isinstance(reviewed, PresenceFlagReviewed)
    assert reviewed.decision == "confirmed"
    assert isinstance(counted, HouseholdResidenceChanged)
    assert (counted.subject_id, counted.declared_absence, counted.unknown) == (village.household, 1, 1)
    for event in public:
        assert spouse not in event.model_dump_json()
        assert "Bình Dương" not in event.model_dump_json()


def test_someone_living_here_unregistered_is_described_not_named(village: World) -> None:
    unregistered: dict[str, Any] = {
        "kind": "living_not_registered",
        "person_id": None,
        "note": "Một thanh niên khoảng 20 tuổi ở cùng từ tháng 8",
    }
    assert _flag(village, **unregistered).status_code == 201
    # Naming a member for that kind, or nobody for the other, does not hold together.
    assert _flag(village, kind="living_not_registered").status_code == 422
    assert _flag(village, person_id=None).status_code == 422


def test_flags_stay_within_the_leaders_own_group(village: World) -> None:
    assert _flag(village, "other_leader").status_code == 403
    assert (
        village.api.get(
            "/api/v1/presence-flags",
            params={"unit_id": str(village.group)},
            headers=village.clients["other_leader"],
        ).status_code
        == 403
    )


def test_erasing_the_person_empties_the_flags_about_them(village: World) -> None:
    assert _flag(village).status_code == 201
    spouse = _spouse(village)
    village.api.post(
        f"/api/v1/persons/{spouse}/erasure",
        json={"reason": "subject_request"},
        headers=village.clients["ward"],
    )
    village.catch_up()
    [flag] = _open_flags(village)
    assert flag["note"] is None
    raised = next(
        e.event
        for e in NotificationLog(village.app).read(0, 1000)
        if isinstance(e.event, PresenceFlag.Raised)
    )
    assert raised.note is None


@pytest.mark.parametrize("decision", ["confirmed", "dismissed"])
def test_a_flag_about_a_person_erased_since_is_closed_unreviewed_and_the_reviewer_told_why(
    village: World, decision: str
) -> None:
    flag = _flag(village).json()["id"]
    village.catch_up()
    spouse = _spouse(village)
    erased = village.api.post(
        f"/api/v1/persons/{spouse}/erasure",
        json={"reason": "subject_request"},
        headers=village.clients["ward"],
    )
    assert erased.status_code == 204, erased.text
    review = {"decision": decision, "note": "Đã xác minh tại hộ"}
    answered = village.api.post(
        f"/api/v1/presence-flags/{flag}/review", json=review, headers=village.clients["police"]
    )
    assert answered.status_code == 409, answered.text
    assert answered.json()["code"] == "presence.person_erased"
    village.catch_up()
    assert _open_flags(village) == []
    again = village.api.post(
        f"/api/v1/presence-flags/{flag}/review", json=review, headers=village.clients["police"]
    )
    assert (again.status_code, again.json()["code"]) == (409, "presence.reviewed")
    # Nor can a new flag name them: there is no one left to flag.
    assert (_flag(village).status_code, _flag(village).json()["code"]) == (409, "person.erased")


def test_a_flag_naming_someone_not_of_the_household_is_refused_with_a_problem(village: World) -> None:
    # A refusal the domain names by a code its error map places: a 422 problem, not a 500.
    refused = _flag(village, person_id=str(uuid4()))
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["detail_en"] == "This person is not a member of the household."
    village.catch_up()
    assert _open_flags(village) == []  # nothing stored
