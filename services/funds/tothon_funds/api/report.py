"""The public accounts of a group's funds (anyone may read them: that is the point), as JSON for
the page with its charts, CSV and PDF; and, for officials, a ward's or city's summary."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_funds.api.access import authorize_unit, store_of
from tothon_funds.documents.report import report_csv, report_pdf
from tothon_funds.permissions import FundsPermission
from tothon_funds.readmodels import report
from tothon_funds.readmodels.tables import DIRECTORY
from tothon_shared.auth.http import require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.readstore.store import ReadStore

router = APIRouter(prefix="/api/v1/funds", tags=["reports"])
Reader = Annotated[Principal, Depends(require(FundsPermission.FUNDS_READ))]
# A report covers at most a few years: a longer period is a mistake, not a question.
MAX_DAYS = 5 * 366


class ExpenseLine(BaseModel):
    expense_id: UUID
    purpose: str
    amount: int
    paid_at: datetime
    evidence: list[str]
    approvals: int


class PayerLine(BaseModel):
    who: str
    amount: int


class LevyLine(BaseModel):
    levy_id: UUID
    basis: str
    rate: int
    period_from: date
    period_to: date
    households: int
    owed: int
    paid: int
    settled: int


class FundReport(BaseModel):
    fund_id: UUID
    name: str
    kind: str
    resolution: str
    names_public: bool
    income: int
    spending: int
    balance: int
    income_by_month: dict[str, int]
    spending_by_month: dict[str, int]
    expenses: list[ExpenseLine]
    payers: list[PayerLine]
    levies: list[LevyLine]


class UnitReport(BaseModel):
    unit_id: UUID
    unit_name: str
    period_from: date
    period_to: date
    funds: list[FundReport]


def _period(period_from: date, period_to: date) -> None:
    if period_to < period_from or (period_to - period_from).days > MAX_DAYS:
        raise ProblemError(422, "funds.report.period")


def _unit_name(store: ReadStore, unit_id: UUID) -> str | None:
    with store.engine.connect() as connection:
        return connection.execute(
            DIRECTORY.units.select()
            .with_only_columns(DIRECTORY.units.c.name)
            .where(DIRECTORY.units.c.unit_id == unit_id)
        ).scalar_one_or_none()


async def _report(
    request: Request, unit_id: UUID, period_from: date, period_to: date
) -> tuple[dict[str, Any], str]:
    _period(period_from, period_to)
    store = store_of(request)
    name = await run_in_threadpool(_unit_name, store, unit_id)
    if name is None:
        raise ProblemError(404, "unit.not_found")
    return await run_in_threadpool(report.unit_report, store, unit_id, period_from, period_to), name


From = Annotated[date, Query(alias="from")]
To = Annotated[date, Query(alias="to")]


# The file routes first: a path ending in .csv would otherwise be read as a unit's id.
@router.get("/public/reports/{unit_id}.csv", response_class=Response, responses=problems(404, 422))
async def public_report_csv(unit_id: UUID, request: Request, period_from: From, period_to: To) -> Response:
    """The report as CSV."""
    made, name = await _report(request, unit_id, period_from, period_to)
    headers = {"Content-Disposition": f'attachment; filename="cong-khai-{period_from}-{period_to}.csv"'}
    return Response(report_csv(made, name), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/public/reports/{unit_id}.pdf", response_class=Response, responses=problems(404, 422, 503))
async def public_report_pdf(unit_id: UUID, request: Request, period_from: From, period_to: To) -> Response:
    """The report as PDF, to print and post."""
    made, name = await _report(request, unit_id, period_from, period_to)
    pdf = await run_in_threadpool(report_pdf, made, name)
    headers = {"Content-Disposition": f'inline; filename="cong-khai-{period_from}-{period_to}.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.get("/public/reports/{unit_id}", responses=problems(404, 422))
async def public_report(unit_id: UUID, request: Request, period_from: From, period_to: To) -> UnitReport:
    """A unit's public report of its funds for a period."""
    made, name = await _report(request, unit_id, period_from, period_to)
    return UnitReport(unit_name=name, **made)


class SummaryLine(BaseModel):
    unit_id: UUID
    unit_name: str
    kind: str
    income: int
    households: int
    spending: int


@router.get("/summary", responses=problems(403, 404, 422))
async def area_summary(
    unit_id: UUID, request: Request, principal: Reader, period_from: From, period_to: To
) -> list[SummaryLine]:
    """What the funds of every unit within one you serve took in and spent in a period."""
    _period(period_from, period_to)
    await authorize_unit(request, principal, FundsPermission.FUNDS_READ, unit_id)
    rows = await run_in_threadpool(report.area_summary, store_of(request), unit_id, period_from, period_to)
    return [SummaryLine.model_validate(r) for r in rows]
