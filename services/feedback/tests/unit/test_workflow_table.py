"""The workflow's table: each step is taken from the states that allow it and refused, with the
step and the state named, from every other."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import uuid4

import pytest

from tothon_feedback.domain.case import FeedbackCase
from tothon_feedback.domain.errors import CaseStateError
from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.workflow import ALLOWED, CaseStatus, Step
from tothon_shared.kernel.clock import VIETNAM

RESIDENT, OFFICIAL = "account:resident", "account:official"
LATER = datetime(2027, 3, 1, 10, tzinfo=VIETNAM)


def _take(step: Step, case: FeedbackCase, cases: Any) -> None:
    rule, parent = cases.rule(), cases.units.parent
    steps: dict[Step, Callable[[], None]] = {
        Step.ACCEPT: lambda: case.accept(OFFICIAL, LATER),
        Step.START: lambda: case.start(OFFICIAL, LATER),
        Step.RESOLVE: lambda: case.resolve(OFFICIAL, LATER, "Đã xử lý", ["sha256:ab"]),
        Step.CLOSE: lambda: case.close(RESIDENT, LATER, 5),
        Step.REOPEN: lambda: case.reopen(RESIDENT, "Chưa xong", LATER, parent, rule),
        Step.ESCALATE: lambda: case.escalate(OFFICIAL, "Vượt thẩm quyền", LATER, parent, rule),
        Step.RETURN: lambda: case.return_to(uuid4(), Level.GROUP, OFFICIAL, "Trả về", LATER, rule),
        Step.REJECT: lambda: case.reject(OFFICIAL, "Không rõ", LATER),
        Step.MERGE: lambda: case.merge_into(uuid4(), OFFICIAL, "Trùng", LATER),
        Step.ASSIGN: lambda: case.assign("account:colleague", OFFICIAL, LATER),
        Step.REPLY: lambda: case.reply("Thứ Ba tổ sẽ đến kiểm tra", OFFICIAL, LATER),
    }
    steps[step]()


@pytest.mark.parametrize("status", list(CaseStatus))
@pytest.mark.parametrize("step", list(Step))
def test_each_step_is_taken_only_from_the_states_that_allow_it(
    cases: Any, status: CaseStatus, step: Step
) -> None:
    # Cases filed at the ward (infrastructure) so that returning to the group is a way down.
    case = cases.in_status(status, "infrastructure")
    case.collect_events()
    if status in ALLOWED[step]:
        _take(step, case, cases)
        assert len(case.collect_events()) == 1
        return
    with pytest.raises(CaseStateError) as refused:
        _take(step, case, cases)
    assert (refused.value.code, refused.value.step, refused.value.status) == (
        "state",
        step.value,
        status.value,
    )
    assert (case.status, case.collect_events()) == (status, [])
