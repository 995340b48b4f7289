"""A case's way through the API: filed by a resident, worked at the group, escalated, returned,
resolved with evidence, confirmed or reopened; each refusal a problem and nothing stored."""

from __future__ import annotations

from typing import Any

from feedback_city import City

from tothon_shared.auth.roles import Role

LIGHT = {
    "category": "sanitation",
    "text": "Rác tồn đọng đầu kiệt 45 Lê Duẩn ba ngày nay",
    "address": "K45 Lê Duẩn",
}
ROAD = {
    "category": "infrastructure",
    "text": "Ổ gà lớn trước nhà số 12 đường Trần Phú",
    "address": "12 Trần Phú",
}


def _filed(city: City, body: dict[str, Any] = LIGHT) -> dict[str, Any]:
    city.as_(city.resident)
    return city.feedback.file(body)


def _queue(city: City, unit: Any, **params: Any) -> list[dict[str, Any]]:
    response = city.feedback.client.get("/api/v1/feedback/queue", params={"unit_id": str(unit), **params})
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


def test_a_residents_case_is_filed_at_its_competent_level_and_shows_in_that_units_queue(city: City) -> None:
    sanitation = _filed(city)
    road = _filed(city, ROAD)
    # Sanitation is the group's to settle; a road is the ward's.
    assert (sanitation["level"], sanitation["unit_id"]) == ("group", str(city.group))
    assert (road["level"], road["unit_id"]) == ("ward", str(city.hai_chau))
    assert sanitation["status"] == "submitted"
    assert sanitation["deadline_status"] in {"on_time", "due_today"}
    city.as_(city.leader)
    assert [c["case_id"] for c in _queue(city, city.group)] == [sanitation["case_id"]]
    city.as_(city.ward_official)
    assert [c["case_id"] for c in _queue(city, city.hai_chau)] == [road["case_id"]]
    # Overseeing the groups below: both.
    overseen = {c["case_id"] for c in _queue(city, city.hai_chau, include_below="true")}
    assert overseen == {sanitation["case_id"], road["case_id"]}


