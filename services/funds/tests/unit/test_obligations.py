"""Obligations: set by a levy's rule on each household, following the registry's counts (however
often and in whatever order they arrive) and the household's exemptions."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tothon_funds.domain.errors import FundsError
from tothon_funds.domain.household_account import HouseholdAccount
from tothon_funds.domain.levies import Basis, Exemption, ExemptionGround, FundKind, Levy, obligation_id
from tothon_funds.domain.references import reference

UNIT, FUND = uuid4(), uuid4()
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
DISASTER = Levy(FundKind.MANDATORY, Basis.WORKING_AGE_MEMBER, 15_000, *YEAR)
CLEANING = Levy(FundKind.COMMUNITY, Basis.HOUSEHOLD, 120_000, *YEAR, resolution="Biên bản họp tổ số 1/2026")
POOR = Levy(FundKind.VOLUNTARY, Basis.HOUSEHOLD, 50_000, *YEAR)
T0 = datetime(2026, 3, 1, 8, tzinfo=UTC)


def _account(members: int = 4) -> HouseholdAccount:
    return HouseholdAccount.open(uuid4(), UNIT, "HO-001", members, date(2026, 1, 5), uuid4())


def test_a_levy_sets_each_households_obligation_by_its_rule() -> None:
    account = _account()
    account.count_ages(3, date(2026, 1, 5), uuid4(), T0)
    disaster, cleaning, poor = uuid4(), uuid4(), uuid4()
    amounts = [
        account.impose(levy, FUND, terms)
        for levy, terms in ((disaster, DISASTER), (cleaning, CLEANING), (poor, POOR))
    ]
    assert [held.amount if held else None for held in amounts] == [
        45_000,
        120_000,
        0,
    ]  # voluntary: suggests only
    assert account.impose(disaster, FUND, DISASTER) is None  # imposed once
    held = account.obligations[disaster]
    assert held.obligation_id == obligation_id(disaster, account.household_id)
    assert held.reference == reference(held.obligation_id)


def test_working_age_unknown_charges_nobody_per_member() -> None:
    account = _account()
    held = account.impose(uuid4(), FUND, DISASTER)
    assert held is not None
    assert held.amount == 0


def test_an_obligation_follows_the_counts_while_its_period_runs_and_not_after() -> None:
    account = _account()
    levy = uuid4()
    account.impose(levy, FUND, DISASTER)
    account.count_ages(2, date(2026, 6, 1), uuid4(), T0)
    assert account.obligations[levy].amount == 30_000
    account.count_ages(3, date(2027, 2, 1), uuid4(), T0 + timedelta(days=300))  # the year is over
    assert account.obligations[levy].amount == 30_000
    whys = [e.why for e in account.collect_events() if isinstance(e, HouseholdAccount.ObligationSet)]
    assert whys == ["levy", "counts"]


def test_an_exemption_clears_what_it_covers_and_lifting_it_restores_it() -> None:
    account = _account()
    account.count_ages(3, date(2026, 1, 5), uuid4(), T0)
    levy, exemption = uuid4(), uuid4()
    account.impose(levy, FUND, DISASTER)
    student = Exemption(
        ExemptionGround.STUDENT, "Giấy xác nhận 12/2026", date(2026, 9, 1), date(2027, 6, 30), 1
    )
    account.exempt(exemption, FUND, student, "leader")
    assert account.obligations[levy].amount == 30_000
    account.exempt(uuid4(), uuid4(), student, "leader")  # another fund's exemption: no change here
    assert account.obligations[levy].amount == 30_000
    with pytest.raises(FundsError, match="reason_required"):
        account.lift_exemption(exemption, "leader", " ")
    account.lift_exemption(exemption, "leader", "Nhập nhầm")
    assert account.obligations[levy].amount == 45_000
    with pytest.raises(FundsError, match="exemption_not_found"):
        account.lift_exemption(exemption, "leader", "again")


# One registry event: (kind, count, seconds after T0). Its id makes a redelivery the same event.
_events = st.lists(
    st.tuples(st.sampled_from(["members", "ages"]), st.integers(0, 8), st.integers(0, 10_000)),
    min_size=1,
    max_size=12,
    unique_by=lambda e: e[2],
)


@settings(max_examples=150, deadline=None)
@given(_events, st.randoms(use_true_random=False), st.integers(0, 3))
def test_obligations_follow_household_changes_delivered_twice_and_out_of_order(
    events: list[tuple[str, int, int]], shuffle: random.Random, duplicates: int
) -> None:
    """However the registry's events are duplicated and reordered, the household ends with the
    latest counts and the obligations they make."""
    ids: list[UUID] = [uuid4() for _ in events]
    levy = uuid4()

    def apply(order: list[int]) -> HouseholdAccount:
        account = HouseholdAccount.open(uuid4(), UNIT, "HO-001", 4, date(2026, 1, 5), uuid4())
        account.impose(levy, FUND, DISASTER)
        for i in order:
            kind, count, seconds = events[i]
            at, on = T0 + timedelta(seconds=seconds), date(2026, 3, 1)
            if kind == "members":
                account.count_members(count, on, ids[i], at)
            else:
                account.count_ages(count, on, ids[i], at)
        return account

    in_order = sorted(range(len(events)), key=lambda i: events[i][2])
    delivered = list(range(len(events))) + list(range(len(events)))[:duplicates]
    shuffle.shuffle(delivered)
    expected, got = apply(in_order), apply(delivered)
    assert (got.member_count, got.working_age) == (expected.member_count, expected.working_age)
    assert got.obligations[levy].amount == expected.obligations[levy].amount
    latest_ages = [c for k, c, _ in sorted(events, key=lambda e: e[2]) if k == "ages"]
    assert got.obligations[levy].amount == 15_000 * (latest_ages[-1] if latest_ages else 0)
