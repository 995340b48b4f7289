"""A city administrator edits the feedback configuration: categories with their competent level
and deadlines, retirement, the city's days off and office hours; each edit takes effect on the
cases filed after it, and bad edits are refused with nothing stored."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

from feedback_city import City

from tothon_feedback.application import FeedbackApplication
from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.submission import Channel, Submission
from tothon_feedback.places import parent_lookup
from tothon_shared.auth.roles import Role
from tothon_shared.kernel.clock import VIETNAM

CATALOGUE = "/api/v1/feedback/catalogue"
TREES: dict[str, Any] = {
    "name_vi": "Cắt tỉa cây xanh",
    "name_en": "Tree trimming",
    "level": "group",
    "deadlines": {
        "group": {"accept_hours": 4, "resolve_days": 2},
        "ward": {"accept_hours": 8, "resolve_days": 5},
        "city": {"accept_hours": 8, "resolve_days": 10},
    },
    "reason": "Mùa mưa bão",
}


def _as_admin(city: City) -> None:
    city.feedback.as_(Role.CITY_IT_ADMIN, city.city)


def _codes(catalogue: dict[str, Any], retired: bool = False) -> set[str]:
    return {c["code"] for c in catalogue["categories"] if c["retired"] is retired}


def test_an_administrator_adds_changes_and_retires_a_category(city: City) -> None:
    _as_admin(city)
    client = city.feedback.client
    added = client.put(f"{CATALOGUE}/categories/trees", json=TREES)
    assert added.status_code == 200, added.text
    assert "trees" in _codes(added.json())
    city.as_(city.resident)
    case = city.feedback.file({"category": "trees", "text": "Cây sắp đổ trước nhà 5"})
    assert case["level"] == "group"
    _as_admin(city)
    changed = client.put(f"{CATALOGUE}/categories/trees", json={**TREES, "level": "ward"})
    assert changed.status_code == 200, changed.text
    [trees] = [c for c in changed.json()["categories"] if c["code"] == "trees"]
    assert trees["level"] == "ward"
    retired = client.post(f"{CATALOGUE}/categories/trees/retire", json={"reason": "Gộp vào hạ tầng"})
    assert "trees" in _codes(retired.json(), retired=True)
    city.as_(city.resident)
    refused = city.feedback.post(
        "/api/v1/feedback/cases", {"category": "trees", "text": "Cây khác", "not_a_repeat": True}
    )
    assert refused.status_code == 422, refused.text
    public = {c["code"] for c in client.get("/api/v1/feedback/public/categories").json()}
    assert "trees" not in public
    assert "sanitation" in public


def test_a_day_off_the_city_adds_moves_the_deadlines_of_cases_filed_after_it(city: City) -> None:
    app = city.feedback.runtime.app
    assert isinstance(app, FeedbackApplication)

    def accept_by() -> datetime:
        submission = Submission(
            f"household:{city.household}",
            "account:leader",
            Channel.PHONE,
            "Cống tắc",
            city.group,
            Level.GROUP,
        )
        filed = app.submit(
            uuid4(),
            submission,
            "sanitation",
            datetime(2027, 3, 4, 16, tzinfo=VIETNAM),
            parent_lookup(city.feedback.runtime.store),
        )
        return filed.accept_by.astimezone(VIETNAM)

    before = accept_by()
    assert before.date() == datetime(2027, 3, 5).date()  # Friday
    _as_admin(city)
    response = city.feedback.client.post(
        f"{CATALOGUE}/days-off", json={"day": "2027-03-05", "reason": "Ngày giải phóng thành phố"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["days_off"] == ["2027-03-05"]
    assert accept_by().date() == datetime(2027, 3, 8).date()  # the Monday after
    again = city.feedback.client.post(
        f"{CATALOGUE}/days-off", json={"day": "2027-03-05", "reason": "Lần nữa"}
    )
    assert again.status_code == 409, again.text
    removed = city.feedback.client.post(f"{CATALOGUE}/days-off/2027-03-05/remove", json={"reason": "Nhầm"})
    assert removed.json()["days_off"] == []


def test_bad_edits_are_refused_and_change_nothing(city: City) -> None:
    _as_admin(city)
    client = city.feedback.client
    before = client.get(CATALOGUE).json()
    no_ward_deadline = {**TREES, "deadlines": {"group": TREES["deadlines"]["group"]}}
    refusals = [
        client.put(f"{CATALOGUE}/categories/trees", json=no_ward_deadline),
        client.put(f"{CATALOGUE}/categories/trees", json={**TREES, "reason": " "}),
        client.put(f"{CATALOGUE}/categories/Bad%20Code", json=TREES),
        client.put(f"{CATALOGUE}/office-hours", json={"periods": [["11:00", "08:00"]], "reason": "x"}),
        client.put(
            f"{CATALOGUE}/office-hours",
            json={"periods": [["07:30", "11:30"], ["11:00", "17:00"]], "reason": "x"},
        ),
        client.post(f"{CATALOGUE}/categories/no_such/retire", json={"reason": "x"}),
    ]
    for response in refusals:
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    assert client.get(CATALOGUE).json() == before


def test_only_city_administrators_edit_the_catalogue(city: City) -> None:
    for principal in (city.leader, city.ward_official, city.resident):
        city.as_(principal)
        assert city.feedback.client.put(f"{CATALOGUE}/categories/trees", json=TREES).status_code == 403
    city.as_(city.city_official)
    assert city.feedback.client.put(f"{CATALOGUE}/categories/trees", json=TREES).status_code == 200
