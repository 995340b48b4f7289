"""Routes for contributions: the keeper records one (cash in hand, or a transfer seen on the
account), corrects a mistake by its reversal, lists the fund's receipts; a receipt prints as PDF
for the keeper and for the household that paid."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import AwareDatetime, BaseModel, Field

from tothon_funds.api.access import app_of, authorize_unit, fund_for, keeping_household, store_of
from tothon_funds.documents.receipt import ReceiptDocument, receipt_pdf
from tothon_funds.domain.books import Means
from tothon_funds.permissions import FundsPermission
from tothon_funds.readmodels import queries
from tothon_shared.auth.http import Authenticated, require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.paging import MAX_OFFSET
from tothon_shared.http.problems import ProblemError

READ, MANAGE = FundsPermission.FUNDS_READ, FundsPermission.FUNDS_MANAGE
Reader = Annotated[Principal, Depends(require(READ))]
Keeper = Annotated[Principal, Depends(require(MANAGE))]

router = APIRouter(prefix="/api/v1/funds", tags=["payments"])
# Where the receipt's QR code leads: the public check page, by verification code.
CHECK_PAGE = "/web/funds.html#receipt="


class PaymentIn(BaseModel):
    """A household's contribution."""

    household_id: UUID
    amount: Annotated[int, Field(strict=True, gt=0, le=10_000_000_000)]
    means: Means = Means.CASH
    levy_id: UUID | None = None
    paid_at: AwareDatetime | None = Field(default=None, description="Now, if not given.")
    memo: Annotated[str, Field(max_length=200)] = ""
    payer: Annotated[str, Field(max_length=200)] = Field(default="", description="Who handed it over.")


class ReceiptOut(BaseModel):
    """A contribution's receipt."""

    entry_id: UUID
    number: str
    code: str
    amount: int
    means: str
    paid_at: datetime
    void: bool = False
    levy_id: UUID | None = None
    household_id: UUID | None = None
    household_code: str | None = None


@router.post("/{fund_id}/payments", status_code=201, responses=problems(403, 404, 409, 422))
async def record_payment(fund_id: UUID, body: PaymentIn, request: Request, principal: Keeper) -> ReceiptOut:
    """Record a household's contribution; its receipt is numbered at once."""
    at = body.paid_at or datetime.now(UTC)
    if at > datetime.now(UTC):
        raise ProblemError(422, "funds.payment.future")
    app, store = app_of(request), store_of(request)
    receipt = await run_command(
        request,
        app.record_payment,
        fund_id,
        body.household_id,
        body.amount,
        body.means,
        at,
        str(principal.account_id),
        body.memo,
        body.levy_id,
        None,
        body.payer.strip() or None,
        check=keeping_household(store, principal, MANAGE),
        # The household's unit from the accounts' read model: one indexed read, where the
        # account itself (events, a snapshot) is rarely in memory among a city's households.
        locate=functools.partial(queries.household_unit, store),
    )
    return ReceiptOut(
        entry_id=receipt.entry_id,
        number=receipt.number,
        code=receipt.code,
        amount=receipt.amount,
        means=receipt.means,
        paid_at=receipt.at,
        levy_id=receipt.levy_id,
        household_id=receipt.household_id,
    )


class ReversalIn(BaseModel):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class ReversalOut(BaseModel):
    reversal_id: UUID
    reverses: UUID


@router.post(
    "/{fund_id}/entries/{entry_id}/reversal", status_code=201, responses=problems(403, 404, 409, 422)
)
async def reverse(
    fund_id: UUID, entry_id: UUID, body: ReversalIn, request: Request, principal: Keeper
) -> ReversalOut:
    """Correct a mistake by its reversing entry (never by editing); its receipt becomes void."""
    await fund_for(request, principal, MANAGE, fund_id)
    app = app_of(request)
    reversal = await run_command(
        request,
        app.reverse_entry,
        fund_id,
        entry_id,
        str(principal.account_id),
        body.reason,
        datetime.now(UTC),
    )
    return ReversalOut(reversal_id=reversal.entry_id, reverses=entry_id)


@router.get("/{fund_id}/receipts", responses=problems(403, 404))
async def fund_receipts(
    fund_id: UUID,
    request: Request,
    principal: Reader,
    limit: int = Query(default=100, ge=1, le=1000),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> list[ReceiptOut]:
    """The fund's receipts, the latest first."""
    await fund_for(request, principal, READ, fund_id)
    rows = await run_in_threadpool(queries.receipts_of_fund, store_of(request), fund_id, limit, offset)
    return [ReceiptOut.model_validate(r) for r in rows]


@router.get(
    "/receipts/{entry_id}.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, **problems(403, 404, 503)},
)
async def receipt_document(entry_id: UUID, request: Request, principal: Authenticated) -> Response:
    """A receipt to print or send: for the household that paid, or an official of the fund's unit."""
    row = await run_in_threadpool(queries.receipt_by_entry, store_of(request), entry_id)
    if row is None:
        raise ProblemError(404, "funds.receipt.not_found")
    if principal.household_id != row["household_id"]:
        await authorize_unit(request, principal, READ, row["unit_id"])
    document = ReceiptDocument(
        fund_name=row["fund_name"],
        fund_kind=row["fund_kind"],
        number=row["number"],
        code=row["code"],
        household_code=row["household_code"] or "",
        amount=row["amount"],
        means=row["means"],
        paid_at=row["paid_at"],
        check_url=str(request.base_url).rstrip("/") + CHECK_PAGE + row["code"],
        void=row["void"],
    )
    pdf = await run_in_threadpool(receipt_pdf, document)
    filename = f"bien-lai-{row['number']}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )
