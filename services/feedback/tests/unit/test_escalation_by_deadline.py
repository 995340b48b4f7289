"""Escalation when a deadline passes: a pure decision at an instant the caller gives, and the same
escalation as an official's, by the system with the reason that the deadline passed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from tothon_feedback.domain.calendar import DeadlineStatus
from tothon_feedback.domain.deadlines import deadline_status, due_for_escalation
from tothon_feedback.domain.errors import CaseStateError
from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.workflow import DEADLINE_PASSED, SYSTEM, CaseStatus
from tothon_shared.kernel.clock import VIETNAM

OFFICIAL = "account:official"
# The last working afternoon before the Tết break of 2027 (Thursday 4 to Wednesday 10 February).
BEFORE_TET = datetime(2027, 2, 3, 16, tzinfo=VIETNAM)
MINUTE = timedelta(minutes=1)


def test_a_case_not_accepted_in_time_is_due_for_escalation_only_after_the_tet_break(cases: Any) -> None:
    case = cases.submit("infrastructure", at=BEFORE_TET)  # at the ward: accept within 8 working hours
    assert case.accept_by == datetime(2027, 2, 11, 16, 30, tzinfo=VIETNAM)
    assert not due_for_escalation(case, datetime(2027, 2, 8, 16, tzinfo=VIETNAM))  # in the break
    assert not due_for_escalation(case, case.accept_by)
    assert due_for_escalation(case, case.accept_by + MINUTE)


def test_the_scheduler_escalates_an_overdue_case_as_the_system(cases: Any) -> None:
    case = cases.submit("infrastructure", at=BEFORE_TET)
    now = case.accept_by + MINUTE
    case.escalate_overdue(now, cases.units.parent, cases.rule("infrastructure"))
    assert (case.level, case.unit_id, case.status, case.escalations) == (
        Level.CITY,
        cases.units.city,
        CaseStatus.SUBMITTED,
        1,
    )
    escalated = case.collect_events()[-1]
    assert (type(escalated).__name__, escalated.actor, escalated.reason, escalated.at) == (
        "Escalated",
        SYSTEM,
        DEADLINE_PASSED,
        now,
    )
    # The city's deadlines count from the escalation: 8 working hours from Thursday 16:31 are
    # 29 minutes that day, Friday's 7.5 hours and one minute on Monday.
    assert case.accept_by == datetime(2027, 2, 15, 7, 31, tzinfo=VIETNAM)


def test_a_case_not_yet_due_is_not_escalated_by_the_system(cases: Any) -> None:
    case = cases.submit("infrastructure", at=BEFORE_TET)
    with pytest.raises(CaseStateError) as refused:
        case.escalate_overdue(case.accept_by, cases.units.parent, cases.rule("infrastructure"))
    assert refused.value.code == "not_due"
    assert case.level is Level.WARD


def test_once_accepted_the_deadline_to_resolve_counts(cases: Any) -> None:
    case = cases.submit("infrastructure", at=BEFORE_TET)
    case.accept(OFFICIAL, BEFORE_TET)
    assert case.current_due == case.resolve_by == datetime(2027, 2, 15, 16, tzinfo=VIETNAM)  # 3 working days
    assert not due_for_escalation(case, case.accept_by + MINUTE)
    assert due_for_escalation(case, case.resolve_by + MINUTE)


def test_a_case_at_the_city_or_no_longer_open_is_never_due(cases: Any) -> None:
    at_city = cases.submit("policy")
    resolved = cases.in_status(CaseStatus.RESOLVED)
    far_later = datetime(2028, 1, 1, tzinfo=VIETNAM)
    assert not due_for_escalation(at_city, far_later)
    assert not due_for_escalation(resolved, far_later)
    with pytest.raises(CaseStateError) as refused:
        resolved.escalate_overdue(far_later, cases.units.parent, cases.rule())
    assert refused.value.code == "state"


def test_a_cases_deadline_status_at_an_instant(cases: Any) -> None:
    calendar = cases.catalogue.calendar()
    case = cases.submit("infrastructure", at=BEFORE_TET)  # to accept by 11 February 16:30
    assert deadline_status(case, calendar, BEFORE_TET) is DeadlineStatus.ON_TIME
    assert (
        deadline_status(case, calendar, datetime(2027, 2, 11, 8, tzinfo=VIETNAM)) is DeadlineStatus.DUE_TODAY
    )
    assert deadline_status(case, calendar, case.accept_by + MINUTE) is DeadlineStatus.LATE
    assert deadline_status(cases.in_status(CaseStatus.CLOSED), calendar, BEFORE_TET) is None
