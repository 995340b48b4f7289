"""The funds' books from their events alone: after any sequence of contributions, reversals,
expenses and statement lines, the books read again from the event store hold exactly the balances
the sequence made, and every table of the books' read model rebuilt equals the live one."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from run_apart import run_apart
from service_harness import ServiceHarness
from sqlalchemy import select

from tothon_funds.application import FundsApplication
from tothon_funds.bootstrap import DEFINITION
from tothon_funds.domain.books import BANK, CASH, FundBooks, Means
from tothon_funds.domain.errors import FundsError
from tothon_funds.domain.levies import Basis, FundKind
from tothon_funds.domain.references import StatementLine
from tothon_funds.domain.statements import ReadLine
from tothon_shared.runtime.process import rebuild_read_models

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
BOOKS_TABLES = (
    "funds",
    "funds_levies",
    "funds_obligations",
    "funds_receipts",
    "funds_expenses",
    "funds_statement_lines",
)

# One step: (what, amount, which earlier entry or expense it acts on).
_steps = st.lists(
    st.tuples(
        st.sampled_from(["cash", "bank", "reverse", "expense", "statement"]),
        st.integers(1, 500).map(lambda n: n * 1_000),
        st.integers(0, 50),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_steps)
def test_a_replay_reproduces_every_balance_and_a_rebuild_every_row(steps: list[tuple[str, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        funds = ServiceHarness(DEFINITION, Path(directory))
        try:
            _run(funds, steps)
        finally:
            funds.close()


def _run(funds: ServiceHarness, steps: list[tuple[str, int, int]]) -> None:
    app = funds.runtime.app
    assert isinstance(app, FundsApplication)
    city = funds.unit("province", "Thành phố", None)
    group = funds.unit("residential_group", "Tổ 1", city)
    households = [funds.household(group, f"HO-{n}") for n in range(3)]
    fund = app.open_fund(group, "Quỹ", FundKind.COMMUNITY, "a", resolution="Biên bản")
    levy = app.announce_levy(fund, Basis.HOUSEHOLD, 100_000, date(2026, 1, 1), date(2026, 12, 31), "a")
    app.impose(fund, levy, households)
    expected = {CASH: 0, BANK: 0}
    entries: list[tuple[UUID, str, int]] = []
    for n, (what, amount, pick) in enumerate(steps):
        household = households[pick % 3]
        try:
            if what in ("cash", "bank"):
                entry = app.record_payment(fund, household, amount, Means(what), AT, "a", "", levy)
                entries.append((entry.entry_id, what, amount))
                expected[what] += amount
            elif what == "reverse" and entries:
                entry_id, means, paid = entries[pick % len(entries)]
                app.reverse_entry(fund, entry_id, "a", "Nhầm", AT)
                expected[means] -= paid
            elif what == "expense":
                expense = app.propose_expense(fund, amount, "Chi", ["Hoá đơn"], "a", AT)
                app.approve_expense(expense, "b", AT)
                app.pay_expense(expense, "a", Means.CASH, AT)
                expected[CASH] -= amount
            elif what == "statement":
                line = ReadLine(f"vcb:{n}", StatementLine(n, date(2026, 3, 1), amount, "ung ho"))
                app.import_statement(fund, "vietcombank", "s.csv", [line], {}, "a")
        except FundsError:
            continue  # refused (a second reversal, an expense above what the cash holds): nothing stored
    books: object = app.repository.get(FundBooks.create_id(fund))  # replayed from its events
    assert isinstance(books, FundBooks)
    assert (books.balance_of(CASH), books.balance_of(BANK)) == (expected[CASH], expected[BANK])
    assert sum(books.balances.values()) == 0  # the books balance
    funds.project()
    store = funds.runtime.store

    def dump() -> dict[str, list[tuple[object, ...]]]:
        tables = {name: store.metadata.tables[name] for name in BOOKS_TABLES}
        with store.engine.connect() as connection:
            return {
                name: sorted((tuple(r) for r in connection.execute(select(t))), key=repr)
                for name, t in tables.items()
            }

    live = dump()
    run_apart(rebuild_read_models(funds.runtime))
    assert dump() == live
