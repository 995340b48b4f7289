"""Finding people: by name without tones, by citizen ID, by phone, within a unit one serves, in the
Vietnamese order, page by page, with every person listed logged as a read."""

from __future__ import annotations

import time
import unicodedata
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from registry_world import HEAD, World
from sqlalchemy import event, select

from tothon_registry.domain.household import LeaveReason
from tothon_registry.domain.person import ErasureReason
from tothon_registry.readmodels import name_words, person_search
from tothon_registry.readmodels.tables import name_vocabulary
from tothon_shared.eventstore.context import acting_as
from tothon_shared.runtime.service import ServiceRuntime

MEMBERS: list[dict[str, Any]] = [
    {"full_name": "NGUYỄN THỊ BÊ", "relationship": "head", "sex": "female", "birth_year": 1949},
    {
        "full_name": unicodedata.normalize("NFD", "Trần Văn Bê"),
        "relationship": "child",
        "birth_date": "1975-03-04",
    },
    {"full_name": "Lê Thị Bé", "relationship": "grandchild", "citizen_id": "048305000777", "sex": "female"},
    {"full_name": "Đỗ Văn An", "relationship": "other"},
    {"full_name": "Nguyễn Văn An", "relationship": "other"},
]


@pytest.fixture(params=["by scope", "by word"])
def town(runtime: ServiceRuntime, api: TestClient, request: Any, monkeypatch: pytest.MonkeyPatch) -> World:
    # Every search test runs both ways to a page: reading the scope's persons (small scopes) and
    # walking the index of name words (large ones); both must give the same pages.
    if request.param == "by word":
        monkeypatch.setattr(person_search, "SCOPE_SCAN_HOUSEHOLDS", 0)
    world = World(runtime, api)
    world.sign_in_as("ward")
    world.register("HO-001", [HEAD])
    world.register("HO-002", MEMBERS)
    world.sign_in_as("leader", "other_leader", "resident")
    return world


def _search(town: World, who: str = "ward", unit: UUID | None = None, **params: Any) -> Any:
    query = {"unit_id": str(unit or town.group), "purpose": "residence_management"} | params
    return town.api.get("/api/v1/persons", params=query, headers=town.clients[who])


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [p["full_name"] for p in response.json()["items"]]


def test_a_name_without_tones_finds_the_person(town: World) -> None:
    assert _names(_search(town, q="nguyen thi be")) == ["Nguyễn Thị Bê"]  # stored from capitals
    assert _names(_search(town, q="NGUYỄN   thị bê")) == ["Nguyễn Thị Bê"]
    assert _names(_search(town, q="dỗ")) == ["Đỗ Văn An"]  # đ is d


def test_results_come_in_the_vietnamese_order(town: World) -> None:
    # Given name first, letters before tones (An < Bé < Bê: e comes before ê), then family.
    assert _names(_search(town, q="an")) == ["Đỗ Văn An", "Nguyễn Văn An"]  # not Trần, not Nam
    assert _names(_search(town, q="be")) == ["Lê Thị Bé", "Nguyễn Thị Bê", "Trần Văn Bê"]


def test_two_words_find_the_names_with_both_and_a_word_may_answer_twice(town: World) -> None:
    # Through the index these go by a pair of words ("van an"), unless one query word begins the
    # other: then one word of a name may answer both ("b be" finds Bê), as when reading a scope.
    assert _names(_search(town, q="van an")) == ["Đỗ Văn An", "Nguyễn Văn An"]
    assert _names(_search(town, q="an van")) == ["Đỗ Văn An", "Nguyễn Văn An"]
    assert _names(_search(town, q="th b")) == ["Lê Thị Bé", "Nguyễn Thị Bê"]
    assert _names(_search(town, q="b be")) == ["Lê Thị Bé", "Nguyễn Thị Bê", "Trần Văn Bê"]
    assert _names(_search(town, q="an be")) == []  # both words exist, never in one name
    assert _names(_search(town, q="nguyen van an")) == ["Nguyễn Văn An"]
    # Th and B (or Be) are different words of a name, B and Be may be one.
    assert _names(_search(town, q="th b be")) == ["Lê Thị Bé", "Nguyễn Thị Bê"]
    assert _names(_search(town, q="tran be b")) == ["Trần Văn Bê"]
    assert _names(_search(town, q="van b be")) == ["Trần Văn Bê"]


