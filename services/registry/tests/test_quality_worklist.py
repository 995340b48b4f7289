"""The worklist of a unit: findings from the register as it stands, scores that move when the
register is put right, and the same rules for every official of the unit."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from registry_world import World

from tothon_shared.runtime.service import ServiceRuntime

GOOD = {
    "full_name": "Võ Thành Nam",
    "relationship": "head",
    "sex": "male",
    "birth_date": "1988-04-12",
    "citizen_id": "048088012345",
    "residence_status": "permanent",
}


@pytest.fixture
def ward(runtime: ServiceRuntime, api: TestClient) -> World:
    world = World(runtime, api)
    world.sign_in_as("ward")
    world.register(
        "HO-001",
        [GOOD, {"full_name": "Đặng Thị Lan", "relationship": "spouse", "sex": "female", "birth_year": 1990}],
    )
    # The same citizen ID as Nam's, and it says male/1988 for a woman born in 1991.
    world.register(
        "HO-002", [GOOD | {"full_name": "Phan Thị Bê", "sex": "female", "birth_date": "1991-01-01"}]
    )
    world.sign_in_as("leader", "other_leader")
    return world


def _worklist(world: World, who: str = "leader", stale_after_months: int = 60) -> Any:
    # The households were registered in August 2025: checked within five years, not within one.
    params = {"unit_id": str(world.group), "stale_after_months": str(stale_after_months)}
    return world.api.get("/api/v1/quality", params=params, headers=world.clients[who])


def test_the_worklist_names_each_finding_and_scores_the_unit(ward: World) -> None:
    response = _worklist(ward)
    assert response.status_code == 200, response.text
    result = response.json()
    found = {(f["household_code"], f["full_name"], f["code"]) for f in result["findings"]}
    assert found == {
        ("HO-001", "Đặng Thị Lan", "citizen_id.missing"),
        ("HO-001", "Đặng Thị Lan", "residence_status.missing"),
        ("HO-001", "Võ Thành Nam", "duplicate.two_households"),
        ("HO-002", "Phan Thị Bê", "duplicate.two_households"),
        ("HO-002", "Phan Thị Bê", "citizen_id.sex_mismatch"),
        ("HO-002", "Phan Thị Bê", "citizen_id.year_mismatch"),
    }
    assert result["people"] == 3
    assert result["scores"]["persons"] == {"valid": 0.667, "complete": 0.667, "clean": 0.333, "live": 1.0}


def test_scores_move_when_the_register_is_put_right(ward: World) -> None:
    view = ward.api.get(
        "/api/v1/households", params={"unit_id": str(ward.group)}, headers=ward.clients["ward"]
    ).json()
    second = next(h for h in view if h["code"] == "HO-002")["household_id"]
    household = ward.api.get(f"/api/v1/households/{second}", headers=ward.clients["ward"]).json()
    # Phan Thị Bê was registered in error: erasing her record clears her findings.
    ward.api.post(
        f"/api/v1/persons/{household['members'][0]['person_id']}/erasure",
        json={"reason": "registered_in_error"},
        headers=ward.clients["ward"],
    )
    ward.catch_up()
    result = _worklist(ward).json()
    assert {f["code"] for f in result["findings"]} == {"citizen_id.missing", "residence_status.missing"}
    assert result["scores"]["persons"]["clean"] == 1.0


def test_the_worklist_stays_within_ones_units(ward: World) -> None:
    assert _worklist(ward, "other_leader").status_code == 403


def test_households_nobody_checked_for_a_year_are_not_live(ward: World) -> None:
    stale = _worklist(ward, stale_after_months=12).json()
    assert {
        (f["household_code"], f["dimension"])
        for f in stale["findings"]
        if f["code"] == "household.not_verified"
    } == {
        ("HO-001", "live"),
        ("HO-002", "live"),
    }
    first = next(f["household_id"] for f in stale["findings"] if f["household_code"] == "HO-001")
    checked = ward.api.post(
        f"/api/v1/households/{first}/verification", json={"on": "2026-11-20"}, headers=ward.clients["leader"]
    )
    assert checked.status_code == 204, checked.text
    # A check in the future is refused; another group's leader may not record one.
    future = ward.api.post(
        f"/api/v1/households/{first}/verification", json={"on": "2099-01-01"}, headers=ward.clients["leader"]
    )
    assert future.status_code == 422
    other = ward.api.post(
        f"/api/v1/households/{first}/verification",
        json={"on": "2026-11-20"},
        headers=ward.clients["other_leader"],
    )
    assert other.status_code == 403
    ward.catch_up()
    after = _worklist(ward, stale_after_months=12).json()
    assert [f["household_code"] for f in after["findings"] if f["code"] == "household.not_verified"] == [
        "HO-002"
    ]
    assert after["scores"]["households"]["live"] > stale["scores"]["households"]["live"]
