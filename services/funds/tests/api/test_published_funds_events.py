"""Funds publishes its funds, levies, contributions, reversals and expenses on ``funds.ledger``,
each valid against its committed JSON Schema, without personal data."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from uuid import uuid4

import jsonschema
from run_apart import run_apart
from service_harness import ServiceHarness

from tothon_funds.application import FundsApplication
from tothon_funds.domain.books import Means
from tothon_funds.domain.levies import Basis, FundKind
from tothon_shared.contracts.schemas import SCHEMA_DIR

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
TOPIC = "tothon.funds.ledger.v1"


def test_the_ledger_s_public_events(funds: ServiceHarness) -> None:
    app = funds.runtime.app
    assert isinstance(app, FundsApplication)
    unit, household = uuid4(), uuid4()
    fund_id = app.open_fund(unit, "Quỹ phòng, chống thiên tai", FundKind.MANDATORY, "Nguyễn Văn Tổ Trưởng")
    levy = app.announce_levy(
        fund_id, Basis.WORKING_AGE_MEMBER, 15_000, date(2026, 1, 1), date(2026, 12, 31), "a"
    )
    app.open_account(household, unit, "HO-001", 4, date(2026, 1, 2), uuid4())
    app.count_ages(household, 3, date(2026, 1, 2), uuid4(), AT)
    app.impose(fund_id, levy, [household])
    paid = app.record_payment(
        fund_id, household, 45_000, Means.CASH, AT, "a", "Bà Nguyễn Thị Lan nộp", levy, payer="Nguyễn Thị Lan"
    )
    app.reverse_entry(fund_id, paid.entry_id, "a", "Thu nhầm", AT)
    expense = app.propose_expense(fund_id, 20_000, "Mua áo phao", ["hoa-don.pdf"], "a", AT)
    app.approve_expense(expense, "b", AT)
    app.record_payment(fund_id, household, 45_000, Means.BANK, AT, "a")
    app.pay_expense(expense, "c", Means.BANK, AT)
    relay = funds.runtime.relay
    assert relay is not None
    while run_apart(relay.run_once()):
        pass
    events = [json.loads(m.value) for m in funds.bus.read_topic(TOPIC)]
    assert [e["event_type"] for e in events] == [
        "FundOpened",
        "LevyAnnounced",
        "ObligationSet",
        "ContributionPaid",
        "ContributionReversed",
        "ExpenseApproved",
        "ContributionPaid",
        "ExpensePaid",
    ]
    for event in events:
        jsonschema.validate(event, json.loads((SCHEMA_DIR / f"{event['event_type']}.v1.json").read_text()))
        text = json.dumps(event, ensure_ascii=False)
        assert "Nguyễn" not in text
        assert "Lan" not in text
    assert (events[0]["unit_id"], events[0]["kind"]) == (str(unit), "mandatory")
    assert (events[2]["household_id"], events[2]["levy_id"], events[2]["amount"]) == (
        str(household),
        str(levy),
        45_000,
    )
    assert "why" not in events[2]
    del events[2]
    assert (events[2]["household_id"], events[2]["amount"], events[2]["receipt_number"]) == (
        str(household),
        45_000,
        "2026-000001",
    )
    assert events[3]["reverses"] == events[2]["entry_id"]
