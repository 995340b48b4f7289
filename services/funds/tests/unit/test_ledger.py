"""The books: any sequence of entries and reversals keeps every balance summing to zero; a
reversal restores the balances; a replay of the entries gives the same balances exactly; money is
whole đồng; unbalanced entries, reversals of reversals and second reversals are refused."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tothon_funds.domain.errors import LedgerError, MoneyError
from tothon_funds.domain.ledger import Entry, Ledger, Line, transfer
from tothon_funds.domain.money import format_vnd, vnd

ACCOUNTS = ["cash", "bank", "fund:pctt:income", "household:1:due", "household:2:due", "expense:tree"]
amounts = st.integers(min_value=1, max_value=10**10)
entries = st.lists(
    st.tuples(st.sampled_from(ACCOUNTS), st.sampled_from(ACCOUNTS), amounts, st.booleans()).filter(
        lambda t: t[0] != t[1]
    ),
    max_size=40,
)


@given(moves=entries)
def test_any_sequence_of_entries_and_reversals_balances_and_replays_exactly(
    moves: list[tuple[str, str, int, bool]],
) -> None:
    ledger = Ledger()
    for debit, credit, amount, reverse in moves:
        entry = transfer(uuid4(), debit, credit, amount)
        ledger.post(entry)
        if reverse:
            ledger.post(ledger.reversal(entry.entry_id, uuid4(), "Nhầm"))
        assert sum(ledger.balances.values()) == 0
    replayed = Ledger.of(ledger.entries.values())
    assert dict(replayed.balances) == dict(ledger.balances)


@given(debit=st.sampled_from(ACCOUNTS), amount=amounts)
def test_a_reversal_restores_the_balances(debit: str, amount: int) -> None:
    ledger = Ledger()
    ledger.post(transfer(uuid4(), "bank", "fund:pctt:income", 500_000))
    before = dict(ledger.balances)
    mistake = transfer(uuid4(), debit, "cash" if debit != "cash" else "bank", amount)
    ledger.post(mistake)
    ledger.post(ledger.reversal(mistake.entry_id, uuid4(), "Ghi nhầm"))
    assert {k: v for k, v in ledger.balances.items() if v} == {k: v for k, v in before.items() if v}
    assert ledger.is_reversed(mistake.entry_id)


def _refused(code: str, act: object) -> None:
    assert callable(act)
    with pytest.raises(LedgerError) as refused:
        act()
    assert refused.value.code == code


def test_unbalanced_or_empty_entries_are_refused() -> None:
    _refused("unbalanced", lambda: Entry(uuid4(), (Line("cash", 100), Line("bank", -99))))
    _refused("too_few_lines", lambda: Entry(uuid4(), (Line("cash", 0),)))
    _refused("line_amount", lambda: Entry(uuid4(), (Line("cash", 0), Line("bank", 0))))
    _refused("line_amount", lambda: Entry(uuid4(), (Line("cash", 1.5), Line("bank", -1.5))))  # type: ignore[arg-type]


def test_a_reversal_is_never_reversed_and_an_entry_is_reversed_once() -> None:
    ledger = Ledger()
    paid = transfer(uuid4(), "cash", "household:1:due", 50_000, "Hộ HO-001 nộp quỹ")
    ledger.post(paid)
    reversal = ledger.reversal(paid.entry_id, uuid4(), "Thu nhầm hộ")
    ledger.post(reversal)
    _refused("reversed_already", lambda: ledger.post(ledger.reversal(paid.entry_id, uuid4(), "Lần nữa")))
    _refused("reversal_of_reversal", lambda: ledger.post(ledger.reversal(reversal.entry_id, uuid4(), "Hoàn")))
    _refused("unknown_entry", lambda: ledger.reversal(UUID(int=7), uuid4(), "Không có"))
    forged = Entry(uuid4(), (Line("cash", -1), Line("bank", 1)), "", reverses=paid.entry_id)
    _refused("reversed_already", lambda: ledger.post(forged))
    _refused("duplicate_entry", lambda: ledger.post(paid))
    other = transfer(uuid4(), "bank", "household:2:due", 30_000)
    ledger.post(other)
    wrong = Entry(
        uuid4(), (Line("bank", -20_000), Line("household:2:due", 20_000)), "", reverses=other.entry_id
    )
    _refused("not_a_reversal", lambda: ledger.post(wrong))


def test_money_is_whole_positive_dong() -> None:
    assert vnd(15_000) == 15_000
    for bad, code in (
        (15_000.0, "not_integer"),
        (True, "not_integer"),
        ("15000", "not_integer"),
        (0, "not_positive"),
        (-1, "not_positive"),
    ):
        with pytest.raises(MoneyError) as refused:
            vnd(bad)
        assert refused.value.code == code
    assert format_vnd(1_250_000) == "1.250.000 ₫"
