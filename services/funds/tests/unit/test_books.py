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

from tothon_funds.domain.books import FundBooks, Means, Posting, postings
from tothon_funds.domain.errors import FundsError

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _replayed(books: FundBooks) -> FundBooks:
    """The books rebuilt from their events alone."""
    rebuilt: object = None
    for event in books.collect_events():
        rebuilt = event.mutate(rebuilt)  # type: ignore[arg-type]
    assert isinstance(rebuilt, FundBooks)
    return rebuilt


def _history(books: FundBooks) -> list[Posting]:
    """What the application reads a reversal against: the entries the books' events posted."""
    return postings(books.pending_events)


def test_contributions_expenses_and_a_reversal() -> None:
    books = FundBooks(fund_id=uuid4())
    first, second = uuid4(), uuid4()
    paid = books.receive(uuid4(), first, 45_000, Means.CASH, "totruong", AT, "HO-001 quỹ PCTT 2026")
    books.receive(uuid4(), second, 30_000, Means.BANK, "totruong", AT)
    books.spend(uuid4(), uuid4(), 20_000, Means.CASH, "thuquy", AT, "Mua bóng đèn")
    assert (books.balance, books.balance_of("cash"), books.balance_of("income")) == (55_000, 25_000, -75_000)
    books.reverse(paid.entry_id, uuid4(), "totruong", "Ghi nhầm hộ", AT, _history(books))
    assert (books.balance, books.balance_of("income")) == (10_000, -30_000)
    reversal = postings(books.pending_events)[-1]
    assert (reversal.entry.reverses, reversal.household_id) == (paid.entry_id, first)
    rebuilt = _replayed(books)
    assert rebuilt.balance == 10_000
    assert rebuilt.balances == books.balances
    assert sum(books.balances.values()) == 0


def test_refusals_store_no_event() -> None:
    books = FundBooks(fund_id=uuid4())
    paid = books.receive(uuid4(), uuid4(), 45_000, Means.CASH, "a", AT)
    reversal = books.reverse(paid.entry_id, uuid4(), "a", "Nhầm", AT, _history(books))
    history = _history(books)
    books.collect_events()
    refusals: list[Callable[[], object]] = [
        lambda: books.reverse(paid.entry_id, uuid4(), "a", "Lần nữa", AT, history),
        lambda: books.reverse(reversal.entry_id, uuid4(), "a", "Đảo lại", AT, history),
        lambda: books.reverse(uuid4(), uuid4(), "a", "Không có", AT, history),
        lambda: books.reverse(paid.entry_id, uuid4(), "a", " ", AT, history),
        lambda: books.receive(uuid4(), uuid4(), 0, Means.CASH, "a", AT),
        lambda: books.receive(uuid4(), uuid4(), -5, Means.BANK, "a", AT),
        lambda: books.spend(uuid4(), uuid4(), 1, Means.CASH, "a", AT),  # the cash was reversed
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
            books.reverse(entry.entry_id, uuid4(), "a", "Nhầm", AT, _history(books))
            expected -= amount
    assert books.balance == expected
    assert sum(books.balances.values()) == 0
    assert _replayed(books).balance == expected


def test_each_contribution_gets_a_numbered_receipt() -> None:
    books = FundBooks(fund_id=uuid4())
    household = uuid4()
    first = books.receive(uuid4(), household, 45_000, Means.CASH, "a", AT)
    second = books.receive(uuid4(), household, 30_000, Means.BANK, "a", AT)
    # New Year's Eve at 18:00 UTC is already the next year in Vietnam.
    next_year = books.receive(
        uuid4(), household, 10_000, Means.CASH, "a", datetime(2026, 12, 31, 18, tzinfo=UTC)
    )
    assert [r.number for r in (first, second, next_year)] == ["2026-000001", "2026-000002", "2027-000001"]
    codes = {r.code for r in (first, second, next_year)}
    assert len(codes) == 3
    assert all(len(c) == 10 for c in codes)
    assert (first.household_id, first.amount, first.means, first.void) == (household, 45_000, "cash", False)
    # Numbering goes on after a replay (and after a snapshot: the count is plain state).
    replayed = _replayed(books)
    assert replayed.receive(uuid4(), household, 5_000, Means.CASH, "a", AT).number == "2026-000003"
