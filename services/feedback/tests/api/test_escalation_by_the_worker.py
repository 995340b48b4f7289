"""The worker escalates a case whose deadline passed, by itself, on a clock the test sets: across
Tết, a case filed the day before the break is not late until its working hours have run out
after it."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID, uuid4

from feedback_city import City
from run_apart import run_apart

from tothon_feedback.application import FeedbackApplication
from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.submission import Channel, Submission
from tothon_feedback.places import parent_lookup
from tothon_shared.kernel.clock import VIETNAM

# Wednesday 3 February 2027, 16:00: the last working afternoon before Tết (4–10 February).
BEFORE_TET = datetime(2027, 2, 3, 16, tzinfo=VIETNAM)


def _file(city: City, at: datetime) -> UUID:
    runtime = city.feedback.runtime
    app = runtime.app
    assert isinstance(app, FeedbackApplication)
    resident = f"household:{city.household}"
    submission = Submission(
        resident, "account:leader", Channel.PHONE, "Cống thoát nước bị tắc", city.group, Level.GROUP
    )
    case = app.submit(uuid4(), submission, "sanitation", at, parent_lookup(runtime.store))
    city.feedback.project()
    return case.id


def _watch_at(city: City, now: datetime) -> int:
    runtime = city.feedback.runtime
    runtime.clock = lambda: now
    escalated = run_apart(runtime.run_schedules(force=True))
    city.feedback.project()
    return escalated


def _case(city: City, case_id: UUID) -> dict[str, object]:
    city.as_(city.ward_official)
    response = city.feedback.client.get(f"/api/v1/feedback/cases/{case_id}")
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def test_a_case_filed_before_tet_is_escalated_only_once_its_working_hours_have_run_out(city: City) -> None:
    case_id = _file(city, BEFORE_TET)
    accept_by = datetime.fromisoformat(str(_case(city, case_id)["accept_by"]))
    # Eight working hours: one on Wednesday afternoon, seven after the break.
    assert accept_by.astimezone(VIETNAM).date() == datetime(2027, 2, 11).date()
    assert _watch_at(city, datetime(2027, 2, 8, 12, tzinfo=VIETNAM)) == 0  # in the middle of Tết
    assert _watch_at(city, accept_by - timedelta(minutes=1)) == 0
    assert _case(city, case_id)["level"] == "group"
    assert _watch_at(city, accept_by + timedelta(minutes=1)) == 1
    escalated = _case(city, case_id)
    assert (escalated["level"], escalated["unit_id"], escalated["status"]) == (
        "ward",
        str(city.hai_chau),
        "submitted",
    )
    # The ward's deadline counts from the escalation, not from the filing.
    assert datetime.fromisoformat(str(escalated["accept_by"])) > accept_by
    timeline = city.feedback.client.get(f"/api/v1/feedback/cases/{case_id}/timeline").json()
    assert (timeline[-1]["step"], timeline[-1]["actor"], timeline[-1]["reason"]) == (
        "escalated",
        "system",
        "deadline_passed",
    )
    # A second round at the same instant finds nothing more to do.
    assert _watch_at(city, accept_by + timedelta(minutes=1)) == 0


def test_an_accepted_case_is_escalated_when_its_resolution_is_late_and_never_past_the_city(
    city: City,
) -> None:
    case_id = _file(city, BEFORE_TET)
    app = city.feedback.runtime.app
    assert isinstance(app, FeedbackApplication)
    app.accept(case_id, "account:leader", BEFORE_TET + timedelta(minutes=30))
    city.feedback.project()
    resolve_by = datetime.fromisoformat(str(_case(city, case_id)["resolve_by"]))
    assert _watch_at(city, resolve_by - timedelta(minutes=1)) == 0
    assert _watch_at(city, resolve_by + timedelta(minutes=1)) == 1
    at_ward = _case(city, case_id)
    assert _watch_at(city, datetime.fromisoformat(str(at_ward["accept_by"])) + timedelta(minutes=1)) == 1
    assert _case(city, case_id)["level"] == "city"
    assert _watch_at(city, datetime(2028, 1, 1, tzinfo=VIETNAM)) == 0  # no level above the city
    assert _case(city, case_id)["escalations"] == 2
    statistics = city.feedback.client.get(
        "/api/v1/feedback/public/statistics",
        params={"unit_id": str(city.city), "first": "2027-01", "last": "2027-12"},
    ).json()
    assert (statistics["totals"]["late"], statistics["totals"]["escalated"]) == (1, 1)
    assert statistics["totals"]["handled_at_group"] == 0


def test_the_worker_runs_the_watch_in_its_first_round(city: City) -> None:
    case_id = _file(city, BEFORE_TET)
    runtime = city.feedback.runtime
    runtime.clock = lambda: datetime(2027, 3, 1, tzinfo=VIETNAM)
    run_apart(runtime.work_once())
    city.feedback.project()
    assert _case(city, case_id)["level"] == "ward"
