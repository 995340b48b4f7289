"""An expense of a fund: proposed with its evidence, approved by someone other than the proposer
(by two such people above the fund's threshold), then paid; or rejected with a reason. Every step
is an event naming who took it, so the public report can show each expense with its evidence and
its approvals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from tothon_funds.domain.errors import FundsError
from tothon_funds.domain.money import vnd


class ExpenseError(FundsError):
    """A step the expense does not allow: ``self_approval``, ``approved_twice`` (by one person),
    ``state`` (not proposed, or already decided), ``evidence_required``, ``reason_required``,
    ``purpose_required``."""


class ExpenseStatus(StrEnum):
    """Where an expense stands."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"


class Expense(Aggregate):
    """One expense of one fund."""

    TOPIC = "funds:Expense:v1"

    class Created(Aggregate.Created):
        """The base of the aggregate's creation events (required once TOPIC is declared)."""

        TOPIC = "funds:Expense.Created:v1"

    @classmethod
    def propose(
        cls,
        fund_id: UUID,
        amount: int,
        purpose: str,
        evidence: Sequence[str],
        proposer: str,
        approvals_needed: int,
        at: datetime,
    ) -> Expense:
        """Propose an expense with its evidence (documents' references); ``approvals_needed`` is
        1, or 2 when the amount is above the fund's threshold (the caller's rule)."""
        vnd(amount)
        if not purpose.strip():
            raise ExpenseError(code="purpose_required")
        if not evidence or any(not e.strip() for e in evidence):
            raise ExpenseError(code="evidence_required")
        return cls(
            fund_id=fund_id,
            amount=amount,
            purpose=purpose,
            evidence=list(evidence),
            proposer=proposer,
            approvals_needed=approvals_needed,
            at=at,
        )

    class Proposed(Created):
        """An expense was proposed."""

        TOPIC = "funds:Expense.Proposed:v1"
        fund_id: UUID
        amount: int
        purpose: str
        evidence: list[str]
        proposer: str
        approvals_needed: int
        at: datetime

    @event(Proposed)
    def __init__(
        self,
        fund_id: UUID,
        amount: int,
        purpose: str,
        evidence: list[str],
        proposer: str,
        approvals_needed: int,
        at: datetime,
    ) -> None:
        self.fund_id, self.amount, self.purpose = fund_id, amount, purpose
        self.evidence, self.proposer = list(evidence), proposer
        self.approvals_needed = approvals_needed
        self.approvers: list[str] = []
        self.status = ExpenseStatus.PROPOSED
        self.paid_at: datetime | None = None

    def _require(self, *statuses: ExpenseStatus) -> None:
        if self.status not in statuses:
            raise ExpenseError(code="state")

    class Approved(Aggregate.Event):
        """Someone other than the proposer approved it (``complete``: enough approvals now)."""

        TOPIC = "funds:Expense.Approved:v1"
        approver: str
        at: datetime
        complete: bool
        # Repeated from the proposal so that the event is published as it stands.
        fund_id: UUID
        amount: int

    def approve(self, approver: str, at: datetime) -> None:
        """An approval, by someone other than the proposer and other than the approvers before."""
        self._require(ExpenseStatus.PROPOSED)
        if approver == self.proposer:
            raise ExpenseError(code="self_approval")
        if approver in self.approvers:
            raise ExpenseError(code="approved_twice")
        complete = len(self.approvers) + 1 >= self.approvals_needed
        self._approve(approver, at, complete, self.fund_id, self.amount)

    @event(Approved)
    def _approve(self, approver: str, at: datetime, complete: bool, fund_id: UUID, amount: int) -> None:
        self.approvers.append(approver)
        if complete:
            self.status = ExpenseStatus.APPROVED

    class Paid(Aggregate.Event):
        """The approved expense was paid out."""

        TOPIC = "funds:Expense.Paid:v1"
        payer: str
        at: datetime
        fund_id: UUID
        amount: int

    def pay(self, payer: str, at: datetime) -> None:
        """Record the payment of an approved expense."""
        self._require(ExpenseStatus.APPROVED)
        self._pay(payer, at, self.fund_id, self.amount)

    @event(Paid)
    def _pay(self, payer: str, at: datetime, fund_id: UUID, amount: int) -> None:
        self.status, self.paid_at = ExpenseStatus.PAID, at

    class Rejected(Aggregate.Event):
        """The proposal was rejected, with the reason."""

        TOPIC = "funds:Expense.Rejected:v1"
        by: str
        reason: str
        at: datetime

    def reject(self, by: str, reason: str, at: datetime) -> None:
        """Refuse a proposal (someone other than the proposer), with the reason."""
        self._require(ExpenseStatus.PROPOSED)
        if by == self.proposer:
            raise ExpenseError(code="self_approval")
        if not reason.strip():
            raise ExpenseError(code="reason_required")
        self._reject(by, reason, at)

    @event(Rejected)
    def _reject(self, by: str, reason: str, at: datetime) -> None:
        self.status = ExpenseStatus.REJECTED
