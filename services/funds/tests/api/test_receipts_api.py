"""Anyone checks a receipt by its verification code: genuine, with its fund, number, amount and
date, and voided once the payment is reversed; an unknown code is refused; the receipts read
model rebuilt equals the live one."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from run_apart import run_apart
from service_harness import ServiceHarness
from sqlalchemy import select

from tothon_funds.application import FundsApplication
from tothon_funds.domain.books import Means
from tothon_funds.domain.levies import FundKind
from tothon_shared.runtime.process import rebuild_read_models

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
CHECK = "/api/v1/funds/public/receipts"


def _app(funds: ServiceHarness) -> FundsApplication:
    app = funds.runtime.app
    assert isinstance(app, FundsApplication)
    return app


def test_a_receipt_is_checked_by_its_code_and_voided_by_a_reversal(funds: ServiceHarness) -> None:
    app = _app(funds)
    fund_id = app.open_fund(uuid4(), "Quỹ phòng, chống thiên tai", FundKind.MANDATORY, "totruong")
    paid = app.record_payment(fund_id, uuid4(), 45_000, Means.CASH, AT, "totruong")
    funds.project()
    code = paid.code
    checked = funds.client.get(f"{CHECK}/{code.lower()}")  # typed from paper, in any case
    assert checked.status_code == 200, checked.text
    body = checked.json()
    assert (body["number"], body["amount"], body["means"], body["void"]) == (
        "2026-000001",
        45_000,
        "cash",
        False,
    )
    assert body["fund_name"] == "Quỹ phòng, chống thiên tai"
    assert "household_id" not in body
    app.reverse_entry(fund_id, paid.entry_id, "totruong", "Thu nhầm", AT)
    funds.project()
    assert funds.client.get(f"{CHECK}/{code}").json()["void"] is True
    assert funds.client.get(f"{CHECK}/ABCDEFGHJK").status_code == 404
    assert funds.client.get(f"{CHECK}/short").status_code == 422


def test_the_receipts_rebuilt_equal_the_live_ones(funds: ServiceHarness) -> None:
    app = _app(funds)
    for n in range(3):
        fund_id = app.open_fund(uuid4(), f"Quỹ {n}", FundKind.VOLUNTARY, "a")
        paid = app.record_payment(fund_id, uuid4(), 10_000 * (n + 1), Means.BANK, AT, "a")
        if n == 1:
            app.reverse_entry(fund_id, paid.entry_id, "a", "Nhầm", AT)
    funds.project()
    store = funds.runtime.store

    def dump() -> list[tuple[object, ...]]:
        table = store.metadata.tables["funds_receipts"]
        with store.engine.connect() as connection:
            return [tuple(r) for r in connection.execute(select(table).order_by(table.c.code))]

    live = dump()
    assert len(live) == 3
    run_apart(rebuild_read_models(funds.runtime))
    assert dump() == live
