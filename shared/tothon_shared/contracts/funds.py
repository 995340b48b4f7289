"""Contracts published by the funds service: funds, levies, contributions and expenses, without
personal data — a contribution names its household by id (the registry's), never a person, and an
exemption is never published."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import AwareDatetime, Field

from tothon_shared.contracts.envelope import IntegrationEvent

CHANNEL = "funds.ledger"
FundKindName = Literal["mandatory", "community", "voluntary"]


class FundOpened(IntegrationEvent):
    """A fund of a unit (``unit_id``) was opened, labelled by its kind."""

    channel = CHANNEL
    event_type: Literal["FundOpened"] = "FundOpened"
    name: str = Field(max_length=200)
    kind: FundKindName


class LevyAnnounced(IntegrationEvent):
    """A fund (``subject_id``) called for contributions for a period."""

    channel = CHANNEL
    event_type: Literal["LevyAnnounced"] = "LevyAnnounced"
    levy_id: uuid.UUID
    basis: Literal["household", "working_age_member"]
    amount: int = Field(gt=0, description="VND per household or per working-age member.")
    period_from: date
    period_to: date


class ObligationSet(IntegrationEvent):
    """What a household owes for a levy, set when the levy is imposed and set again when the
    household's counts or exemptions change while its period runs (``subject_id`` is the
    household's funds account). The amount only: never why (an exemption's ground is private)."""

    channel = CHANNEL
    event_type: Literal["ObligationSet"] = "ObligationSet"
    household_id: uuid.UUID
    fund_id: uuid.UUID
    levy_id: uuid.UUID
    amount: int = Field(
        ge=0, description="VND owed for the levy (0 for a voluntary fund: it obliges no one)."
    )


class ContributionPaid(IntegrationEvent):
    """A household paid into a fund (``subject_id`` is the fund's books)."""

    channel = CHANNEL
    event_type: Literal["ContributionPaid"] = "ContributionPaid"
    entry_id: uuid.UUID
    household_id: uuid.UUID
    amount: int = Field(gt=0, description="VND.")
    means: Literal["cash", "bank"]
    receipt_number: str = Field(max_length=20)
    paid_at: AwareDatetime


class ContributionReversed(IntegrationEvent):
    """A contribution was reversed (a mistake corrected by its reversing entry)."""

    channel = CHANNEL
    event_type: Literal["ContributionReversed"] = "ContributionReversed"
    entry_id: uuid.UUID
    reverses: uuid.UUID
    household_id: uuid.UUID


class ExpenseApproved(IntegrationEvent):
    """An expense of a fund was approved (by enough people other than its proposer)."""

    channel = CHANNEL
    event_type: Literal["ExpenseApproved"] = "ExpenseApproved"
    fund_id: uuid.UUID
    amount: int = Field(gt=0)


class ExpensePaid(IntegrationEvent):
    """An approved expense was paid out of its fund."""

    channel = CHANNEL
    event_type: Literal["ExpensePaid"] = "ExpensePaid"
    fund_id: uuid.UUID
    amount: int = Field(gt=0)


FUNDS_CONTRACTS: tuple[type[IntegrationEvent], ...] = (
    FundOpened,
    LevyAnnounced,
    ObligationSet,
    ContributionPaid,
    ContributionReversed,
    ExpenseApproved,
    ExpensePaid,
)
