"""A household's obligation by the fund's kind and rule, from the registry's counts and its
exemptions; voluntary funds oblige no one."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tothon_funds.domain.errors import FundsError
from tothon_funds.domain.levies import (
    Basis,
    Exemption,
    ExemptionGround,
    FundKind,
    HouseholdCounts,
    Levy,
    LevyError,
    obligation,
    suggestion,
)

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
DISASTER = Levy(FundKind.MANDATORY, Basis.WORKING_AGE_MEMBER, 15_000, *YEAR)
CLEANING = Levy(
    FundKind.COMMUNITY, Basis.HOUSEHOLD, 120_000, *YEAR, resolution="Biên bản họp tổ 17 ngày 05/01/2026"
)
POOR = Levy(FundKind.VOLUNTARY, Basis.HOUSEHOLD, 50_000, *YEAR)


def _exempt(members: int | None, ground: ExemptionGround = ExemptionGround.STUDENT) -> Exemption:
    return Exemption(ground, "Giấy xác nhận số 12/2026", date(2025, 9, 1), date(2026, 6, 30), members)


def test_the_mandatory_fund_is_counted_per_working_age_member_less_the_exempt() -> None:
    counts = HouseholdCounts(members=5, working_age=3)
    assert obligation(DISASTER, counts, []) == 45_000
    assert obligation(DISASTER, counts, [_exempt(1)]) == 30_000
    assert obligation(DISASTER, counts, [_exempt(None, ExemptionGround.DISASTER)]) == 0
    # An exemption that ended before the period does not count.
    ended = Exemption(ExemptionGround.STUDENT, "Giấy cũ", date(2024, 9, 1), date(2025, 6, 30), 1)
    assert obligation(DISASTER, counts, [ended]) == 45_000


def test_a_community_fund_is_per_household_and_cites_its_vote() -> None:
    assert obligation(CLEANING, HouseholdCounts(2, 2), []) == 120_000
    with pytest.raises(LevyError) as refused:
        Levy(FundKind.COMMUNITY, Basis.HOUSEHOLD, 120_000, *YEAR)
    assert refused.value.code == "resolution_required"


def test_a_voluntary_fund_obliges_no_one_and_only_suggests() -> None:
    assert obligation(POOR, HouseholdCounts(4, 2), []) == 0
    assert suggestion(POOR) == 50_000
    assert suggestion(DISASTER) is None
    with pytest.raises(LevyError) as refused:
        Levy(FundKind.VOLUNTARY, Basis.WORKING_AGE_MEMBER, 10_000, *YEAR)
    assert refused.value.code == "voluntary_per_member"


@given(
    working_age=st.integers(min_value=0, max_value=20),
    exempt=st.lists(st.integers(min_value=1, max_value=5), max_size=4),
    amount=st.integers(min_value=1, max_value=10**7),
)
def test_an_obligation_is_never_negative_nor_more_than_every_member_paying(
    working_age: int, exempt: list[int], amount: int
) -> None:
    levy = Levy(FundKind.MANDATORY, Basis.WORKING_AGE_MEMBER, amount, *YEAR)
    owed = obligation(levy, HouseholdCounts(working_age + 1, working_age), [_exempt(n) for n in exempt])
    assert 0 <= owed <= amount * working_age
    assert owed % amount == 0


def test_bad_levies_and_exemptions_are_refused() -> None:
    for make, code in (
        (lambda: Levy(FundKind.MANDATORY, Basis.HOUSEHOLD, 0, *YEAR), "not_positive"),
        (lambda: Levy(FundKind.MANDATORY, Basis.HOUSEHOLD, 10, YEAR[1], YEAR[0]), "period_order"),
        (lambda: Exemption(ExemptionGround.STUDENT, " ", *YEAR), "evidence_required"),
        (lambda: Exemption(ExemptionGround.STUDENT, "x", YEAR[1], YEAR[0]), "validity_order"),
        (lambda: Exemption(ExemptionGround.STUDENT, "x", *YEAR, members=0), "exempt_members"),
    ):
        with pytest.raises(FundsError) as refused:
            make()
        assert refused.value.code == code
