"""Checking a receipt: anyone holding one (or its QR code) sees whether it is genuine and still
valid, by its verification code — the fund, the number, the amount and date, never the payer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_funds.readmodels.queries import receipt
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError

router = APIRouter(prefix="/api/v1/funds/public/receipts", tags=["receipts"])
Code = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{10}$")]


class ReceiptCheckOut(BaseModel):
    """What a receipt check shows."""

    number: str
    fund_id: UUID
    fund_name: str
    fund_kind: str
    unit_id: UUID
    amount: int
    means: str
    paid_at: datetime
    void: bool


@router.get("/{code}", responses=problems(404, 422))
async def check_receipt(code: Code, request: Request) -> ReceiptCheckOut:
    """The receipt with this verification code (a voided one says so)."""
    found = await run_in_threadpool(receipt, request.app.state.runtime.store, code.upper())
    if found is None:
        raise ProblemError(404, "funds.receipt.not_found")
    return ReceiptCheckOut.model_validate(found)
