"""A fund: its kind always stated, a community fund citing its vote, levies in its kind's terms,
periods closed to new levies, the two-approver threshold, and the published choice of names."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from tothon_funds.domain.errors import FundsError
from tothon_funds.domain.fund import BankAccount, Fund
from tothon_funds.domain.levies import Basis, FundKind, HouseholdCounts, obligation

BANK = BankAccount("970436", "0881000458086", "TO DAN PHO 17")


def _refused(code: str, act: object) -> None:
    assert callable(act)
    with pytest.raises(FundsError) as refused:
        act()
    assert refused.value.code == code


def test_a_mandatory_fund_levies_per_working_age_member() -> None:
    fund = Fund.open(uuid4(), "Quỹ phòng, chống thiên tai", FundKind.MANDATORY, "totruong", BANK)
    levy = fund.announce_levy(
        uuid4(), Basis.WORKING_AGE_MEMBER, 15_000, date(2026, 1, 1), date(2026, 12, 31), "totruong"
    )
    assert obligation(levy, HouseholdCounts(4, 2), []) == 30_000
    assert fund.bank == BANK
    assert [type(e).__name__ for e in fund.collect_events()] == ["Opened", "LevyAnnounced"]


def test_a_community_fund_cites_its_vote_and_a_voluntary_one_only_suggests() -> None:
    _refused("resolution_required", lambda: Fund.open(uuid4(), "Quỹ vệ sinh", FundKind.COMMUNITY, "a"))
    cleaning = Fund.open(
        uuid4(), "Quỹ vệ sinh", FundKind.COMMUNITY, "a", resolution="Biên bản họp ngày 05/01/2026"
    )
    assert cleaning.resolution.startswith("Biên bản")
    poor = Fund.open(uuid4(), "Quỹ vì người nghèo", FundKind.VOLUNTARY, "a")
    levy = poor.announce_levy(uuid4(), Basis.HOUSEHOLD, 50_000, date(2026, 1, 1), date(2026, 12, 31), "a")
    assert obligation(levy, HouseholdCounts(3, 2), []) == 0
    _refused(
        "voluntary_per_member",
        lambda: poor.announce_levy(
            uuid4(), Basis.WORKING_AGE_MEMBER, 1, date(2026, 1, 1), date(2026, 2, 1), "a"
        ),
    )


def test_a_closed_period_takes_no_new_levy_and_closes_forward_only() -> None:
    fund = Fund.open(uuid4(), "Quỹ phòng, chống thiên tai", FundKind.MANDATORY, "a")
    _refused("reason_required", lambda: fund.close_period(date(2025, 12, 31), "a", " "))
    fund.close_period(date(2025, 12, 31), "a", "Đã công khai báo cáo năm 2025")
    assert not fund.is_open_on(date(2025, 6, 1))
    assert fund.is_open_on(date(2026, 1, 1))
    _refused(
        "closed_period",
        lambda: fund.announce_levy(
            uuid4(), Basis.HOUSEHOLD, 10_000, date(2025, 1, 1), date(2025, 12, 31), "a"
        ),
    )
    _refused("period_order", lambda: fund.close_period(date(2025, 6, 30), "a", "Lùi"))


def test_two_approvers_above_the_threshold_and_the_published_choice_of_names() -> None:
    fund = Fund.open(uuid4(), "Quỹ khuyến học", FundKind.VOLUNTARY, "a", two_approvals_above=2_000_000)
    assert (fund.approvals_needed(2_000_000), fund.approvals_needed(2_000_001)) == (1, 2)
    assert not fund.names_public
    assert fund.publish_names(True, "a", "Hội nghị tổ đồng ý công khai tên")
    assert not fund.publish_names(True, "a", "Lần nữa")
    assert fund.names_public


def test_a_fund_and_its_bank_account_are_checked() -> None:
    _refused("name_required", lambda: Fund.open(uuid4(), " ", FundKind.VOLUNTARY, "a"))
    _refused("bank_bin", lambda: BankAccount("97043", "0881000458086", "TO 17"))
    _refused("name_required", lambda: BankAccount("970436", "0881000458086", " "))
    _refused(
        "not_positive", lambda: Fund.open(uuid4(), "Quỹ", FundKind.VOLUNTARY, "a", two_approvals_above=0)
    )
