"""The funds' domain events → the contracts of ``funds.ledger``: funds, levies, contributions,
their reversals and expenses, without personal data (households by id, no exemption ever)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar
from uuid import UUID

from tothon_funds.domain.books import FundBooks
from tothon_funds.domain.expense import Expense
from tothon_funds.domain.fund import Fund
from tothon_funds.domain.household_account import HouseholdAccount
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.funds import (
    ContributionPaid,
    ContributionReversed,
    ExpenseApproved,
    ExpensePaid,
    FundOpened,
    LevyAnnounced,
    ObligationSet,
)
from tothon_shared.eventstore.context import CommandContext

PRODUCER = "funds"
CHANNELS = ("funds.ledger",)
E = TypeVar("E", bound=IntegrationEvent)


def to_integration_events(domain_event: object, ctx: CommandContext) -> Sequence[IntegrationEvent]:
    """The public events a funds domain event implies (none for the others)."""
    event: Any = domain_event

    def public(contract: type[E], unit_id: UUID | None, **fields: object) -> list[IntegrationEvent]:
        return [
            contract.from_domain_event(
                event, producer=PRODUCER, correlation_id=ctx.correlation_id, unit_id=unit_id, **fields
            )
        ]

    match domain_event:
        case Fund.Opened():
            return public(FundOpened, event.unit_id, name=event.name, kind=event.kind)
        case Fund.LevyAnnounced():
            return public(
                LevyAnnounced,
                None,
                levy_id=event.levy_id,
                basis=event.basis,
                amount=event.amount,
                period_from=event.period_from,
                period_to=event.period_to,
            )
        case HouseholdAccount.ObligationSet():
            return public(
                ObligationSet,
                None,
                household_id=event.household_id,
                fund_id=event.fund_id,
                levy_id=event.levy_id,
                amount=event.amount,
            )
        case FundBooks.Posted() if event.receipt_number is not None and event.household_id is not None:
            means, amount = next((str(a), int(str(n))) for a, n in event.lines if int(str(n)) > 0)
            return public(
                ContributionPaid,
                None,
                entry_id=event.entry_id,
                household_id=event.household_id,
                amount=amount,
                means=means,
                receipt_number=event.receipt_number,
                paid_at=event.at,
            )
        case FundBooks.Posted() if event.reverses is not None and event.household_id is not None:
            return public(
                ContributionReversed,
                None,
                entry_id=event.entry_id,
                reverses=event.reverses,
                household_id=event.household_id,
            )
        case Expense.Approved() if event.complete:
            return public(ExpenseApproved, None, fund_id=event.fund_id, amount=event.amount)
        case Expense.Paid():
            return public(ExpensePaid, None, fund_id=event.fund_id, amount=event.amount)
    return []
