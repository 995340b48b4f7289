"""Each public step of a case is published on ``feedback.cases`` as its contract, valid against
its committed JSON Schema, and nothing the resident wrote (or an official's reason) leaves the
service; internal steps are not published."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from feedback_city import City
from run_apart import run_apart

from tothon_shared.contracts.schemas import SCHEMA_DIR

TOPIC = "tothon.feedback.cases.v1"
SECRET_WORDS = "Nguyễn Thị Lan số nhà 99 kiệt Bí Mật"


def _published(city: City) -> list[dict[str, Any]]:
    runtime = city.feedback.runtime
    assert runtime.relay is not None
    while run_apart(runtime.relay.run_once()):
        pass
    return [json.loads(m.value) for m in city.feedback.bus.read_topic(TOPIC)]


def test_the_public_steps_are_published_without_personal_data(city: City) -> None:
    feedback = city.feedback
    city.as_(city.resident)
    case_id = feedback.file(
        {"category": "sanitation", "text": f"Rác ở nhà bà {SECRET_WORDS}", "address": SECRET_WORDS}
    )["case_id"]
    city.as_(city.leader)
    feedback.step(case_id, "accept")
    feedback.step(case_id, "assign", {"official": "tổ phó"})
    feedback.step(case_id, "notes", {"text": SECRET_WORDS})
    feedback.step(case_id, "replies", {"text": SECRET_WORDS})
    feedback.step(case_id, "escalate", {"reason": SECRET_WORDS})
    city.as_(city.ward_official)
    feedback.step(case_id, "accept")
    feedback.step(case_id, "resolve", {"answer": SECRET_WORDS, "evidence": [feedback.evidence()]})
    city.as_(city.resident)
    feedback.step(case_id, "close", {"rating": 5})
    events = _published(city)
    assert [e["event_type"] for e in events] == [
        "FeedbackSubmitted",
        "FeedbackAccepted",
        "FeedbackReplied",
        "FeedbackEscalated",
        "FeedbackAccepted",
        "FeedbackResolved",
        "FeedbackClosed",
    ]
    assert {e["subject_id"] for e in events} == {case_id}
    for event in events:
        schema = json.loads((SCHEMA_DIR / f"{event['event_type']}.v1.json").read_text())
        jsonschema.validate(event, schema)
        for word in ("Nguyễn", "Bí Mật", "tổ phó"):
            assert word not in json.dumps(event, ensure_ascii=False), event
    submitted, escalated = events[0], events[3]
    assert submitted["resident_account_id"] == str(city.resident.account_id)
    assert (submitted["level"], submitted["unit_id"], submitted["via"]) == (
        "group",
        str(city.group),
        "online",
    )
    assert (escalated["level"], escalated["unit_id"], escalated["automatic"]) == (
        "ward",
        str(city.hai_chau),
        False,
    )
    assert events[-1]["rating"] == 5


def test_a_case_filed_for_a_household_names_the_household_not_an_account(city: City) -> None:
    city.as_(city.leader)
    city.feedback.file(
        {
            "category": "sanitation",
            "text": "Cống tắc",
            "channel": "phone",
            "household_id": str(city.household),
        }
    )
    [submitted] = _published(city)
    assert (submitted["household_id"], submitted["resident_account_id"], submitted["via"]) == (
        str(city.household),
        None,
        "phone",
    )