def test_words_of_which_one_begins_another_leave_the_other_pairs_to_the_index(town: World) -> None:
    with town.runtime.store.engine.connect() as connection:
        ways = name_words.ways_in(connection, ["thi", "b", "be"])
    assert ways is not None
    persons = {frozenset(answered): n for n, _, answered in ways}
    # Each word alone, and a pair of entries for Thị with B and with Be (Lê Thị Bé, Nguyễn Thị Bê);
    # not B with Be: one word of a name (Bê) may answer both.
    assert persons == {
        frozenset({"thi"}): 2,
        frozenset({"b"}): 3,
        frozenset({"be"}): 3,
        frozenset({"thi", "b"}): 2,
        frozenset({"thi", "be"}): 2,
    }


def test_pair_counts_found_are_kept_a_moment_and_a_new_pair_is_found_at_once(town: World) -> None:
    engine = town.runtime.store.engine
    asked: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "name_vocabulary" in statement:
            asked.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        assert _names(_search(town, q="van an")) == ["Đỗ Văn An", "Nguyễn Văn An"]
        asked.clear()
        assert _names(_search(town, q="van an")) == ["Đỗ Văn An", "Nguyễn Văn An"]
        assert asked == []  # the words and the pair were known: no query for their counts
        assert _names(_search(town, q="van binh")) == []  # not in any name yet
        town.register("HO-003", [{"full_name": "Phạm Văn Bình", "relationship": "head"}])
        town.catch_up()
        assert _names(_search(town, q="van binh")) == ["Phạm Văn Bình"]  # at once
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_pages_follow_each_other_without_gaps_or_repeats(town: World) -> None:
    seen: list[str] = []
    response = _search(town, q="n", limit=2)
    while True:
        seen += _names(response)
        following = response.json()["next"]
        if following is None:
            break
        response = _search(town, q="n", limit=2, after=following)
    assert seen == _names(_search(town, q="n", limit=100))
    assert seen == ["Nguyễn Văn An", "Nguyễn Thị Bê", "Võ Thành Nam"]
    assert _search(town, q="n", after="not-a-position").status_code == 422


def test_id_and_phone_searches_need_the_full_field(town: World) -> None:
    assert _names(_search(town, citizen_id="048 305 000 777")) == ["Lê Thị Bé"]
    for typed in ("0905123456", "+84 905 123 456", "84905123456"):
        assert _names(_search(town, phone=typed)) == ["Võ Thành Nam"]
    # A group leader sees citizen IDs masked, so may not look people up by them.
    assert _search(town, "leader", citizen_id="048305000777").status_code == 403
    assert _names(_search(town, "leader", q="be")) == ["Lê Thị Bé", "Nguyễn Thị Bê", "Trần Văn Bê"]


def test_searching_stays_within_the_units_one_serves(town: World) -> None:
    assert _search(town, "other_leader", q="be").status_code == 403
    assert _names(_search(town, "other_leader", unit=town.other_group, q="be")) == []
    assert _search(town, "resident", q="be").status_code == 403  # residents do not search others


def test_year_only_birth_dates_and_what_each_role_sees_of_them(town: World) -> None:
    [bê] = _search(town, q="nguyen thi be").json()["items"]
    assert bê["birth_year"] == 1949
    person = town.api.get(
        f"/api/v1/persons/{bê['person_id']}",
        params={"purpose": "residence_management"},
        headers=town.clients["ward"],
    ).json()
    assert person["birth_date"] == "1949"
    [trần] = _search(town, "leader", q="tran van be").json()["items"]
    assert trần["birth_year"] == 1975  # the leader sees the year, not the day