def test_the_group_settles_a_case_with_evidence_and_the_resident_confirms_and_rates_it(city: City) -> None:
    case_id = _filed(city)["case_id"]
    feedback = city.feedback
    city.as_(city.leader)
    assert feedback.step(case_id, "accept").json()["status"] == "accepted"
    assert feedback.step(case_id, "start").json()["status"] == "in_progress"
    assert feedback.step(case_id, "notes", {"text": "Gọi đội vệ sinh môi trường"}).status_code == 200
    assert feedback.step(case_id, "replies", {"text": "Sáng mai đội vệ sinh sẽ đến"}).status_code == 200
    resolved = feedback.step(
        case_id, "resolve", {"answer": "Đã thu gom rác", "evidence": [feedback.evidence()]}
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved"
    city.as_(city.resident)
    closed = feedback.step(case_id, "close", {"rating": 5})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    assert closed.json()["rating"] == 5
    # The resident's timeline has the public steps and the reply, never the internal note.
    timeline = feedback.client.get(f"/api/v1/feedback/cases/{case_id}/timeline").json()
    assert [s["step"] for s in timeline] == [
        "submitted",
        "accepted",
        "started",
        "replied",
        "resolved",
        "closed",
    ]
    city.as_(city.leader)
    steps = [s["step"] for s in feedback.client.get(f"/api/v1/feedback/cases/{case_id}/timeline").json()]
    assert "noted" in steps
    city.as_(city.resident)
    mine = feedback.client.get("/api/v1/feedback/cases/mine").json()
    assert [(c["case_id"], c["status"], c["rating"]) for c in mine] == [(case_id, "closed", 5)]


def test_a_resolution_without_evidence_and_a_step_the_state_does_not_allow_are_refused(city: City) -> None:
    case_id = _filed(city)["case_id"]
    feedback = city.feedback
    city.as_(city.leader)
    refused = feedback.step(case_id, "start")
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    feedback.step(case_id, "accept")
    no_evidence = feedback.step(case_id, "resolve", {"answer": "Đã xử lý", "evidence": []})
    assert no_evidence.status_code == 422, no_evidence.text
    city.as_(city.resident)
    case = feedback.client.get(f"/api/v1/feedback/cases/{case_id}").json()
    assert (case["status"], case["answer"]) == ("accepted", None)


def test_escalated_to_the_ward_returned_to_the_group_and_reopened_one_level_up(city: City) -> None:
    case_id = _filed(city)["case_id"]
    feedback = city.feedback
    city.as_(city.leader)
    escalated = feedback.step(case_id, "escalate", {"reason": "Cần xe chuyên dụng của phường"})
    assert escalated.status_code == 200, escalated.text
    assert (escalated.json()["level"], escalated.json()["unit_id"]) == ("ward", str(city.hai_chau))
    # Now the ward's: the group leader sees it but may not take its steps.
    assert feedback.step(case_id, "accept").status_code == 403
    city.as_(city.ward_official)
    returned = feedback.step(case_id, "return", {"unit_id": str(city.group), "reason": "Tổ tự xử lý được"})
    assert returned.status_code == 200, returned.text
    assert returned.json()["level"] == "group"
    city.as_(city.leader)
    feedback.step(case_id, "accept")
    feedback.step(case_id, "resolve", {"answer": "Đã thu gom", "evidence": [feedback.evidence()]})
    city.as_(city.resident)
    reopened = feedback.step(case_id, "reopen", {"reason": "Rác vẫn còn"})
    assert reopened.status_code == 200, reopened.text
    assert (reopened.json()["status"], reopened.json()["level"]) == ("submitted", "ward")
    assert reopened.json()["reopenings"] == 1


def test_a_ward_official_oversees_a_groups_case_but_does_not_take_it_from_the_group(city: City) -> None:
    case_id = _filed(city)["case_id"]
    city.as_(city.ward_official)
    assert city.feedback.client.get(f"/api/v1/feedback/cases/{case_id}").status_code == 200
    refused = city.feedback.step(case_id, "accept")
    assert refused.status_code == 403, refused.text


def test_officials_of_another_ward_neither_see_nor_act_on_a_case(city: City) -> None:
    case_id = _filed(city)["case_id"]
    feedback = city.feedback
    feedback.as_(Role.GROUP_LEADER, city.other_group)
    assert feedback.client.get(f"/api/v1/feedback/cases/{case_id}").status_code == 403
    assert feedback.step(case_id, "accept").status_code == 403
    assert (
        feedback.client.get("/api/v1/feedback/queue", params={"unit_id": str(city.group)}).status_code == 403
    )
    feedback.as_(Role.WARD_OFFICIAL, city.thanh_khe)
    assert feedback.step(case_id, "escalate", {"reason": "x"}).status_code == 403
    # Another resident: not their case.
    feedback.as_(Role.RESIDENT, city.other_group, city.other_household)
    assert feedback.client.get(f"/api/v1/feedback/cases/{case_id}").status_code == 403
    assert feedback.step(case_id, "reopen", {"reason": "x"}).status_code == 403
    city.as_(city.resident)
    assert feedback.client.get(f"/api/v1/feedback/cases/{case_id}").json()["status"] == "submitted"


def test_a_text_that_reads_like_a_complaint_is_sent_to_its_procedure_unless_the_resident_says_not(
    city: City,
) -> None:
    city.as_(city.resident)
    body = {"category": "other", "text": "Tôi khiếu nại quyết định thu hồi đất của phường"}
    warned = city.feedback.post("/api/v1/feedback/cases", body)
    assert warned.status_code == 422, warned.text
    assert warned.json()["procedure"] == "complaint"
    assert "Khiếu nại" in warned.json()["law"]
    assert city.feedback.client.get("/api/v1/feedback/cases/mine").json() == []
    filed = city.feedback.post("/api/v1/feedback/cases", {**body, "not_a_complaint": True})
    assert filed.status_code == 201, filed.text
    formal = city.feedback.post("/api/v1/feedback/cases", {"category": "complaint", "text": "Đơn"})
    assert formal.status_code == 422, formal.text
    assert "Luật Khiếu nại" in formal.json()["detail"]


def test_a_resident_sending_the_same_case_again_is_pointed_to_the_open_one(city: City) -> None:
    first = _filed(city)
    again = city.feedback.post("/api/v1/feedback/cases", {**LIGHT, "text": LIGHT["text"] + "!"})
    assert again.status_code == 409, again.text
    assert again.json()["case_id"] == first["case_id"]
    anyway = city.feedback.post("/api/v1/feedback/cases", {**LIGHT, "not_a_repeat": True})
    assert anyway.status_code == 201


def test_bad_submissions_are_refused_with_a_problem_and_nothing_is_stored(city: City) -> None:
    city.as_(city.resident)
    cases: list[tuple[dict[str, Any], int]] = [
        ({"category": "no-such-category", "text": "x"}, 422),
        ({"category": "sanitation", "text": "   "}, 422),
        ({"category": "sanitation", "text": "x" * 5000}, 422),
        ({"category": "sanitation", "text": "x", "attachments": ["not-a-hash"]}, 422),
        ({"category": "sanitation", "text": "x", "position": {"latitude": 91, "longitude": 0}}, 422),
        ({"category": "sanitation", "text": "x", "surprise": 1}, 422),
    ]
    for body, status in cases:
        response = city.feedback.post("/api/v1/feedback/cases", body)
        assert response.status_code == status, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert city.feedback.client.get("/api/v1/feedback/cases/mine").json() == []


def test_a_position_is_kept_only_when_the_resident_shares_it(city: City) -> None:
    position = {"latitude": 16.0678, "longitude": 108.2208}
    kept = _filed(city, {**LIGHT, "position": position, "share_position": True})
    dropped = _filed(city, {**ROAD, "position": position})
    assert kept["position"] == position
    assert dropped["position"] is None


def test_an_official_files_a_walk_in_for_a_household_and_its_resident_follows_it(city: City) -> None:
    city.as_(city.leader)
    filed = city.feedback.file({**LIGHT, "channel": "walk_in", "household_id": str(city.household)})
    assert filed["channel"] == "walk_in"
    city.as_(city.resident)
    assert [c["case_id"] for c in city.feedback.client.get("/api/v1/feedback/cases/mine").json()] == [
        filed["case_id"]
    ]
    # Not for a household of another ward's group.
    city.as_(city.leader)
    refused = city.feedback.post(
        "/api/v1/feedback/cases", {**ROAD, "channel": "phone", "household_id": str(city.other_household)}
    )
    assert refused.status_code == 403, refused.text


def test_a_resident_without_a_household_cannot_file_online(city: City) -> None:
    city.feedback.as_(Role.RESIDENT, city.group)
    refused = city.feedback.post("/api/v1/feedback/cases", LIGHT)
    assert refused.status_code == 403, refused.text


def test_a_residents_name_is_shown_with_the_outcome_only_when_they_allow_it(city: City) -> None:
    feedback = city.feedback
    city.as_(city.resident)
    named = feedback.file({**LIGHT, "name_public": True})["case_id"]
    unnamed = feedback.file({**ROAD})["case_id"]
    city.as_(city.leader)
    for case_id in (named,):
        feedback.step(case_id, "accept")
        feedback.step(case_id, "resolve", {"answer": "Đã thu gom", "evidence": [feedback.evidence()]})
    city.as_(city.ward_official)
    feedback.step(unnamed, "accept")
    feedback.step(unnamed, "resolve", {"answer": "Đã vá", "evidence": [feedback.evidence()]})
    feedback.client.headers.pop("Authorization")
    outcomes = feedback.client.get(
        "/api/v1/feedback/public/outcomes", params={"unit_id": str(city.hai_chau)}
    ).json()
    names = {o["case_id"]: o["public_name"] for o in outcomes}
    assert names == {named: city.resident.name, unnamed: None}
    assert all("text" not in o and "address" not in o for o in outcomes)
