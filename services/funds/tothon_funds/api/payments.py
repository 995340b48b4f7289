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
from tothon_funds.api.errors import FUNDS_ERRORS
from tothon_funds.application import Payment, RoundItemError
from tothon_funds.documents.receipt import ReceiptDocument, receipt_pdf
from tothon_funds.domain.books import Means, Receipt
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
    return _receipt_out(receipt)


def _receipt_out(receipt: Receipt) -> ReceiptOut:
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


# What one keeper gathers in an evening or at a meeting: a group's households, a few hundred.
MAX_ROUND = 500


class RoundIn(BaseModel):
    """A collection round's contributions."""

    payments: Annotated[list[PaymentIn], Field(min_length=1, max_length=MAX_ROUND)]


@router.post("/{fund_id}/payments/round", status_code=201, responses=problems(403, 404, 409, 422))
async def record_round(fund_id: UUID, body: RoundIn, request: Request, principal: Keeper) -> list[ReceiptOut]:
    """A collection round: the contributions a keeper gathered door to door or at a meeting,
    recorded together, each with its receipt. If one is refused none is recorded, and the problem
    names it (``item``, counted from 0)."""
    now = datetime.now(UTC)
    for item, payment in enumerate(body.payments):
        if payment.paid_at is not None and payment.paid_at > now:
            raise ProblemError(422, "funds.payment.future", item=item)
    app, store = app_of(request), store_of(request)
    payments = [
        Payment(
            household_id=p.household_id,
            amount=p.amount,
            means=p.means,
            at=p.paid_at or now,
            memo=p.memo,
            levy_id=p.levy_id,
            payer=p.payer.strip() or None,
        )
        for p in body.payments
    ]
    try:
        receipts = await run_command(
            request,
            app.record_round,
            fund_id,
            payments,
            str(principal.account_id),
            check=keeping_household(store, principal, MANAGE),
            locate=functools.partial(queries.household_units, store),
        )
    except RoundItemError as refused:
        raise _naming(refused) from None
    return [_receipt_out(r) for r in receipts]


def _naming(refused: RoundItemError) -> Exception:
    """The refusal of a round's payment as its problem, naming the payment."""
    cause = refused.__cause__
    made = cause if isinstance(cause, ProblemError) else None
    if made is None and isinstance(cause, Exception):
        refusal = FUNDS_ERRORS.refusal(cause)
        made = refusal.problem(cause) if refusal is not None else None
    if made is None:
        return cause if isinstance(cause, Exception) else refused  # not a refusal: a fault
    made.fields["item"] = refused.item
    return made


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
