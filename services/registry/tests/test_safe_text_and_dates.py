"""Text that cannot be stored or shown safely is refused, by the API and the import alike, with the
field named in Vietnamese and English; names need a letter; dates the law keeps in the past
(registration, birth, joining, leaving) and in order (born before joining, leaving after both)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from registry_world import SPOUSE, World
from registry_world import family as family_world
from sheets import csv_file

from tothon_registry.application import NewMember, RegistryApplication
from tothon_registry.domain.names import InvalidNameError
from tothon_registry.domain.person import PersonDetails
from tothon_registry.imports.households import plan
from tothon_registry.imports.sheet import read_sheet
from tothon_shared.kernel.clock import today
from tothon_shared.runtime.service import ServiceRuntime


@pytest.fixture
def family(runtime: ServiceRuntime, api: TestClient) -> World:
    return family_world(runtime, api, "leader")


def _register(world: World, members: list[dict[str, Any]], registered_on: str = "2025-08-01") -> Any:
    body = {"unit_id": str(world.group), "code": f"HO-{uuid4().hex[:6]}", "registered_on": registered_on}
    return world.api.post(
        "/api/v1/households", json=body | {"members": members}, headers=world.clients["ward"]
    )


def _members(world: World) -> list[dict[str, Any]]:
    view = world.api.get(f"/api/v1/households/{world.household}", headers=world.clients["ward"]).json()
    return list(view["members"])


@pytest.mark.parametrize(
    ("name", "character"),
    [
        ("Nguyễn Văn\u202e Hùng", "U+202E"),  # right-to-left override: "Hùng" shown reversed
        ("Lê Thị\u2066 Hoa", "U+2066"),  # a bidirectional isolate
        ("Trần\x00 Bình", "U+0000"),  # NUL
        ("Phạm\x1b[31m An", "U+001B"),  # an escape sequence for terminals
        ("Võ\u200b Nam", "U+200B"),  # a zero-width space: two names that look alike
        ("Đặng\u200d Lan", "U+200D"),  # a zero-width joiner: Vietnamese needs none
        ("Hồ\tThị Mai", "U+0009"),  # a tab inside a one-line field
        ("Ngô\x85 Tú", "U+0085"),  # a C1 control
    ],
)
def test_names_with_control_or_invisible_characters_are_refused_naming_the_field(
    family: World, name: str, character: str
) -> None:
    refused = _register(family, [{"full_name": name, "relationship": "head"}])
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == "members.0.full_name"
    assert error["code"] == "text.unsafe_character"
    assert character in error["message_vi"]
    assert "ký tự điều khiển" in error["message_vi"]
    assert character in error["message_en"]
    assert error["message"] == error["message_vi"]  # the answer's language, Vietnamese by default


@pytest.mark.parametrize("name", ["12345", "---", "...", "☺"])
def test_a_name_without_a_letter_is_refused(family: World, name: str) -> None:
    refused = _register(family, [{"full_name": name, "relationship": "head"}])
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert (error["field"], error["code"]) == ("members.0.full_name", "text.no_letter")
    assert error["message_vi"] == "phải có ít nhất một chữ cái"


def test_every_text_field_follows_the_rules_and_free_text_keeps_its_lines(family: World) -> None:
    spouse = _members(family)[1]["person_id"]
    flag = {"household_id": str(family.household), "person_id": spouse, "kind": "registered_not_living"}
    flag |= {"observed_on": "2026-10-01"}
    post = family.api.post
    leader = family.clients["leader"]
    refused = post("/api/v1/presence-flags", json=flag | {"note": "Đi làm xa\u202e"}, headers=leader)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "note"
    refused = post(
        f"/api/v1/persons/{spouse}/corrections",
        json={"changes": {"occupation": "Thợ\x07 may"}, "reason": "Sai"},
        headers=leader,
    )
    assert refused.json()["errors"][0]["field"] == "changes.occupation"
    refused = post(
        f"/api/v1/persons/{spouse}/corrections",
        json={"changes": {"full_name": "1234"}, "reason": "Sai"},
        headers=leader,
    )
    assert refused.json()["errors"][0]["code"] == "text.no_letter"
    # Line breaks and tabs belong in a note of several lines; a control character does not.
    note = "Chị Lan đi làm ở Bình Dương\r\n\tvề quê dịp Tết"
    assert post("/api/v1/presence-flags", json=flag | {"note": note}, headers=leader).status_code == 201
    refused = post("/api/v1/presence-flags", json=flag | {"note": "Dòng 1\n\x0cDòng 2"}, headers=leader)
    assert refused.json()["errors"][0]["code"] == "text.unsafe_character"
    family.catch_up()
    flags = family.api.get("/api/v1/presence-flags", params={"unit_id": str(family.group)}, headers=leader)
    assert [f["note"] for f in flags.json()] == ["Chị Lan đi làm ở Bình Dương\n\tvề quê dịp Tết"]


def test_the_import_refuses_the_same_names_in_vietnamese() -> None:
    rows = [
        "HO-201,Lê Văn\u202e Tám,Chủ hộ,,,,,,",
        "HO-202,0905123456,Chủ hộ,,,,,,",
        "HO-203,Lê Thị Ba,Chủ hộ,,,,,,",
    ]
    planned = plan(read_sheet(csv_file(*rows), "x.csv"))
    assert [h.code for h in planned.households] == ["HO-203"]
    messages = [e["message"] for e in planned.errors]
    assert messages[0].startswith("Dòng 2 — Họ và tên: có ký tự điều khiển hoặc ký tự vô hình U+202E")
    assert messages[1] == "Dòng 3 — Họ và tên: phải có ít nhất một chữ cái"


def test_the_domain_refuses_such_names_on_every_path_in(registry: RegistryApplication, group: Any) -> None:
    for name in ("Lê Văn\u202e Tám", "1234", ""):
        member = NewMember("head", PersonDetails(full_name=name))
        with pytest.raises(InvalidNameError):
            registry.register_household(group, f"HO-{uuid4().hex[:6]}", [member], date(2026, 1, 1))


def test_registration_and_birth_dates_in_the_future_are_refused(family: World) -> None:
    tomorrow = (today() + timedelta(days=1)).isoformat()
    refused = _register(family, [{"full_name": "Lê Văn Tám", "relationship": "head"}], registered_on=tomorrow)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["field"], error["code"]) == ("registered_on", "date.future")
    assert error["message_vi"] == "không được là ngày trong tương lai"
    refused = _register(family, [{"full_name": "Lê Văn Tám", "relationship": "head", "birth_date": tomorrow}])
    assert refused.json()["errors"][0]["field"] == "members.0.birth_date"
    assert _register(
        family, [{"full_name": "Lê Văn Tám", "relationship": "head"}], today().isoformat()
    ).is_success


def test_no_member_is_born_after_joining_the_household(family: World) -> None:
    late = {"full_name": "Lê Văn Tám", "relationship": "head", "birth_date": "2025-09-01"}
    refused = _register(family, [late], registered_on="2025-08-01")
    assert refused.status_code == 422
    assert refused.json()["code"] == "person.born_after_joining"
    assert refused.json()["detail_en"].startswith("A birth date must not be after")
    year_only = {"full_name": "Lê Văn Tám", "relationship": "head", "birth_year": 2026}
    assert (
        _register(family, [year_only], registered_on="2025-08-01").json()["code"]
        == "person.born_after_joining"
    )

    household = f"/api/v1/households/{family.household}"
    baby = {"full_name": "Võ Minh Khang", "relationship": "child", "birth_date": "2026-10-20"}
    leader = family.clients["leader"]
    early = family.api.post(
        f"{household}/members", json={"member": baby, "reason": "birth", "on": "2026-10-19"}, headers=leader
    )
    assert (early.status_code, early.json()["code"]) == (422, "person.born_after_joining")
    born = family.api.post(
        f"{household}/members", json={"member": baby, "reason": "birth", "on": "2026-10-20"}, headers=leader
    )
    assert born.status_code == 201, born.text

    # A correction may not move the birth after the joining either (registered 2025-08-01).
    spouse = _members(family)[1]["person_id"]
    proposal = {"changes": {"birth_date": "2025-09-01"}, "reason": "Sai so với căn cước"}
    moved = family.api.post(f"/api/v1/persons/{spouse}/corrections", json=proposal, headers=leader)
    assert (moved.status_code, moved.json()["code"]) == (422, "person.born_after_joining")


def test_no_member_leaves_before_joining_or_being_born(family: World) -> None:
    spouse = _members(family)[1]["person_id"]
    assert SPOUSE["birth_date"] == "1990-02-01"
    departure = f"/api/v1/households/{family.household}/members/{spouse}/departure"
    leader = family.clients["leader"]
    before = family.api.post(departure, json={"reason": "died", "on": "2025-07-31"}, headers=leader)
    assert (before.status_code, before.json()["code"]) == (422, "person.left_before_joining")
    assert (
        family.api.post(departure, json={"reason": "died", "on": "2025-08-01"}, headers=leader).status_code
        == 204
    )