def test_every_person_listed_is_a_logged_read(town: World) -> None:
    _search(town, "leader", q="be", purpose="contact")
    reads = town.api.get("/api/v1/me/data-reads", headers=town.clients["resident"]).json()
    listed = [r for r in reads if r["purpose"] == "contact"]
    assert len(listed) == 3
    assert {r["fields"] for r in listed} == {"full_name"}  # contact does not need the birth year


@pytest.mark.parametrize(
    ("member", "field"),
    [
        ({"citizen_id": "201234567"}, "citizen_id"),  # an old 9-digit CMND number
        ({"birth_date": "1980-01-01", "birth_year": 1981}, None),
        ({"birth_year": 2999}, None),
        ({"residence_status": "temporary"}, None),  # temporary residence needs its end date
        ({"residence_status": "permanent", "residence_valid_until": "2027-01-01"}, None),
    ],
)
def test_inconsistent_details_are_refused(town: World, member: dict[str, Any], field: str | None) -> None:
    response = town.api.post(
        "/api/v1/households",
        json={
            "unit_id": str(town.group),
            "code": "HO-009",
            "registered_on": "2025-08-01",
            "members": [{"full_name": "Phan Thị Bê", "relationship": "head"} | member],
        },
        headers=town.clients["ward"],
    )
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    if field == "citizen_id":
        assert errors[0]["field"] == "members.0.citizen_id"
        assert "12-digit" in errors[0]["message"]


def test_an_empty_search_is_refused(town: World) -> None:
    assert _search(town, q="  ").status_code == 422


def test_leaving_erasure_and_corrections_keep_the_name_index_true(town: World) -> None:
    registry = town.app
    found = {p["full_name"]: p for p in _search(town, q="an").json()["items"]}
    with acting_as("ward-official", reason="test"):
        registry.remove_member(
            UUID(found["Đỗ Văn An"]["household_id"]),
            UUID(found["Đỗ Văn An"]["person_id"]),
            LeaveReason.MOVED_OUT,
            date(2025, 9, 1),
        )
        registry.erase_person(
            UUID(found["Nguyễn Văn An"]["person_id"]), ErasureReason.SUBJECT_REQUEST, date(2025, 9, 2)
        )
    town.catch_up()
    assert _names(_search(town, q="an")) == []  # gone from both ways, names and words
    assert _names(_search(town, q="do van")) == []
    [bé] = _search(town, q="le thi be").json()["items"]
    proposed = town.api.post(
        f"/api/v1/persons/{bé['person_id']}/corrections",
        json={"changes": {"full_name": "Lê Thị Ánh"}, "reason": "Sai so với căn cước"},
        headers=town.clients["leader"],
    )
    assert proposed.status_code == 201, proposed.text
    decided = town.api.post(
        f"/api/v1/corrections/{proposed.json()['id']}/decision",
        json={"approve": True, "reason": "Đã đối chiếu căn cước"},
        headers=town.clients["ward"],
    )
    assert decided.status_code == 204, decided.text
    town.catch_up()
    assert _names(_search(town, q="le thi be")) == []
    assert _names(_search(town, q="anh le")) == ["Lê Thị Ánh"]  # a word new to the city: asked of the table
    # A word typed in part goes by the words of names kept in memory, read again within
    # VOCABULARY_SECONDS: "a" stood for "an" alone until then.
    deadline = time.monotonic() + name_words.VOCABULARY_SECONDS + 5
    while (names := _names(_search(town, q="a"))) != ["Lê Thị Ánh"] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert names == ["Lê Thị Ánh"]
    words: dict[str, int] = dict(
        town.runtime.store.engine.connect()
        .execute(select(name_vocabulary.c.word, name_vocabulary.c.persons))
        .tuples()
        .all()
    )
    assert "an" not in words  # counts follow the index
    assert (words["be"], words["anh"]) == (2, 1)


def test_a_name_with_an_overlong_word_is_found_by_its_other_words(town: World) -> None:
    # The name index keeps words of up to 60 letters; a longer one must not stop the projection.
    town.register("HO-003", [{"full_name": "Phạm " + "Ơ" * 70, "relationship": "head"}])
    town.catch_up()
    assert [n.split()[0] for n in _names(_search(town, q="pham"))] == ["Phạm"]
