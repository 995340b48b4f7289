"""Routes for a fund's expenses: proposed with evidence by its keeper, approved by someone else
(two approvers above the fund's threshold), rejected with a reason, then paid out of its books."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from tothon_funds.api.access import app_of, fund_for, store_of
from tothon_funds.domain.books import Means
from tothon_funds.domain.expense import Expense
from tothon_funds.permissions import FundsPermission
from tothon_funds.readmodels import report
from tothon_funds.readmodels.tables import ATTACHMENTS
from tothon_shared.auth.http import require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.readstore.store import ReadStore

READ, MANAGE, APPROVE = (
    FundsPermission.FUNDS_READ,
    FundsPermission.FUNDS_MANAGE,
    FundsPermission.EXPENSES_APPROVE,
)
Reader = Annotated[Principal, Depends(require(READ))]
Keeper = Annotated[Principal, Depends(require(MANAGE))]
Approver = Annotated[Principal, Depends(require(APPROVE))]

router = APIRouter(prefix="/api/v1/funds", tags=["expenses"])


class ExpenseIn(BaseModel):
    """A proposed expense: what for, how much, and its evidence (uploaded files' ids, or a
    document's reference such as an invoice number)."""

    amount: Annotated[int, Field(strict=True, gt=0, le=10_000_000_000)]
    purpose: Annotated[str, Field(min_length=1, max_length=1000)]
    evidence: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]], Field(min_length=1, max_length=20)
    ]


class ExpenseOut(BaseModel):
    expense_id: UUID
    fund_id: UUID
    amount: int
    purpose: str
    evidence: list[str]
    proposer: str
    approvals_needed: int
    approvers: list[str]
    status: str
    reason: str | None = None
    proposed_at: datetime
    paid_at: datetime | None = None
    means: str | None = None


def _out(expense: Expense) -> ExpenseOut:
    return ExpenseOut(
        expense_id=expense.id,
        fund_id=expense.fund_id,
        amount=expense.amount,
        purpose=expense.purpose,
        evidence=list(expense.evidence),
        proposer=expense.proposer,
        approvals_needed=expense.approvals_needed,
        approvers=list(expense.approvers),
        status=expense.status.value,
        proposed_at=expense.created_on,
        paid_at=expense.paid_at,
    )


def _checked_files(store: ReadStore, principal: Principal, evidence: list[str]) -> None:
    """Each uploaded file an expense cites (an item that is an upload's id; any other item is a
    document's reference, such as an invoice number) was uploaded by its proposer: a made-up id
    would show a dead link in the public report, and another group's invoice is not this
    expense's evidence (422 otherwise)."""
    if not ATTACHMENTS.all_uploaded_by(store, _upload_ids(evidence), str(principal.account_id)):
        raise ProblemError(422, "funds.expense.evidence_unknown")


def _upload_ids(evidence: list[str]) -> list[UUID]:
    """The items of an expense's evidence that are uploads' ids."""
    ids = []
    for item in evidence:
        try:
            ids.append(UUID(item))
        except ValueError:
            continue
    return ids


@router.post("/{fund_id}/expenses", status_code=201, responses=problems(403, 404, 409, 422))
async def propose(fund_id: UUID, body: ExpenseIn, request: Request, principal: Keeper) -> ExpenseOut:
    """Propose an expense of a fund you keep, with its evidence."""
    await fund_for(request, principal, MANAGE, fund_id)
    await run_in_threadpool(_checked_files, store_of(request), principal, body.evidence)
    app = app_of(request)
    expense_id = await run_command(
        request,
        app.propose_expense,
        fund_id,
        body.amount,
        body.purpose,
        body.evidence,
        str(principal.account_id),
        datetime.now(UTC),
    )
    return _out(app.expense(expense_id))


@router.get("/{fund_id}/expenses", responses=problems(403, 404))
async def list_expenses(fund_id: UUID, request: Request, principal: Reader) -> list[ExpenseOut]:
    """A fund's expenses, the latest first, whatever their state."""
    await fund_for(request, principal, READ, fund_id)
    rows = await run_in_threadpool(report.expenses_of, store_of(request), fund_id)
    return [ExpenseOut.model_validate(r) for r in rows]


async def _expense_for(
    request: Request, principal: Principal, permission: FundsPermission, expense_id: UUID
) -> Expense:
    expense = await run_in_threadpool(app_of(request).expense, expense_id)
    await fund_for(request, principal, permission, expense.fund_id)
    return expense


@router.post("/expenses/{expense_id}/approval", responses=problems(403, 404, 409))
async def approve(expense_id: UUID, request: Request, principal: Approver) -> ExpenseOut:
    """Approve an expense of a unit you serve, not your own."""
    await _expense_for(request, principal, APPROVE, expense_id)
    app = app_of(request)
    return _out(
        await run_command(
            request, app.approve_expense, expense_id, str(principal.account_id), datetime.now(UTC)
        )
    )


class RejectionIn(BaseModel):
    reason: Annotated[str, Field(min_length=1, max_length=1000)]


@router.post("/expenses/{expense_id}/rejection", responses=problems(403, 404, 409, 422))
async def reject(expense_id: UUID, body: RejectionIn, request: Request, principal: Approver) -> ExpenseOut:
    """Reject an expense of a unit you serve, with the reason."""
    await _expense_for(request, principal, APPROVE, expense_id)
    app = app_of(request)
    made = await run_command(
        request, app.reject_expense, expense_id, str(principal.account_id), body.reason, datetime.now(UTC)
    )
    return _out(made)


class PaymentIn(BaseModel):
    means: Means = Means.CASH


@router.post("/expenses/{expense_id}/payment", responses=problems(403, 404, 409, 422))
async def pay(expense_id: UUID, body: PaymentIn, request: Request, principal: Keeper) -> ExpenseOut:
    """Pay an approved expense out of the fund's cash or bank account."""
    await _expense_for(request, principal, MANAGE, expense_id)
    app = app_of(request)
    made = await run_command(
        request, app.pay_expense, expense_id, str(principal.account_id), body.means, datetime.now(UTC)
    )
    return _out(made)
