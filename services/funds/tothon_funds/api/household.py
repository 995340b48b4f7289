"""A household's own page: what it owes to each levy and has paid, a VietQR code per obligation
still open (the group's bank account, the amount left, the payment reference in the note), its
receipts, and the anonymous code each fund's public report shows it by."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import segno
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_funds.api.access import authorize_unit, store_of
from tothon_funds.domain.references import anonymous_code
from tothon_funds.domain.vietqr import Transfer, encode
from tothon_funds.permissions import FundsPermission
from tothon_funds.readmodels import queries
from tothon_funds.readmodels.accounts import account_of
from tothon_shared.auth.http import Authenticated
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError

router = APIRouter(prefix="/api/v1/funds/households", tags=["households"])


class QrOut(BaseModel):
    """A VietQR any Vietnamese banking app scans: its payload (EMVCo) and an SVG of it."""

    payload: str
    svg: str


class DueOut(BaseModel):
    obligation_id: UUID
    fund_id: UUID
    fund_name: str
    fund_kind: str
    levy_id: UUID
    basis: str
    rate: int
    period_from: date
    period_to: date
    owed: int
    paid: int
    suggested: int | None = None  # what a voluntary fund suggests (it obliges no one)
    reference: str
    anonymous_code: str
    qr: QrOut | None = None


class HouseholdReceiptOut(BaseModel):
    entry_id: UUID
    number: str
    code: str
    fund_name: str
    fund_kind: str
    amount: int
    means: str
    paid_at: datetime
    void: bool


class HouseholdFundsOut(BaseModel):
    household_id: UUID
    household_code: str
    dues: list[DueOut]
    receipts: list[HouseholdReceiptOut]


def _qr(row: dict[str, object], left: int) -> QrOut | None:
    """A code for what is left to pay (for a voluntary fund: its suggestion), if the fund has a
    bank account."""
    if row["bank_bin"] is None or left <= 0:
        return None
    payload = encode(Transfer(str(row["bank_bin"]), str(row["bank_account"]), left, str(row["reference"])))
    return QrOut(payload=payload, svg=segno.make(payload, error="m").svg_inline(scale=4, border=2))


def _due(row: dict[str, object], household_id: UUID) -> DueOut:
    voluntary = row["fund_kind"] == "voluntary"
    owed, paid, rate = int(str(row["owed"])), int(str(row["paid"])), int(str(row["rate"]))
    left = max(0, (rate if voluntary else owed) - paid)
    return DueOut(
        **{k: row[k] for k in DueOut.model_fields if k in row and k != "qr"},  # type: ignore[arg-type]
        suggested=rate if voluntary else None,
        anonymous_code=anonymous_code(UUID(str(row["fund_id"])), household_id),
        qr=_qr(row, left),
    )


@router.get("/{household_id}", responses=problems(403, 404))
async def household_funds(
    household_id: UUID, request: Request, principal: Authenticated
) -> HouseholdFundsOut:
    """Your household's dues, QR codes and receipts (or those of a household of a unit you
    serve)."""
    store = store_of(request)
    account = await run_in_threadpool(account_of, store, household_id)
    if account is None:
        raise ProblemError(404, "funds.household_account.not_found")
    if principal.household_id != household_id:
        await authorize_unit(request, principal, FundsPermission.FUNDS_READ, account["unit_id"])
    dues = await run_in_threadpool(queries.dues, store, household_id)
    receipts = await run_in_threadpool(queries.receipts_of, store, household_id)
    return HouseholdFundsOut(
        household_id=household_id,
        household_code=account["household_code"],
        dues=[_due(row, household_id) for row in dues],
        receipts=[HouseholdReceiptOut.model_validate(r) for r in receipts],
    )
