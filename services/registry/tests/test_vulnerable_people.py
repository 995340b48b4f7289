"""Who needs help first in a typhoon: the people of a unit who are elderly and living alone,
infants, or (for those who may see health) with a health status recorded; each field as the
caller's role allows for emergency response, each person listed logged as read, other units
refused."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from registry_world import HEAD, SPOUSE, World
from registry_world import family as family_world
from sqlalchemy import select

from tothon_registry.readmodels.tables import personal_data_reads
from tothon_shared.runtime.service import ServiceRuntime


@pytest.fixture
def village(runtime: ServiceRuntime, api: TestClient) -> World:
    world = family_world(runtime, api, "leader", "police", "other_leader", "resident")
    infant_born = (date.today() - timedelta(days=100)).isoformat()
    young = world.register(
        "HO-002",
        [{"full_name": "Nguyễn Văn Hùng", "relationship": "head", "sex": "male", "birth_date": "1995-03-03"}],
    )
    world.catch_up()
    born = world.api.post(
        f"/api/v1/households/{young}/members",
        json={
            "member": {
                "full_name": "Nguyễn Gia Bảo",
                "relationship": "child",
                "sex": "male",
                "birth_date": infant_born,
            },
            "reason": "birth",
            "on": infant_born,
        },
        headers=world.clients["ward"],
    )
    assert born.status_code == 201, born.text
    world.register(
        "HO-003",
        [
            {
                "full_name": "Trần Thị Mười",
                "relationship": "head",
                "sex": "female",
                "birth_date": "1941-05-20",
                "phone": "0236 3821 456",
                "consents": ["notifications_phone"],
            }
        ],
    )
    world.register(  # a man of 40 living alone: not on the list
        "HO-004", [{"full_name": "Lê Văn Tư", "relationship": "head", "sex": "male", "birth_year": 1986}]
    )
    world.catch_up()
    return world


def _listed(world: World, who: str, unit: Any, status: int = 200) -> Any:
    response = world.api.get(f"/api/v1/units/{unit}/vulnerable-people", headers=world.clients[who])
    assert response.status_code == status, response.text
    return response.json()


def test_the_leader_sees_the_elderly_alone_and_infants_but_no_health(village: World) -> None:
    people = _listed(village, "leader", village.group)
    assert [(p["household_code"], p["full_name"], p["kinds"]) for p in people] == [
        ("HO-002", "Nguyễn Gia Bảo", ["infant"]),
        ("HO-003", "Trần Thị Mười", ["elderly_alone"]),
    ]
    assert all(p["health_status"] is None for p in people)
    assert people[1]["phone"] is not None
    assert people[1]["birth_year"] == 1941
    # The head of HO-001's recorded disability is not disclosed to a volunteer leader at all.
    assert HEAD["full_name"] not in {p["full_name"] for p in people}


def test_the_ward_sees_health_too_and_every_listed_person_is_logged(village: World) -> None:
    people = _listed(village, "ward", village.ward)
    by_name = {p["full_name"]: p for p in people}
    assert by_name[str(HEAD["full_name"])]["kinds"] == ["health"]
    assert by_name[str(HEAD["full_name"])]["health_status"] == HEAD["health_status"]
    assert SPOUSE["full_name"] not in by_name
    with village.runtime.store.engine.connect() as connection:
        logged = connection.execute(
            select(
                personal_data_reads.c.person_id, personal_data_reads.c.purpose, personal_data_reads.c.fields
            ).where(personal_data_reads.c.purpose == "emergency_response")
        ).all()
    assert {str(row.person_id) for row in logged} == {p["person_id"] for p in people}
    assert any("health_status" in row.fields for row in logged)


def test_another_units_leader_and_a_resident_are_refused(village: World) -> None:
    _listed(village, "other_leader", village.group, 403)
    _listed(village, "resident", village.group, 403)
    _listed(village, "leader", village.ward, 403)  # the leader's own group only
