"""Every feedback read model (cases, timelines, statistics, the files cases cite, and the directory
copied from the registry's events) dropped and rebuilt equals the live one, and the stored photos
and files are left as they were."""

from __future__ import annotations

from typing import Any

from feedback_city import City
from run_apart import run_apart
from sqlalchemy import select

from tothon_shared.runtime.process import rebuild_read_models

TABLES = (
    "feedback_cases",
    "feedback_case_steps",
    "feedback_statistics",
    "directory_units",
    "directory_households",
    "feedback_case_files",
    # Not read models: the photos and files themselves, which a rebuild must leave alone.
    "attachment_blobs",
    "attachment_uploads",
)


def _tables(city: City) -> dict[str, list[tuple[Any, ...]]]:
    store = city.feedback.runtime.store
    dumped = {}
    with store.engine.connect() as connection:
        for name in TABLES:
            table = store.metadata.tables[name]
            dumped[name] = [tuple(r) for r in connection.execute(select(table).order_by(*table.primary_key))]
    return dumped


def _cases_in_every_state(city: City) -> None:
    feedback = city.feedback
    city.as_(city.resident)
    texts = ["Rác tồn đọng ở kiệt 45", "Đèn đường hỏng trước nhà 12", "Cây đổ chắn lối đi", "Nước ngập hẻm 7"]
    ids = [
        feedback.file({"category": "sanitation", "text": t, "not_a_repeat": True})["case_id"] for t in texts
    ]
    road = feedback.file({"category": "infrastructure", "text": "Ổ gà trên đường Trần Phú"})["case_id"]
    city.as_(city.leader)
    feedback.step(ids[0], "accept")
    feedback.step(ids[0], "notes", {"text": "Nội bộ"})
    feedback.step(ids[0], "resolve", {"answer": "Đã thu gom", "evidence": [feedback.evidence()]})
    feedback.step(ids[1], "reject", {"reason": "Thuộc điện lực"})
    feedback.step(ids[2], "merge", {"into": ids[3], "reason": "Trùng"})
    feedback.step(ids[3], "escalate", {"reason": "Cần phường"})
    city.as_(city.ward_official)
    feedback.step(road, "accept")
    feedback.step(road, "resolve", {"answer": "Đã vá", "evidence": [feedback.evidence()]})
    city.as_(city.resident)
    feedback.step(ids[0], "close", {"rating": 4})
    feedback.step(road, "reopen", {"reason": "Vẫn còn ổ gà"})


def test_the_feedback_read_models_rebuilt_equal_the_live_ones(city: City) -> None:
    _cases_in_every_state(city)
    live = _tables(city)
    assert len(live["feedback_cases"]) == 5
    assert len(live["feedback_case_steps"]) > 10
    assert len(live["attachment_blobs"]) > 0
    assert len(live["feedback_case_files"]) > 0
    counts = run_apart(rebuild_read_models(city.feedback.runtime))
    assert counts["feedback_cases"] > 0
    assert _tables(city) == live


def test_the_statistics_count_each_case_as_it_stands(city: City) -> None:
    _cases_in_every_state(city)
    response = city.feedback.client.get(
        "/api/v1/feedback/public/statistics",
        params={"unit_id": str(city.hai_chau), "first": "2000-01", "last": "2100-12"},
    )
    assert response.status_code == 200, response.text
    figures = response.json()
    totals = {k: v for k, v in figures["totals"].items() if v}
    # Five received; one settled at the group and confirmed (4 stars); the road, resolved and
    # reopened, counts as reopened and no longer as resolved; rejected and merged are neither.
    assert totals == {
        "received": 5,
        "handled_at_group": 1,
        "resolved": 1,
        "resolved_on_time": 1,
        "escalated": 1,
        "reopened": 1,
        "rejected": 1,
        "merged": 1,
        "closed": 1,
        "ratings": 1,
        "rating_total": 4,
    }
    assert (figures["mean_rating"], figures["handled_at_group_share"]) == (4.0, 1.0)
    # The other ward counts none of them.
    other = city.feedback.client.get(
        "/api/v1/feedback/public/statistics",
        params={"unit_id": str(city.thanh_khe), "first": "2000-01", "last": "2100-12"},
    ).json()
    assert other["totals"]["received"] == 0
