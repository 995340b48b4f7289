"""Emergencies through the communication API, on a ward of two groups and a second ward: the ward
declares a typhoon for its subtree (an urgent notice in every household's feed, asking each to
check in); a household answers safe or needing help, for itself only; the group leader's board
counts per unit and lists the households needing help and those not heard from; an answer sent
twice changes nothing, a changed answer moves the household; a closed emergency takes no more
answers; officials of another unit are refused; the answers are published without the note; the
read models rebuilt equal the live ones."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from conversation_ward import Ward
from run_apart import run_apart
from sqlalchemy import func, select

from tothon_communication.readmodels.emergencies import check_ins, emergencies
from tothon_shared.contracts.schemas import SCHEMA_DIR
from tothon_shared.runtime.process import rebuild_read_models

API = "/api/v1/emergencies"


def _declare(w: Ward, status: int = 201, **body: Any) -> Any:
    payload = {
        "unit_id": str(w.ward),
        "hazard": "typhoon",
        "title": "Bão số 13 đổ bộ",
        "body": "Bà con báo tình hình an toàn hay cần giúp đỡ.",
        **body,
    }
    return w.post(API, payload, status).json()


def _answer(
    w: Ward, emergency: str, household: Any, status: str, code: int = 200, note: str | None = None
) -> Any:
    body = {"household_id": str(household), "status": status} | ({"note": note} if note is not None else {})
    return w.post(f"{API}/{emergency}/check-ins", body, code).json()


def _board(w: Ward, emergency: str, unit: Any) -> dict[str, Any]:
    response = w.get(f"{API}/{emergency}/board", unit_id=str(unit))
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def test_a_typhoon_asks_every_household_and_the_board_follows_their_answers(w: Ward) -> None:
    w.as_(w.ward_official)
    declared = _declare(w)
    eid = declared["emergency_id"]
    # The notice is in the feed, urgent, asking for acknowledgement; the household is asked to check in.
    w.as_(w.resident)
    feed = w.get(f"/api/v1/households/{w.household}/feed").json()
    assert [(n["announcement_id"], n["category"], n["requires_ack"]) for n in feed] == [
        (declared["announcement_id"], "emergency", True)
    ]
    asked = w.get(f"/api/v1/households/{w.household}/emergencies").json()
    assert [(e["emergency_id"], e["status"]) for e in asked] == [(eid, None)]
    # Before any answer every household of the ward is not heard from; the other ward's is not counted.
    w.as_(w.ward_official)
    board = _board(w, eid, w.ward)
    assert {(u["unit_name"], u["reached"], u["not_heard"]) for u in board["units"]} == {
        ("Tổ 17", 2, 2),
        ("Tổ 18", 1, 1),
    }
    assert {h["household_code"] for h in board["not_heard"]} == {"HO-001", "HO-002", "HO-181"}
    # One household is safe (the answer sent twice from a queue changes nothing), one needs help.
    w.as_(w.resident)
    assert _answer(w, eid, w.household, "safe") == {"recorded": True}
    assert _answer(w, eid, w.household, "safe") == {"recorded": False}
    w.as_(w.neighbour_resident)
    _answer(w, eid, w.neighbour, "needs_help", note="Nhà ngập, có cụ già 85 tuổi")
    w.as_(w.leader)
    board = _board(w, eid, w.group)
    assert [(u["reached"], u["safe"], u["needs_help"], u["not_heard"]) for u in board["units"]] == [
        (2, 1, 1, 0)
    ]
    assert [(h["household_code"], h["note"]) for h in board["needing_help"]] == [
        ("HO-002", "Nhà ngập, có cụ già 85 tuổi")
    ]
    assert board["not_heard"] == []
    # Help came: the household says it is safe now.
    w.as_(w.neighbour_resident)
    assert _answer(w, eid, w.neighbour, "safe") == {"recorded": True}
    assert w.get(f"/api/v1/households/{w.neighbour}/emergencies").json()[0]["status"] == "safe"
    w.as_(w.leader)
    assert _board(w, eid, w.group)["units"][0]["safe"] == 2
    # The group leader records a visit to the household of Tổ 18? Not theirs: refused.
    assert _answer(w, eid, w.household_18, "safe", code=403)
    # The ward official may: they visited it.
    w.as_(w.ward_official)
    assert _answer(w, eid, w.household_18, "safe") == {"recorded": True}
    assert _board(w, eid, w.ward)["not_heard"] == []


def test_a_check_in_for_another_household_or_out_of_the_area_is_refused_and_nothing_is_stored(
    w: Ward,
) -> None:
    w.as_(w.leader)
    eid = _declare(w, unit_id=str(w.group))["emergency_id"]
    w.as_(w.resident)
    refused = _answer(w, eid, w.neighbour, "safe", code=403)
    assert refused["code"] == "communication.emergency.not_your_household"
    assert "hộ của mình" in refused["detail"] or "hộ của mình" in refused["title"]
    w.as_(w.resident_51)
    assert (
        _answer(w, eid, w.household_51, "safe", code=422)["code"]
        == "communication.emergency.not_for_household"
    )
    w.as_(w.resident)
    assert _answer(w, eid, w.household, "unsure", code=422)
    assert _answer(w, eid, w.household, "needs_help", code=422, note="x" * 501)["code"] == (
        "communication.emergency.note_too_long"
    )
    assert _answer(w, eid, w.household, "needs_help", code=422, note="giúp\u202eđỡ")["code"] == (
        "communication.emergency.text_unsafe"
    )
    assert w.post(
        f"{API}/00000000-0000-0000-0000-000000000001/check-ins",
        {"household_id": str(w.household), "status": "safe"},
        404,
    )
    with w.svc.runtime.store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(check_ins)).scalar() == 0
    # Another unit's officials neither declare for the ward, nor see the board, nor close it.
    w.as_(w.other_leader)
    _declare(w, status=403, unit_id=str(w.group))
    assert w.get(f"{API}/{eid}/board", unit_id=str(w.group)).status_code == 403
    assert w.post(f"{API}/{eid}/closure", None, 403)
    # A resident does not see the board.
    w.as_(w.resident)
    assert w.get(f"{API}/{eid}/board", unit_id=str(w.group)).status_code == 403
    # An unknown hazard and an empty title are refused.
    w.as_(w.leader)
    _declare(w, status=422, unit_id=str(w.group), hazard="meteor")
    assert _declare(w, status=422, unit_id=str(w.group), title=" ")["code"] == (
        "communication.announcement.title_required"
    )
    with w.svc.runtime.store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(emergencies)).scalar() == 1


def test_a_closed_emergency_takes_no_more_answers(w: Ward) -> None:
    w.as_(w.leader)
    eid = _declare(w, unit_id=str(w.group))["emergency_id"]
    w.post(f"{API}/{eid}/closure", None, 204)
    assert w.post(f"{API}/{eid}/closure", None, 409).json()["code"] == "communication.emergency.closed"
    assert w.get(API, unit_id=str(w.group)).json() == []  # open ones by default
    assert [e["emergency_id"] for e in w.get(API, unit_id=str(w.group), open="false").json()] == [eid]
    w.as_(w.resident)
    assert _answer(w, eid, w.household, "safe", code=409)["code"] == "communication.emergency.closed"
    assert w.get(f"/api/v1/households/{w.household}/emergencies").json() == []


def test_answers_are_published_without_the_note_and_the_read_models_rebuild_equal(w: Ward) -> None:
    w.as_(w.leader)
    eid = _declare(w, unit_id=str(w.group))["emergency_id"]
    w.as_(w.resident)
    _answer(w, eid, w.household, "needs_help", note="Mái nhà bị tốc")
    _answer(w, eid, w.household, "safe")
    relay = w.svc.runtime.relay
    assert relay is not None
    while run_apart(relay.run_once()):
        pass
    raw = [m.value for m in w.svc.bus.read_topic("tothon.communication.emergencies.v1")]
    events = [json.loads(v) for v in raw]
    for event in events:
        schema = SCHEMA_DIR / f"{event['event_type']}.v1.json"
        jsonschema.validate(event, json.loads(schema.read_text(encoding="utf-8")))
    assert [(e["event_type"], e["status"], e["first"]) for e in events] == [
        ("CheckInReported", "needs_help", True),
        ("CheckInReported", "safe", False),
    ]
    assert {e["subject_id"] for e in events} == {eid}
    assert all(e["household_id"] == str(w.household) for e in events)
    assert not any("tốc".encode() in v for v in raw)

    def dump() -> dict[str, list[tuple[Any, ...]]]:
        with w.svc.runtime.store.engine.connect() as connection:
            return {
                t.name: [tuple(r) for r in connection.execute(select(t).order_by(*t.primary_key))]
                for t in (emergencies, check_ins)
            }

    live = dump()
    assert live["emergency_check_ins"]
    run_apart(rebuild_read_models(w.svc.runtime))
    assert dump() == live
