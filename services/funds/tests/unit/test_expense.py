"""An expense is approved by someone other than its proposer (two distinct people above the
threshold), paid only once approved, rejected with a reason; every step an event."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tothon_funds.domain.expense import Expense, ExpenseError, ExpenseStatus

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _proposed(needed: int = 1, proposer: str = "totruong") -> Expense:
    return Expense.propose(
        uuid4(), 1_200_000, "Mua bóng đèn đường kiệt 45", ["hoa-don-0012.pdf"], proposer, needed, AT
    )


def _refused(code: str, act: object) -> None:
    assert callable(act)
    with pytest.raises(ExpenseError) as refused:
        act()
    assert refused.value.code == code


def test_one_approval_by_someone_else_then_payment() -> None:
    expense = _proposed()
    _refused("self_approval", lambda: expense.approve("totruong", AT))
    _refused("state", lambda: expense.pay("thuquy", AT))
    expense.approve("topho", AT)
    approved = expense.status
    expense.pay("thuquy", AT)
    assert (approved, expense.status) == (ExpenseStatus.APPROVED, ExpenseStatus.PAID)
    assert [type(e).__name__ for e in expense.collect_events()] == ["Proposed", "Approved", "Paid"]


def test_above_the_threshold_two_different_people_approve() -> None:
    expense = _proposed(needed=2)
    expense.approve("topho", AT)
    after_one = expense.status
    _refused("approved_twice", lambda: expense.approve("topho", AT))
    expense.approve("truongban", AT)
    assert after_one is ExpenseStatus.PROPOSED
    assert (expense.status, expense.approvers) == (ExpenseStatus.APPROVED, ["topho", "truongban"])


def test_a_rejection_needs_a_reason_and_ends_the_expense() -> None:
    expense = _proposed()
    _refused("reason_required", lambda: expense.reject("topho", " ", AT))
    expense.reject("topho", "Chưa có báo giá thứ hai", AT)
    _refused("state", lambda: expense.approve("truongban", AT))


def test_a_proposal_needs_evidence_a_purpose_and_whole_dong() -> None:
    _refused("evidence_required", lambda: Expense.propose(uuid4(), 10_000, "Mua chổi", [], "a", 1, AT))
    _refused("purpose_required", lambda: Expense.propose(uuid4(), 10_000, " ", ["x"], "a", 1, AT))


@given(
    people=st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=6),
    needed=st.integers(min_value=1, max_value=2),
)
def test_no_one_approves_their_own_expense_whatever_the_order(people: list[str], needed: int) -> None:
    expense = _proposed(needed=needed, proposer="a")
    for person in people:
        try:
            expense.approve(person, AT)
        except ExpenseError:
            continue
    assert "a" not in expense.approvers
    assert len(set(expense.approvers)) == len(expense.approvers)
    assert (expense.status is ExpenseStatus.APPROVED) == (len(expense.approvers) >= needed)
