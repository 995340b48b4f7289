"""A fund's books as events: contributions in cash or by bank, expenses paid, mistakes reversed;
the balance and each household's payments derived from the entries, and equal after a replay of
the events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tothon_funds.domain.books import FundBooks, Means
from tothon_funds.domain.errors import FundsError

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _replayed(books: FundBooks) -> FundBooks:
    """The books rebuilt from their events alone."""
    rebuilt: object = None
    for event in books.collect_events():
        rebuilt = event.mutate(rebuilt)  # type: ignore[arg-type]
    assert isinstance(rebuilt, FundBooks)
    return rebuilt


def test_contributions_expenses_and_a_reversal() -> None:
    books = FundBooks(fund_id=uuid4())
    first, second = uuid4(), uuid4()
    paid = books.receive(uuid4(), first, 45_000, Means.CASH, "totruong", AT, "HO-001 quỹ PCTT 2026")
    books.receive(uuid4(), second, 30_000, Means.BANK, "totruong", AT)
    books.spend(uuid4(), uuid4(), 20_000, Means.CASH, "thuquy", AT, "Mua bóng đèn")
    assert (books.balance, books.paid_by(first), books.paid_by(second)) == (55_000, 45_000, 30_000)
    books.reverse(paid.entry_id, uuid4(), "totruong", "Ghi nhầm hộ", AT)
    assert (books.balance, books.paid_by(first)) == (10_000, 0)
    rebuilt = _replayed(books)
    assert (rebuilt.balance, rebuilt.paid_by(first), rebuilt.paid_by(second)) == (10_000, 0, 30_000)
    assert dict(rebuilt.ledger.balances) == dict(books.ledger.balances)


def test_refusals_store_no_event() -> None:
    books = FundBooks(fund_id=uuid4())
    paid = books.receive(uuid4(), uuid4(), 45_000, Means.CASH, "a", AT)
    books.reverse(paid.entry_id, uuid4(), "a", "Nhầm", AT)
    books.collect_events()
    refusals: list[Callable[[], object]] = [
        lambda: books.reverse(paid.entry_id, uuid4(), "a", "Lần nữa", AT),
        lambda: books.reverse(uuid4(), uuid4(), "a", "Không có", AT),
        lambda: books.reverse(paid.entry_id, uuid4(), "a", " ", AT),
        lambda: books.receive(uuid4(), uuid4(), 0, Means.CASH, "a", AT),
        lambda: books.receive(uuid4(), uuid4(), -5, Means.BANK, "a", AT),
    ]
    for act in refusals:
        with pytest.raises(FundsError):
            act()
    assert books.collect_events() == []


@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=10**9), st.sampled_from(list(Means)), st.booleans()),
        max_size=25,
    )
)
def test_the_balance_is_what_came_in_less_what_went_out_after_any_sequence(
    moves: list[tuple[int, Means, bool]],
) -> None:
    books = FundBooks(fund_id=uuid4())
    expected = 0
    for amount, means, mistaken in moves:
        entry = books.receive(uuid4(), uuid4(), amount, means, "a", AT)
        expected += amount
        if mistaken:
            books.reverse(entry.entry_id, uuid4(), "a", "Nhầm", AT)
            expected -= amount
    assert books.balance == expected
    assert sum(books.ledger.balances.values()) == 0
    assert _replayed(books).balance == expected


def test_each_contribution_gets_a_numbered_receipt_voided_by_its_reversal() -> None:
    books = FundBooks(fund_id=uuid4())
    household = uuid4()
    first = books.receive(uuid4(), household, 45_000, Means.CASH, "a", AT)
    second = books.receive(uuid4(), household, 30_000, Means.BANK, "a", AT)
    # New Year's Eve at 18:00 UTC is already the next year in Vietnam.
    next_year = books.receive(
        uuid4(), household, 10_000, Means.CASH, "a", datetime(2026, 12, 31, 18, tzinfo=UTC)
    )
    numbers = [books.receipt(e.entry_id).number for e in (first, second, next_year)]
    assert numbers == ["2026-000001", "2026-000002", "2027-000001"]
    codes = {books.receipt(e.entry_id).code for e in (first, second, next_year)}
    assert len(codes) == 3
    assert all(len(c) == 10 for c in codes)
    receipt = books.receipt(first.entry_id)
    assert (receipt.household_id, receipt.amount, receipt.means, receipt.void) == (
        household,
        45_000,
        "cash",
        False,
    )
    books.reverse(first.entry_id, uuid4(), "a", "Nhầm", AT)
    assert books.receipt(first.entry_id).void
    replayed = _replayed(books)
    assert replayed.receipts == books.receipts
    with pytest.raises(FundsError):
        books.receipt(uuid4())
