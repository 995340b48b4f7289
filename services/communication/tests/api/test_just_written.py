"""What was written a moment ago can be acted on at once: a notice retracted or acknowledged, a
poll voted on, an emergency answered, a conversation written to, before their read models have
been projected (a script, another system, a fast second tap). A route that finds no row asks the
event store; if the aggregate is there it waits for the projection (503 with Retry-After if it
does not come), and only what was never written is not found, at once."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conversation_ward import Ward

from tothon_shared.readstore import recent

NOTICE = {"title": "Cắt nước", "body": "Sáng mai cắt nước từ 8 giờ.", "priority": "urgent"}


def _created(w: Ward, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """Made through the API with no projection run after it (``Ward.post`` would run them)."""
    response = w.svc.client.post(path, json=body)
    assert response.status_code in (200, 201), response.text
    found: dict[str, Any] = response.json()
    return found


@pytest.fixture
def project_soon(w: Ward) -> Iterator[Callable[[], None]]:
    """Each call runs the projections 0.3 s later (as the worker would, while the next request
    waits); all have run when the test ends."""
    timers: list[threading.Timer] = []

    def soon() -> None:
        timers.append(threading.Timer(0.3, w.svc.project))
        timers[-1].start()

    yield soon
    for timer in timers:
        timer.join()


def test_a_notice_just_written_is_acknowledged_and_retracted(
    w: Ward, project_soon: Callable[[], None]
) -> None:
    w.as_(w.leader)
    notice = _created(w, "/api/v1/announcements", {"unit_id": str(w.group), **NOTICE})["announcement_id"]
    w.as_(w.resident)
    project_soon()
    answer = w.svc.client.post(
        f"/api/v1/announcements/{notice}/acknowledgements", json={"household_id": str(w.household)}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"recorded": True}
    w.as_(w.leader)
    second = _created(w, "/api/v1/announcements", {"unit_id": str(w.group), **NOTICE})["announcement_id"]
    project_soon()
    retracted = w.svc.client.post(f"/api/v1/announcements/{second}/retraction", json={"reason": "Nhầm ngày"})
    assert retracted.status_code == 204, retracted.text


def test_a_poll_just_opened_takes_a_vote(w: Ward, project_soon: Callable[[], None]) -> None:
    w.as_(w.leader)
    closes = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    poll = _created(
        w,
        "/api/v1/polls",
        {
            "unit_id": str(w.group),
            "question": "Lắp đèn kiệt?",
            "options": ["Có", "Không"],
            "closes_at": closes,
        },
    )["poll_id"]
    w.as_(w.resident)
    project_soon()
    voted = w.svc.client.post(
        f"/api/v1/polls/{poll}/votes", json={"household_id": str(w.household), "option": 0}
    )
    assert voted.status_code == 204, voted.text


def test_an_emergency_just_declared_takes_a_check_in(w: Ward, project_soon: Callable[[], None]) -> None:
    w.as_(w.ward_official)
    body = {"unit_id": str(w.ward), "hazard": "flood", "title": "Lũ", "body": "Nước lên nhanh."}
    emergency = _created(w, "/api/v1/emergencies", body)["emergency_id"]
    w.as_(w.resident)
    project_soon()
    answered = w.svc.client.post(
        f"/api/v1/emergencies/{emergency}/check-ins",
        json={"household_id": str(w.household), "status": "safe"},
    )
    assert answered.status_code == 200, answered.text


def test_a_conversation_just_opened_takes_a_message(w: Ward, project_soon: Callable[[], None]) -> None:
    w.as_(w.resident)
    conversation = _created(w, "/api/v1/conversations", {"kind": "resident-leader"})["conversation_id"]
    project_soon()
    posted = w.svc.client.post(f"/api/v1/conversations/{conversation}/messages", json={"text": "Chào anh"})
    assert posted.status_code == 201, posted.text


def test_what_was_never_written_is_not_found_at_once(w: Ward) -> None:
    w.as_(w.leader)
    closes = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    poll = w.post(
        "/api/v1/polls",
        {"unit_id": str(w.group), "question": "Q?", "options": ["A", "B"], "closes_at": closes},
        201,
    ).json()["poll_id"]
    started = time.monotonic()
    for path in (
        f"/api/v1/announcements/{uuid.uuid4()}/retraction",
        f"/api/v1/announcements/{poll}/retraction",  # a poll is not a notice
        f"/api/v1/emergencies/{poll}/closure",
    ):
        refused = w.svc.client.post(path, json={"reason": "x"})
        assert refused.status_code == 404, refused.text
    assert time.monotonic() - started < 1.0  # no wait for a projection that will never come


def test_a_projection_that_does_not_come_is_a_503_to_retry(w: Ward, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recent, "PROJECTION_WAIT_SECONDS", 0.2)
    w.as_(w.leader)
    notice = _created(w, "/api/v1/announcements", {"unit_id": str(w.group), **NOTICE})["announcement_id"]
    behind = w.svc.client.post(f"/api/v1/announcements/{notice}/retraction", json={"reason": "Nhầm"})
    assert behind.status_code == 503, behind.text
    assert behind.headers["Retry-After"] == "1"
    assert behind.json()["code"] == "projection_behind.detail"
    assert behind.json()["detail_en"].startswith("What was just written is still being brought up to date")
    w.svc.project()
    assert (
        w.svc.client.post(f"/api/v1/announcements/{notice}/retraction", json={"reason": "Nhầm"}).status_code
        == 204
    )
