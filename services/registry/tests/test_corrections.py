"""Corrections with maker-checker: proposed by a resident or group leader, decided by the ward
with a reason, applied only when approved, and both steps kept in the person's history."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from registry_world import World
from registry_world import family as family_world

from tothon_shared.runtime.service import ServiceRuntime


@pytest.fixture
def home(runtime: ServiceRuntime, api: TestClient) -> World:
    return family_world(runtime, api, "leader", "other_leader", "resident")


def _spouse(world: World) -> str:
    view = world.api.get(f"/api/v1/households/{world.household}", headers=world.clients["ward"]).json()
    return str(view["members"][1]["person_id"])


def _propose(world: World, who: str, changes: dict[str, Any], reason: str = "Sai so với căn cước") -> Any:
    return world.api.post(
        f"/api/v1/persons/{_spouse(world)}/corrections",
        json={"changes": changes, "reason": reason},
        headers=world.clients[who],
    )


def _decide(world: World, correction: str, approve: bool, who: str = "ward") -> Any:
    return world.api.post(
        f"/api/v1/corrections/{correction}/decision",
        json={"approve": approve, "reason": "Đã đối chiếu căn cước" if approve else "Không có giấy tờ"},
        headers=world.clients[who],
    )


def _person(world: World) -> dict[str, Any]:
    world.catch_up()
    response = world.api.get(
        f"/api/v1/persons/{_spouse(world)}", params={"purpose": "data_quality"}, headers=world.clients["ward"]
    )
    return dict(response.json())


def test_a_residents_proposal_changes_nothing_until_the_ward_approves(home: World) -> None:
    proposed = _propose(home, "resident", {"full_name": "ĐẶNG THỊ NGỌC LAN", "birth_date": "1990-02-10"})
    assert proposed.status_code == 201, proposed.text
    assert _person(home)["full_name"] == "Đặng Thị Lan"  # not yet
    correction = proposed.json()["id"]
    assert _decide(home, correction, True, "leader").status_code == 403  # the leader does not decide
    assert _decide(home, correction, True).status_code == 204
    assert _decide(home, correction, False).status_code == 409  # decided once
    person = _person(home)
    assert person["full_name"] == "Đặng Thị Ngọc Lan"
    assert person["birth_date"] == "1990-02-10"
    found = home.api.get(
        "/api/v1/persons",
        params={"unit_id": str(home.group), "purpose": "contact", "q": "ngoc lan"},
        headers=home.clients["ward"],
    ).json()
    assert [p["full_name"] for p in found["items"]] == ["Đặng Thị Ngọc Lan"]


def test_a_rejection_keeps_the_details_and_the_history_shows_both_steps(home: World) -> None:
    proposed = _propose(home, "leader", {"sex": "male"}, "Tổ trưởng ghi nhầm")
    assert _decide(home, proposed.json()["id"], False).status_code == 204
    assert _person(home)["sex"] == "female"
    history = home.api.get(
        f"/api/v1/persons/{_spouse(home)}/corrections", headers=home.clients["resident"]
    ).json()
    [step] = history
    assert (step["proposer_role"], step["reason"], step["changes"]) == (
        "group_leader",
        "Tổ trưởng ghi nhầm",
        {"sex": "male"},
    )
    assert (step["decision"], step["decision_reason"]) == ("rejected", "Không có giấy tờ")
    pending = home.api.get(
        "/api/v1/corrections", params={"unit_id": str(home.group)}, headers=home.clients["ward"]
    )
    assert pending.json() == []


def test_proposals_are_checked_and_scoped(home: World) -> None:
    assert _propose(home, "leader", {}).status_code == 422
    assert _propose(home, "leader", {"phone": "0905000111"}).status_code == 422  # phones follow consent
    assert _propose(home, "leader", {"citizen_id": "201234567"}).status_code == 422
    assert _propose(home, "other_leader", {"sex": "male"}).status_code == 403


def _erase_spouse(world: World) -> None:
    erased = world.api.post(
        f"/api/v1/persons/{_spouse(world)}/erasure",
        json={"reason": "subject_request"},
        headers=world.clients["ward"],
    )
    assert erased.status_code == 204, erased.text


@pytest.mark.parametrize("approve", [True, False])
def test_a_correction_about_a_person_erased_since_is_closed_unchanged_and_the_ward_told_why(
    home: World, approve: bool
) -> None:
    correction = _propose(home, "leader", {"occupation": "Buôn bán"}).json()["id"]
    _erase_spouse(home)
    decided = _decide(home, correction, approve)
    assert decided.status_code == 409, decided.text
    assert decided.json()["code"] == "correction.person_erased"
    home.catch_up()
    pending = home.api.get(
        "/api/v1/corrections", params={"unit_id": str(home.group)}, headers=home.clients["ward"]
    )
    assert pending.json() == []  # off the worklist: nothing is left to decide
    [closed] = home.api.get(
        "/api/v1/corrections",
        params={"unit_id": str(home.group), "pending_only": False},
        headers=home.clients["ward"],
    ).json()
    assert (closed["decision"], closed["decision_reason"], closed["changes"]) == (
        "closed",
        "person_erased",
        None,
    )
    again = _decide(home, correction, approve)
    assert (again.status_code, again.json()["code"]) == (409, "correction.decided")
