"""Units over time: renames, moves, merges and splits with effective dates; "as of" reads; codes
reused across reforms; who may change what."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from registry_world import SPOUSE, World
from registry_world import family as family_world

from tothon_registry.application import NewUnit, RegistryApplication
from tothon_registry.domain.unit import UnitError, UnitKind
from tothon_registry.integration.outbound import to_integration_events
from tothon_shared.auth.roles import Role
from tothon_shared.contracts.registry import HouseholdTransferred, UnitSuperseded
from tothon_shared.eventstore.notification_log import NotificationLog
from tothon_shared.runtime.service import ServiceRuntime

NEW_YEAR = "2026-01-01"


@pytest.fixture
def world(runtime: ServiceRuntime, api: TestClient) -> World:
    return family_world(runtime, api, "leader", "admin")


def _post(world: World, path: str, body: dict[str, Any], who: str = "ward") -> Any:
    return world.api.post(f"/api/v1/units{path}", json=body, headers=world.clients[who])


def _get(world: World, path: str, **params: str) -> Any:
    world.catch_up()
    response = world.api.get(f"/api/v1/units{path}", params=params, headers=world.clients["ward"])
    assert response.status_code == 200, response.text
    return response.json()


def _names(units: list[dict[str, Any]]) -> set[str]:
    return {u["name"] for u in units}


def _group(world: World, name: str) -> str:
    created = _post(
        world,
        "",
        {
            "kind": "residential_group",
            "name": name,
            "parent_id": str(world.ward),
            "effective_from": "2025-07-01",
        },
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def test_a_renamed_group_keeps_its_old_name_for_earlier_dates(world: World) -> None:
    renamed = _post(world, f"/{world.group}/rename", {"name": "Tổ dân phố 51A", "effective_from": NEW_YEAR})
    assert renamed.status_code == 204, renamed.text

    assert "Tổ dân phố 51A" in _names(_get(world, "", parent_id=str(world.ward)))
    before = _get(world, "", parent_id=str(world.ward), as_of="2025-12-31")
    assert "Tổ dân phố 51" in _names(before)
    assert "Tổ dân phố 51A" not in _names(before)
    detail = _get(world, f"/{world.group}")
    assert [(v["valid_from"], v["name"]) for v in detail["history"]] == [
        ("2025-07-01", "Tổ dân phố 51"),
        (NEW_YEAR, "Tổ dân phố 51A"),
    ]
    # A change may not slip in before the last one, nor before the unit existed.
    for day in ("2025-12-01", "2025-07-01"):
        late = _post(world, f"/{world.group}/rename", {"name": "Tổ 51B", "effective_from": day})
        assert late.status_code == 422
        assert late.json()["code"] == "unit.change_date"


def test_merged_groups_hand_over_their_households_and_keep_their_history(world: World) -> None:
    other = _group(world, "Tổ dân phố 52")
    merged = _post(
        world, "/merge", {"unit_ids": [str(world.group)], "into_id": other, "effective_from": NEW_YEAR}
    )
    assert merged.status_code == 201, merged.text
    assert merged.json()["id"] == other

    old = _get(world, f"/{world.group}")
    assert old["effective_to"] == NEW_YEAR
    assert old["current_id"] == other
    assert [(s["unit_id"], s["change"]) for s in old["successors"]] == [(other, "merged")]
    assert [p["unit_id"] for p in _get(world, f"/{other}")["predecessors"]] == [str(world.group)]
    assert "Tổ dân phố 51" not in _names(_get(world, "", parent_id=str(world.ward)))
    assert "Tổ dân phố 51" in _names(_get(world, "", parent_id=str(world.ward), as_of="2025-12-31"))

    household = world.api.get(f"/api/v1/households/{world.household}", headers=world.clients["ward"]).json()
    assert household["unit_id"] == other
    # The old group's leader no longer serves these households; a leader of the new group does.
    assert (
        world.api.get(f"/api/v1/households/{world.household}", headers=world.clients["leader"]).status_code
        == 403
    )
    leader = world.account("totruong52", Role.GROUP_LEADER, UUID(other))
    assert world.api.get(f"/api/v1/households/{world.household}", headers=leader).status_code == 200
    # Nothing new registers in a merged group.
    again = world.api.post(
        "/api/v1/households",
        json={
            "unit_id": str(world.group),
            "code": "HO-009",
            "registered_on": "2026-02-01",
            "members": [{"full_name": "Lê Văn Tám", "relationship": "head"}],
        },
        headers=world.clients["ward"],
    )
    assert again.status_code == 422, again.text

    published = [
        e
        for logged in NotificationLog(world.app).read(0, 1000)
        for e in to_integration_events(logged.event, logged.context)
    ]
    transferred = [e for e in published if isinstance(e, HouseholdTransferred)]
    assert [(t.subject_id, t.unit_id, t.from_unit_id) for t in transferred] == [
        (world.household, UUID(other), world.group)
    ]
    superseded = [e for e in published if isinstance(e, UnitSuperseded)]
    assert [(s.subject_id, s.change, s.successor_ids) for s in superseded] == [
        (world.group, "merged", [UUID(other)])
    ]


def test_a_split_sends_each_household_where_the_plan_says(world: World) -> None:
    second = world.register("HO-002", [{**SPOUSE, "relationship": "head", "full_name": "Đặng Thị Hồng"}])
    first = UUID(_get(world, f"/{world.group}")["unit_id"])
    split = _post(
        world,
        f"/{first}/split",
        {
            "parts": [
                {"kind": "residential_group", "name": "Tổ dân phố 51A"},
                {"kind": "residential_group", "name": "Tổ dân phố 51B"},
            ],
            "assignments": {str(second): 1},
            "effective_from": NEW_YEAR,
        },
    )
    assert split.status_code == 201, split.text
    part_a, part_b = split.json()["ids"]
    world.catch_up()
    where = {
        h: world.api.get(f"/api/v1/households/{h}", headers=world.clients["ward"]).json()["unit_id"]
        for h in (world.household, second)
    }
    # HO-001 was not named: it goes to the first part.
    assert where == {world.household: part_a, second: part_b}
    detail = _get(world, f"/{first}")
    assert [s["change"] for s in detail["successors"]] == ["split", "split"]
    assert detail["current_id"] == part_a
    assert {"Tổ dân phố 51A", "Tổ dân phố 51B"} <= _names(_get(world, "", parent_id=str(world.ward)))


def test_an_assignment_outside_the_unit_is_refused_and_nothing_changes(world: World) -> None:
    split = _post(
        world,
        f"/{world.group}/split",
        {
            "parts": [
                {"kind": "residential_group", "name": "Tổ dân phố 51A"},
                {"kind": "residential_group", "name": "Tổ dân phố 51B"},
            ],
            "assignments": {str(world.other_group): 1},
            "effective_from": NEW_YEAR,
        },
    )
    assert split.status_code == 422
    assert split.json()["code"] == "unit.assignment_invalid"
    assert _get(world, f"/{world.group}")["effective_to"] is None


def test_administrative_units_are_changed_by_the_citys_it_administrators_only(world: World) -> None:
    rename = {"name": "Phường Thanh Khê Mới", "effective_from": NEW_YEAR}
    refused = _post(world, f"/{world.ward}/rename", rename)
    assert refused.status_code == 403
    assert refused.json()["code"] == "unit.administrative"
    assert (
        _post(
            world, f"/{world.group}/rename", {"name": "Tổ 51", "effective_from": NEW_YEAR}, "leader"
        ).status_code
        == 403
    )
    assert _post(world, f"/{world.ward}/rename", rename, "admin").status_code == 204
    # A ward cannot go under a group, nor a group under itself.
    wrong = _post(
        world, f"/{world.ward}/move", {"parent_id": str(world.group), "effective_from": "2026-02-01"}, "admin"
    )
    assert wrong.status_code == 422
    assert wrong.json()["code"] in ("unit.cycle", "unit.wrong_parent")


def test_a_superseded_unit_takes_no_more_changes(registry: RegistryApplication, group: UUID) -> None:
    from datetime import date

    ward = registry.get_unit(group).parent_id
    assert ward is not None
    other = registry.establish_unit(
        UnitKind.RESIDENTIAL_GROUP, "Tổ dân phố 18", None, None, ward, date(2025, 7, 1)
    )
    registry.merge_units([group], other, {}, date(2026, 1, 1))
    with pytest.raises(UnitError, match="superseded"):
        registry.rename_unit(group, "Tổ 17 cũ", date(2026, 2, 1))
    with pytest.raises(UnitError, match="superseded"):
        registry.establish_unit(UnitKind.RESIDENTIAL_GROUP, "Tổ con", None, None, group, date(2026, 2, 1))
    with pytest.raises(UnitError, match="split_parts"):
        registry.split_unit(
            other, [NewUnit(UnitKind.RESIDENTIAL_GROUP, "Một", parent_id=ward)], {}, date(2026, 3, 1)
        )
    # The merged group answers to the group it became, and through it to the ward and the city.
    assert registry.lineage(group)[:3] == [group, other, ward]


def test_the_units_a_screen_offers_are_those_served_for_its_permission(world: World) -> None:
    world.sign_in_as("other_leader", "city")

    def served(who: str, permission: str, **params: str) -> set[str]:
        response = world.api.get(
            "/api/v1/units", params={"serving": permission, **params}, headers=world.clients[who]
        )
        assert response.status_code == 200, response.text
        return _names(response.json())

    assert served("ward", "households:read") == {"Phường Thanh Khê", "Tổ dân phố 51"}  # the tree kept
    new_group = _group(world, "Tổ dân phố 52")  # newer than the tree kept in memory: served at once
    world.catch_up()
    assert served("ward", "households:read") == {"Phường Thanh Khê", "Tổ dân phố 51", "Tổ dân phố 52"}
    assert served("leader", "households:read") == {"Tổ dân phố 51"}
    assert served("other_leader", "households:read") == {"Tổ dân phố 17"}
    everything = {"Thành phố Đà Nẵng", "Phường Thanh Khê", "Phường Hải Châu"}
    assert served("city", "households:read") == everything | {
        "Tổ dân phố 51",
        "Tổ dân phố 52",
        "Tổ dân phố 17",
    }
    assert served("leader", "corrections:decide") == set()  # a group leader proposes, never decides
    assert served("ward", "households:read", parent_id=str(world.ward)) == {"Tổ dân phố 51", "Tổ dân phố 52"}
    assert new_group in {u["unit_id"] for u in _get(world, "", serving="households:read")}
    # Without ``serving`` every unit in force is listed (public facts), and a permission that
    # does not exist is refused.
    assert "Tổ dân phố 17" in _names(_get(world, ""))
    wrong = world.api.get(
        "/api/v1/units", params={"serving": "households:all"}, headers=world.clients["ward"]
    )
    assert wrong.status_code == 422
