"""Household decisions through the API (Law 10/2022): a meeting notice needs five days' lead time
and asks each household to acknowledge it; a poll of a group counts one vote per household (a
second, from any phone, is refused), keeps the tally hidden until it closes, closes by the worker
at its time or early by an official, passes only with more than half of the eligible households,
and publishes PollClosed without who voted what; another unit's officials and households are
refused; the read models rebuilt equal the live ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema
from conversation_ward import Ward
from run_apart import run_apart
from sqlalchemy import select

from tothon_communication.domain.poll import passes
from tothon_communication.poll_closing import close_due_polls
from tothon_communication.readmodels.polls import ballots, polls
from tothon_shared.contracts.schemas import SCHEMA_DIR
from tothon_shared.runtime.process import rebuild_read_models


def _open(w: Ward, status: int = 201, **body: Any) -> Any:
    payload = {
        "unit_id": str(w.group),
        "question": "Làm đường bê tông kiệt 12, mỗi hộ góp 500.000 đồng?",
        "options": ["Đồng ý", "Không đồng ý"],
        "closes_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
        **body,
    }
    return w.post("/api/v1/polls", payload, status).json()


def _vote(w: Ward, poll: str, household: Any, option: int, status: int = 204) -> Any:
    return w.post(f"/api/v1/polls/{poll}/votes", {"household_id": str(household), "option": option}, status)


def test_a_meeting_notice_needs_five_days_and_asks_each_household(w: Ward) -> None:
    w.as_(w.leader)
    soon = {"title": "Họp tổ", "body": "Bàn việc làm đường.", "place": "Nhà văn hoá tổ 17"}
    refused = w.post(
        "/api/v1/meetings",
        {"unit_id": str(w.group), "meets_at": (datetime.now(UTC) + timedelta(days=3)).isoformat(), **soon},
        422,
    )
    assert refused.json()["code"] == "communication.poll.lead_time"
    assert "5 ngày" in refused.json()["detail_vi"]
    meets = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)  # 19:00 in Đà Nẵng
    made = w.post(
        "/api/v1/meetings", {"unit_id": str(w.group), "meets_at": meets.isoformat(), **soon}, 201
    ).json()
    w.as_(w.resident)
    [notice] = w.get(f"/api/v1/households/{w.household}/feed").json()
    assert notice["announcement_id"] == made["announcement_id"]
    assert (notice["category"], notice["requires_ack"], notice["heads_only"]) == (
        "meeting_notice",
        True,
        True,
    )
    assert "Thời gian: 19:00 ngày 10/01/2027" in notice["body"]
    assert "Địa điểm: Nhà văn hoá tổ 17" in notice["body"]
    w.as_(w.other_leader)
    assert w.post("/api/v1/meetings", {"unit_id": str(w.group), "meets_at": meets.isoformat(), **soon}, 403)


def test_one_vote_per_household_a_hidden_tally_and_a_public_result(w: Ward) -> None:
    w.as_(w.leader)
    poll = _open(w)
    assert (poll["eligible"], poll["voted"]) == (2, 0)
    pid = poll["poll_id"]
    w.as_(w.resident)
    _vote(w, pid, w.household, 0)
    again = _vote(w, pid, w.household, 1, 409)  # the household's other phone
    assert again.json()["code"] == "communication.poll.voted"
    assert _vote(w, pid, w.neighbour, 0, 403).json()["code"] == "communication.poll.not_your_household"
    mine = w.get(f"/api/v1/households/{w.household}/polls").json()
    assert [(p["poll_id"], p["my_option"], p["voted"], p["counts"]) for p in mine] == [(pid, 0, 1, None)]
    w.as_(w.resident_51)  # another ward's household
    assert _vote(w, pid, w.household_51, 0, 422).json()["code"] == "communication.poll.not_for_household"
    w.as_(w.neighbour_resident)
    assert _vote(w, pid, w.neighbour, 5, 422).json()["code"] == "communication.poll.option_invalid"
    _vote(w, pid, w.neighbour, 0)
    # Officials see the turnout, not how anyone voted; nor a household's vote.
    w.as_(w.leader)
    assert w.get(f"/api/v1/polls/{pid}").json()["counts"] is None
    assert w.get(f"/api/v1/households/{w.household}/polls").status_code == 403
    w.as_(w.other_leader)
    assert w.post(f"/api/v1/polls/{pid}/closure", None, 403)
    assert w.get(f"/api/v1/polls/{pid}").status_code == 403
    # Closed early by the leader: both households agreed, more than half of 2 — passed.
    w.as_(w.leader)
    w.post(f"/api/v1/polls/{pid}/closure", None, 204)
    result = w.get(f"/api/v1/polls/{pid}").json()
    assert (result["counts"], result["voted"], result["winner"], result["passed"]) == ([2, 0], 2, 0, True)
    w.as_(w.resident)
    assert _vote(w, pid, w.household, 0, 409).json()["code"] == "communication.poll.closed"
    relay = w.svc.runtime.relay
    assert relay is not None
    while run_apart(relay.run_once()):
        pass
    raw = [m.value for m in w.svc.bus.read_topic("tothon.communication.civic.v1")]
    [event] = [json.loads(v) for v in raw]
    jsonschema.validate(event, json.loads((SCHEMA_DIR / "PollClosed.v1.json").read_text(encoding="utf-8")))
    assert (event["subject_id"], event["unit_id"], event["eligible"], event["voted"]) == (
        pid,
        str(w.group),
        2,
        2,
    )
    assert (event["counts"], event["passed"]) == ([2, 0], True)
    assert str(w.household) not in raw[0].decode()


def test_the_worker_closes_a_poll_at_its_time_and_half_is_not_more_than_half(w: Ward) -> None:
    w.as_(w.leader)
    closes = datetime.now(UTC) + timedelta(hours=1)
    pid = _open(w, closes_at=closes.isoformat())["poll_id"]
    w.as_(w.resident)
    _vote(w, pid, w.household, 0)
    assert close_due_polls(w.svc.runtime, datetime.now(UTC)) == 0  # not yet
    assert close_due_polls(w.svc.runtime, closes + timedelta(seconds=1)) == 1
    w.svc.project()
    w.as_(w.leader)
    result = w.get(f"/api/v1/polls/{pid}").json()
    assert (result["counts"], result["winner"], result["passed"]) == (
        [1, 0],
        0,
        False,
    )  # 1 of 2: not more than half
    assert passes([3, 3], 10, 50) == (None, False)  # a tie decides nothing
    assert passes([6, 1], 10, 50) == (0, True)
    assert passes([5, 0], 10, 50) == (0, False)


def test_bad_polls_are_refused_and_nothing_is_stored(w: Ward) -> None:
    w.as_(w.leader)
    assert _open(w, status=422, options=["Đồng ý"])
    assert _open(w, status=422, options=["Có", "Có"])["code"] == "communication.poll.options"
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert _open(w, status=422, closes_at=past)["code"] == "communication.poll.closes_before_opening"
    far = (datetime.now(UTC) + timedelta(days=90)).isoformat()
    assert _open(w, status=422, closes_at=far)["code"] == "communication.poll.too_long"
    assert _open(w, status=422, threshold_percent=100)["code"] == "communication.poll.threshold"
    assert _open(w, status=422, question=" ")["code"] == "communication.poll.question_required"
    w.as_(w.resident)
    assert _open(w, status=403)
    with w.svc.runtime.store.engine.connect() as connection:
        assert connection.execute(select(polls)).all() == []


def test_the_poll_read_models_rebuilt_equal_the_live_ones(w: Ward) -> None:
    w.as_(w.leader)
    pid = _open(w)["poll_id"]
    w.as_(w.resident)
    _vote(w, pid, w.household, 1)
    w.as_(w.leader)
    w.post(f"/api/v1/polls/{pid}/closure", None, 204)

    def dump() -> dict[str, list[tuple[Any, ...]]]:
        with w.svc.runtime.store.engine.connect() as connection:
            return {
                t.name: [tuple(r) for r in connection.execute(select(t).order_by(*t.primary_key))]
                for t in (polls, ballots)
            }

    live = dump()
    assert live["poll_ballots"]
    run_apart(rebuild_read_models(w.svc.runtime))
    assert dump() == live
