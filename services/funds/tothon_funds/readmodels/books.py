"""The funds' books for reading: funds, levies, obligations, receipts and expenses projected from
the funds service's own events, in one projection so that every row finds its fund (the events
are applied in the order they were stored, and a fund is stored before anything of it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from tothon_funds.domain.books import FundBooks
from tothon_funds.domain.expense import Expense, ExpenseStatus
from tothon_funds.domain.fund import Fund
from tothon_funds.domain.household_account import HouseholdAccount
from tothon_funds.domain.levies import obligation_id
from tothon_funds.domain.references import reference
from tothon_funds.domain.statement import Statement
from tothon_funds.readmodels.tables import expenses, funds, levies, obligations, receipts, statement_lines
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.runtime.definition import ProjectionSpec

_EXPENSE = "expense:"


# Made once, the values given as parameters: a statement built per receipt cost the worker more
# CPU in compiling than in running it.
_RECEIPT = receipts.insert()


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """Apply a page of the funds' events to the books' tables, in order (consecutive receipts
    inserted in one statement)."""
    issued: list[dict[str, Any]] = []
    for logged in batch:
        event: Any = logged.event
        if isinstance(event, FundBooks.Posted) and event.receipt_code is not None:
            issued.append(_receipt(session, event))
            continue
        handler = _HANDLERS.get(type(event))
        if handler is None:
            continue
        if issued:
            session.execute(_RECEIPT, issued)
            issued = []
        handler(session, event)
    if issued:
        session.execute(_RECEIPT, issued)


def _receipt(session: Session, event: Any) -> dict[str, Any]:
    means, amount = next((str(a), int(str(n))) for a, n in event.lines if int(str(n)) > 0)
    return {
        "code": event.receipt_code,
        "entry_id": event.entry_id,
        "fund_id": _fund_of(session, event.originator_id),
        "levy_id": getattr(event, "levy_id", None),
        "number": event.receipt_number,
        "household_id": event.household_id,
        "amount": amount,
        "means": means,
        "paid_at": event.at,
        "recorded_by": event.actor,
        "payer": getattr(event, "payer", None),
        "void": False,
        "void_reason": None,
    }


def _fund_opened(session: Session, event: Any) -> None:
    bank = event.bank or [None, None, None]
    session.execute(
        funds.insert().values(
            fund_id=event.originator_id,
            books_id=FundBooks.create_id(event.originator_id),
            unit_id=event.unit_id,
            name=event.name,
            kind=event.kind,
            resolution=event.resolution,
            bank_bin=bank[0],
            bank_account=bank[1],
            bank_holder=bank[2],
            two_approvals_above=event.two_approvals_above,
            names_public=event.names_public,
            closed_until=None,
            opened_at=event.timestamp,
        )
    )


# Books id -> fund id, for the receipts (a fund's books never change fund): a query saved for each
# contribution projected. Bounded; a restart or a rebuild reads the table again.
_FUND_OF_BOOKS: dict[UUID, UUID] = {}
_KNOWN_BOOKS = 100_000


def _fund_of(session: Session, books_id: UUID) -> UUID:
    fund_id = _FUND_OF_BOOKS.get(books_id)
    if fund_id is None:
        fund_id = session.execute(select(funds.c.fund_id).where(funds.c.books_id == books_id)).scalar_one()
        if len(_FUND_OF_BOOKS) >= _KNOWN_BOOKS:
            _FUND_OF_BOOKS.clear()
        _FUND_OF_BOOKS[books_id] = fund_id
    return fund_id


def _fund(session: Session, fund_id: UUID, **values: object) -> None:
    session.execute(funds.update().where(funds.c.fund_id == fund_id).values(**values))


def _levy_announced(session: Session, event: Any) -> None:
    unit_id = session.execute(
        select(funds.c.unit_id).where(funds.c.fund_id == event.originator_id)
    ).scalar_one()
    session.execute(
        levies.insert().values(
            levy_id=event.levy_id,
            fund_id=event.originator_id,
            unit_id=unit_id,
            basis=event.basis,
            amount=event.amount,
            period_from=event.period_from,
            period_to=event.period_to,
            announced_at=event.timestamp,
        )
    )


def _obligation_set(session: Session, event: Any) -> None:
    key = obligation_id(event.levy_id, event.household_id)
    updated = session.execute(
        obligations.update().where(obligations.c.obligation_id == key).values(amount=event.amount)
    )
    if updated.rowcount == 0:  # type: ignore[attr-defined]  # a CursorResult's count
        session.execute(
            obligations.insert().values(
                obligation_id=key,
                levy_id=event.levy_id,
                fund_id=event.fund_id,
                household_id=event.household_id,
                amount=event.amount,
                reference=reference(key),
            )
        )


def _posted(session: Session, event: Any) -> None:
    lines = [(str(account), int(str(amount))) for account, amount in event.lines]
    if event.receipt_code is not None:
        session.execute(_RECEIPT, [_receipt(session, event)])
    elif event.reverses is not None:
        session.execute(
            receipts.update()
            .where(receipts.c.entry_id == event.reverses)
            .values(void=True, void_reason=event.memo)
        )
    else:
        spent = next((a for a, n in lines if a.startswith(_EXPENSE) and n > 0), None)
        paid_from = next((a for a, n in lines if n < 0), None)
        if spent is not None:
            session.execute(
                expenses.update()
                .where(expenses.c.expense_id == UUID(spent.removeprefix(_EXPENSE)))
                .values(means=paid_from)
            )


def _expense_proposed(session: Session, event: Any) -> None:
    session.execute(
        expenses.insert().values(
            expense_id=event.originator_id,
            fund_id=event.fund_id,
            amount=event.amount,
            purpose=event.purpose,
            evidence=list(event.evidence),
            proposer=event.proposer,
            approvals_needed=event.approvals_needed,
            approvers=[],
            status=ExpenseStatus.PROPOSED.value,
            reason=None,
            proposed_at=event.at,
            paid_at=None,
            means=None,
        )
    )


def _expense_approved(session: Session, event: Any) -> None:
    row = session.execute(
        select(expenses.c.approvers).where(expenses.c.expense_id == event.originator_id)
    ).one()
    values: dict[str, object] = {"approvers": [*row.approvers, event.approver]}
    if event.complete:
        values["status"] = ExpenseStatus.APPROVED.value
    session.execute(expenses.update().where(expenses.c.expense_id == event.originator_id).values(**values))


def _expense(session: Session, expense_id: UUID, **values: object) -> None:
    session.execute(expenses.update().where(expenses.c.expense_id == expense_id).values(**values))


def _statement_imported(session: Session, event: Any) -> None:
    rows = [
        {
            "statement_id": event.originator_id,
            "key": key,
            "fund_id": event.fund_id,
            "bank": event.bank,
            "row": row,
            "booked_on": date.fromisoformat(str(day)),
            "amount": amount,
            "description": description,
            "matched": False,
        }
        for key, row, day, amount, description in event.lines
    ]
    if rows:
        session.execute(statement_lines.insert(), rows)


def _line_matched(session: Session, event: Any) -> None:
    session.execute(
        statement_lines.update()
        .where(statement_lines.c.statement_id == event.originator_id, statement_lines.c.key == event.key)
        .values(matched=True)
    )


_HANDLERS: dict[type, Any] = {
    Fund.Opened: _fund_opened,
    Fund.LevyAnnounced: _levy_announced,
    Fund.PeriodClosed: lambda s, e: _fund(s, e.originator_id, closed_until=e.until),
    Fund.PublicationChanged: lambda s, e: _fund(s, e.originator_id, names_public=e.names_public),
    HouseholdAccount.ObligationSet: _obligation_set,
    FundBooks.Posted: _posted,
    Statement.Imported: _statement_imported,
    Statement.LineMatched: _line_matched,
    Expense.Proposed: _expense_proposed,
    Expense.Approved: _expense_approved,
    Expense.Rejected: lambda s, e: _expense(
        s, e.originator_id, status=ExpenseStatus.REJECTED.value, reason=e.reason
    ),
    Expense.Paid: lambda s, e: _expense(s, e.originator_id, status=ExpenseStatus.PAID.value, paid_at=e.at),
}

PROJECTION = ProjectionSpec(
    "funds_books",
    apply,
    (funds, levies, obligations, receipts, expenses, statement_lines),
    events=tuple(_HANDLERS),
)
