"""A household's life: births and people moving in, members moving out or dying, a new head, and
what the other services are told (counts, never names)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from registry_world import World
from registry_world import family as family_world

from tothon_registry.application import NewMember, RegistryApplication
from tothon_registry.domain.household import JoinReason, LeaveReason
from tothon_registry.domain.person import ConsentPurpose, ErasureReason, PersonDetails
from tothon_registry.integration.outbound import to_integration_events
from tothon_shared.contracts.registry import (
    HouseholdMembershipChanged,
    HouseholdResidenceChanged,
    NotificationConsentChanged,
)
from tothon_shared.eventstore.notification_log import NotificationLog
from tothon_shared.runtime.service import ServiceRuntime


@pytest.fixture
def family(runtime: ServiceRuntime, api: TestClient) -> World:
    return family_world(runtime, api, "leader", "other_leader")


def _view(world: World) -> dict[str, Any]:
    world.catch_up()
    view: dict[str, Any] = world.api.get(
        f"/api/v1/households/{world.household}", headers=world.clients["ward"]
    ).json()
    return view


def _call(world: World, method: str, path: str, body: dict[str, Any], who: str = "leader") -> Any:
    return world.api.request(
        method, f"/api/v1/households/{world.household}{path}", json=body, headers=world.clients[who]
    )


BABY = {"full_name": "Võ Minh Khang", "relationship": "child", "sex": "male", "birth_date": "2026-10-20"}


def test_a_birth_adds_a_member_and_the_other_services_hear_the_count(family: World) -> None:
    born = _call(family, "POST", "/members", {"member": BABY, "reason": "birth", "on": "2026-10-20"})
    assert born.status_code == 201, born.text
    view = _view(family)
    assert view["member_count"] == 3
    assert [(m["full_name"], m["relationship"]) for m in view["members"]][-1] == ("Võ Minh Khang", "child")
    published = [
        e
        for logged in NotificationLog(family.app).read(0, 1000)
        for e in to_integration_events(logged.event, logged.context)
        if isinstance(e, HouseholdMembershipChanged)
    ]
    assert [(e.change, e.reason, e.member_count) for e in published] == [("joined", "birth", 3)]
    assert "Khang" not in published[0].model_dump_json()


def test_a_member_moves_out_and_is_no_longer_found(family: World) -> None:
    spouse = _view(family)["members"][1]["person_id"]
    left = _call(family, "POST", f"/members/{spouse}/departure", {"reason": "moved_out", "on": "2026-11-01"})
    assert left.status_code == 204, left.text
    view = _view(family)
    assert view["member_count"] == 1
    assert [m["full_name"] for m in view["members"]] == ["Võ Thành Nam"]
    found = family.api.get(
        "/api/v1/persons",
        params={"unit_id": str(family.group), "purpose": "contact", "q": "dang thi lan"},
        headers=family.clients["ward"],
    ).json()
    assert found["items"] == []


def test_the_head_leaves_only_after_a_new_head_is_named(family: World) -> None:
    head, spouse = (m["person_id"] for m in _view(family)["members"])
    refused = _call(family, "POST", f"/members/{head}/departure", {"reason": "died", "on": "2026-11-02"})
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Chủ hộ chỉ rời hộ")
    incomplete = _call(family, "PUT", "/head", {"person_id": spouse, "relationships": {}, "on": "2026-11-03"})
    assert incomplete.status_code == 422
    changed = _call(
        family, "PUT", "/head", {"person_id": spouse, "relationships": {head: "spouse"}, "on": "2026-11-03"}
    )
    assert changed.status_code == 204, changed.text
    view = _view(family)
    assert view["head_name"] == "Đặng Thị Lan"
    assert {m["full_name"]: m["relationship"] for m in view["members"]} == {
        "Võ Thành Nam": "spouse",
        "Đặng Thị Lan": "head",
    }
    assert (
        _call(
            family, "POST", f"/members/{head}/departure", {"reason": "died", "on": "2026-11-04"}
        ).status_code
        == 204
    )
    assert _view(family)["member_count"] == 1


def test_changes_stay_within_the_leaders_own_group_and_make_sense(family: World) -> None:
    body = {"member": BABY, "reason": "birth", "on": "2026-10-20"}
    assert _call(family, "POST", "/members", body, "other_leader").status_code == 403
    second_head = {"member": BABY | {"relationship": "head"}, "reason": "moved_in", "on": "2026-10-20"}
    assert _call(family, "POST", "/members", second_head).status_code == 422
    stranger = "00000000-0000-0000-0000-000000000001"
    assert (
        _call(
            family, "POST", f"/members/{stranger}/departure", {"reason": "moved_out", "on": "2026-11-01"}
        ).status_code
        == 404
    )
    assert _call(family, "POST", "/members", body | {"on": "2999-01-01"}).status_code == 422


def test_a_household_splits_off_with_its_own_head_in_one_step(family: World) -> None:
    born = _call(family, "POST", "/members", {"member": BABY, "reason": "birth", "on": "2026-10-20"})
    head, spouse, baby = (m["person_id"] for m in _view(family)["members"])
    # The head cannot leave this way, nor can the new household have two heads.
    assert born.status_code == 201
    refused = _call(family, "POST", "/split", {"code": "HO-002", "head_person_id": head, "on": "2026-11-05"})
    assert refused.status_code == 409
    two_heads = {
        "code": "HO-002",
        "head_person_id": spouse,
        "relationships": {baby: "head"},
        "on": "2026-11-05",
    }
    assert _call(family, "POST", "/split", two_heads).status_code == 422
    body = {"code": "HO-002", "head_person_id": spouse, "relationships": {baby: "child"}, "on": "2026-11-05"}
    assert _call(family, "POST", "/split", body, "other_leader").status_code == 403
    split = _call(family, "POST", "/split", body)
    assert split.status_code == 201, split.text

    old = _view(family)
    assert (old["member_count"], [m["full_name"] for m in old["members"]]) == (1, ["Võ Thành Nam"])
    new = family.api.get(f"/api/v1/households/{split.json()['id']}", headers=family.clients["ward"]).json()
    assert (new["code"], new["unit_id"], new["head_name"], new["member_count"]) == (
        "HO-002",
        str(family.group),
        "Đặng Thị Lan",
        2,
    )
    assert {m["full_name"]: m["relationship"] for m in new["members"]} == {
        "Đặng Thị Lan": "head",
        "Võ Minh Khang": "child",
    }
    # The same code again is a conflict, and nothing moves.
    assert (
        _call(family, "POST", "/split", {**body, "relationships": {}, "head_person_id": head}).status_code
        == 409
    )
    published = [
        (e.change, e.reason, e.member_count)
        for logged in NotificationLog(family.app).read(0, 1000)
        for e in to_integration_events(logged.event, logged.context)
        if isinstance(e, HouseholdMembershipChanged)
    ]
    assert published[-2:] == [("left", "split_off", 2), ("left", "split_off", 1)]


def test_a_birth_in_a_large_household_lists_the_newborn_last(family: World) -> None:
    for name in ("Võ Thị Hà", "Võ Văn Lực", "Võ Thị Ngân"):
        joined = _call(
            family,
            "POST",
            "/members",
            {"member": {**BABY, "full_name": name}, "reason": "moved_in", "on": "2026-10-21"},
        )
        assert joined.status_code == 201, joined.text
    assert [m["full_name"] for m in _view(family)["members"]][-1] == "Võ Thị Ngân"


def _residence_announced(app: RegistryApplication) -> list[tuple[UUID, int, int, int, int]]:
    return [
        (e.subject_id, e.permanent, e.temporary, e.declared_absence, e.unknown)
        for logged in NotificationLog(app).read(0, 1000)
        for e in to_integration_events(logged.event, logged.context)
        if isinstance(e, HouseholdResidenceChanged)
    ]


def _resident(name: str, relationship: str, status: str | None = None) -> NewMember:
    until = date(2027, 6, 30) if status == "temporary" else None
    details = PersonDetails(full_name=name, residence_status=status, residence_valid_until=until)
    return NewMember(relationship, details, [])


def test_residence_counts_are_announced_at_registration_and_whenever_members_come_and_go(
    registry: RegistryApplication, group: UUID
) -> None:
    day = date(2026, 11, 1)
    home = registry.register_household(
        group,
        "HO-001",
        [
            _resident("Võ Thành Nam", "head", "permanent"),
            _resident("Đặng Thị Lan", "spouse", "temporary"),
            _resident("Võ Minh Khôi", "child"),
        ],
        day,
    )
    unknowns = registry.register_household(group, "HO-002", [_resident("Phan Thị Bê", "head")], day)
    assert _residence_announced(registry) == [(home, 1, 1, 0, 1)]  # a household of unknowns: nothing

    registry.add_member(home, _resident("Võ Minh Khang", "child", "permanent"), JoinReason.BIRTH, day)
    members = {
        registry.get_person(m.person_id).details.full_name: m.person_id  # type: ignore[union-attr]
        for m in registry.get_household(home).members
    }
    registry.remove_member(home, members["Đặng Thị Lan"], LeaveReason.MOVED_OUT, day)
    new_home = registry.split_household(home, "HO-003", members["Võ Minh Khôi"], {}, day)
    registry.add_member(unknowns, _resident("Phan Văn Tý", "child"), JoinReason.BIRTH, day)
    assert _residence_announced(registry)[1:] == [
        (home, 2, 1, 0, 1),  # a permanent resident born
        (home, 2, 0, 0, 1),  # the temporary resident moved out
        (home, 2, 0, 0, 0),  # the one whose status is unknown split off; the new household of one
        # unknown announces nothing, and neither does an unknown born into a household of unknowns
    ]
    assert new_home not in {subject for subject, *_ in _residence_announced(registry)}

    # An erased status is unknown from then on; erasing one never recorded changes nothing.
    registry.erase_person(members["Võ Thành Nam"], ErasureReason.SUBJECT_REQUEST, day)
    registry.erase_person(members["Võ Minh Khôi"], ErasureReason.SUBJECT_REQUEST, day)
    assert _residence_announced(registry)[4:] == [(home, 1, 0, 0, 1)]


def _consents_published(world: World) -> list[tuple[str, UUID, bool]]:
    return [
        (str(e.subject_id), e.household_id, e.given)
        for logged in NotificationLog(world.app).read(0, 1000)
        for e in to_integration_events(logged.event, logged.context)
        if isinstance(e, NotificationConsentChanged)
    ]


def test_a_consenting_member_who_moves_out_is_no_longer_told_the_households_news(family: World) -> None:
    spouse = _view(family)["members"][1]["person_id"]
    family.app.give_consent(UUID(spouse), ConsentPurpose.NOTIFICATIONS_PHONE, "+84935111222")
    before = _consents_published(family)
    left = _call(family, "POST", f"/members/{spouse}/departure", {"reason": "moved_out", "on": "2026-11-01"})
    assert left.status_code == 204, left.text
    assert _consents_published(family)[len(before) :] == [(spouse, family.household, False)]


def test_a_consenting_member_of_a_household_split_off_is_told_the_new_households_news(family: World) -> None:
    _call(family, "POST", "/members", {"member": BABY, "reason": "birth", "on": "2026-10-20"})
    _head, spouse, baby = (m["person_id"] for m in _view(family)["members"])
    family.app.give_consent(UUID(spouse), ConsentPurpose.NOTIFICATIONS_PHONE, "+84935111222")
    before = _consents_published(family)
    body = {"code": "HO-002", "head_person_id": spouse, "relationships": {baby: "child"}, "on": "2026-11-05"}
    split = _call(family, "POST", "/split", body)
    assert split.status_code == 201, split.text
    # The spouse's consent follows her; the baby never consented, so nothing is said of him.
    assert _consents_published(family)[len(before) :] == [(spouse, UUID(split.json()["id"]), True)]
