"""The funds use cases on the in-memory event store: a fund with its books, a levy, payments in
cash and by bank, a mistake reversed, an expense proposed, approved by two others and paid out of
the books; closed periods and self-approval refused, and the books equal after a reload."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from tothon_funds.application import FundsApplication
from tothon_funds.domain.books import FundBooks, Means
from tothon_funds.domain.errors import FundsError
from tothon_funds.domain.expense import ExpenseStatus
from tothon_funds.domain.fund import BankAccount
from tothon_funds.domain.levies import Basis, FundKind

MARCH = datetime(2026, 3, 2, 9, tzinfo=UTC)
BANK = BankAccount("970436", "0881000458086", "TO DAN PHO 17")


@pytest.fixture
def funds() -> Iterator[FundsApplication]:
    app = FundsApplication()
    yield app
    app.close()


def _refused(code: str, act: object) -> None:
    assert callable(act)
    with pytest.raises(FundsError) as refused:
        act()
    assert refused.value.code == code


def test_a_year_of_a_group_fund(funds: FundsApplication) -> None:
    fund_id = funds.open_fund(
        uuid4(),
        "Quỹ phòng, chống thiên tai",
        FundKind.MANDATORY,
        "totruong",
        bank=BANK,
        two_approvals_above=100_000,
    )
    funds.announce_levy(
        fund_id, Basis.WORKING_AGE_MEMBER, 15_000, date(2026, 1, 1), date(2026, 12, 31), "totruong"
    )
    first, second = uuid4(), uuid4()
    mistake = funds.record_payment(fund_id, first, 45_000, Means.CASH, MARCH, "totruong", "HO-001")
    funds.record_payment(fund_id, second, 30_000, Means.BANK, MARCH, "totruong", "HO-002")
    funds.reverse_entry(fund_id, mistake.entry_id, "totruong", "Thu nhầm: hộ đã nộp qua ngân hàng", MARCH)
    funds.record_payment(fund_id, first, 45_000, Means.BANK, MARCH, "totruong")
    expense_id = funds.propose_expense(fund_id, 60_000, "Mua áo phao", ["hoa-don-07.pdf"], "totruong", MARCH)
    _refused("self_approval", lambda: funds.approve_expense(expense_id, "totruong", MARCH))
    assert funds.approve_expense(expense_id, "topho", MARCH).status is ExpenseStatus.APPROVED
    funds.pay_expense(expense_id, "thuquy", Means.BANK, MARCH)
    books = funds.books(fund_id)
    assert (books.balance, books.balance_of("income")) == (15_000, -75_000)
    assert books.balance_of("bank") == 15_000
    assert books.balance_of("cash") == 0
    assert len(funds.fund(fund_id).levies) == 1


def test_above_the_threshold_an_expense_needs_two_approvers(funds: FundsApplication) -> None:
    fund_id = funds.open_fund(uuid4(), "Quỹ khuyến học", FundKind.VOLUNTARY, "a", two_approvals_above=100_000)
    expense_id = funds.propose_expense(
        fund_id, 500_000, "Phần thưởng học sinh giỏi", ["danh-sach.pdf"], "a", MARCH
    )
    assert funds.approve_expense(expense_id, "b", MARCH).status is ExpenseStatus.PROPOSED
    _refused("state", lambda: funds.pay_expense(expense_id, "c", Means.CASH, MARCH))
    funds.approve_expense(expense_id, "c", MARCH)
    funds.record_payment(fund_id, uuid4(), 600_000, Means.CASH, MARCH, "a")
    funds.pay_expense(expense_id, "c", Means.CASH, MARCH)
    assert funds.books(fund_id).balance == 100_000


def test_a_closed_period_takes_no_payment_nor_reversal(funds: FundsApplication) -> None:
    fund_id = funds.open_fund(uuid4(), "Quỹ phòng, chống thiên tai", FundKind.MANDATORY, "a")
    paid = funds.record_payment(fund_id, uuid4(), 15_000, Means.CASH, MARCH, "a")
    fund = funds.fund(fund_id)
    fund.close_period(date(2026, 3, 31), "a", "Đã công khai báo cáo quý I")
    funds.save(fund)
    _refused("closed_period", lambda: funds.record_payment(fund_id, uuid4(), 15_000, Means.CASH, MARCH, "a"))
    _refused("closed_period", lambda: funds.reverse_entry(fund_id, paid.entry_id, "a", "Nhầm", MARCH))
    april = datetime(2026, 4, 2, tzinfo=UTC)
    funds.reverse_entry(fund_id, paid.entry_id, "a", "Nhầm, sửa trong quý II", april)
    assert funds.books(fund_id).balance == 0
    _refused("not_found", lambda: funds.fund(uuid4()))


def test_big_books_are_read_from_a_snapshot_and_equal_their_replay(funds: FundsApplication) -> None:
    fund_id = funds.open_fund(uuid4(), "Quỹ khuyến học phường", FundKind.VOLUNTARY, "a")
    paid = [funds.record_payment(fund_id, uuid4(), 10_000, Means.BANK, MARCH, "a") for _ in range(130)]
    funds.reverse_entry(fund_id, paid[3].entry_id, "a", "Nhầm", MARCH)
    _refused(
        "reversed_already", lambda: funds.reverse_entry(fund_id, paid[3].entry_id, "a", "Lần nữa", MARCH)
    )
    books_id = FundBooks.create_id(fund_id)
    assert funds.snapshots is not None
    assert list(funds.snapshots.get(books_id))  # snapshots were taken
    replayed: object = None
    for event in funds.events.get(books_id):
        replayed = event.mutate(replayed)  # type: ignore[attr-defined]
    assert isinstance(replayed, FundBooks)
    books = funds.books(fund_id)
    assert (
        (books.balances, books.numbered)
        == (replayed.balances, replayed.numbered)
        == (
            {"bank": 1_290_000, "income": -1_290_000},
            {"2026": 130},
        )
    )
    assert funds.record_payment(fund_id, uuid4(), 10_000, Means.CASH, MARCH, "a").number == "2026-000131"


def test_contributions_recorded_at_once_into_one_fund_all_get_their_receipt(funds: FundsApplication) -> None:
    fund_id = funds.open_fund(uuid4(), "Quỹ vệ sinh", FundKind.VOLUNTARY, "a")
    with ThreadPoolExecutor(max_workers=8) as pool:
        receipts = list(
            pool.map(
                lambda _: funds.record_payment(fund_id, uuid4(), 10_000, Means.CASH, MARCH, "a"), range(40)
            )
        )
    assert sorted(r.number for r in receipts) == [f"2026-{n:06d}" for n in range(1, 41)]
    assert funds.books(fund_id).balance == 400_000
