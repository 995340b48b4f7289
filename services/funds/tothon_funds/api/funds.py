"""Routes to keep a unit's funds: open one, announce its levies (imposed on the unit's
households at once), read a levy's collection list, exempt a household, close a period and
record the group's choice of publishing names."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from tothon_funds.api.access import app_of, authorize_unit, fund_for, household_within, store_of, unit_lineage
from tothon_funds.domain.fund import BankAccount
from tothon_funds.domain.levies import Basis, Exemption, ExemptionGround, FundKind
from tothon_funds.permissions import FundsPermission
from tothon_funds.readmodels import queries
from tothon_funds.readmodels.accounts import household_ids_below
from tothon_funds.readmodels.polls import decided
from tothon_shared.auth.http import require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.kernel.clock import VIETNAM

READ, MANAGE = FundsPermission.FUNDS_READ, FundsPermission.FUNDS_MANAGE
Reader = Annotated[Principal, Depends(require(READ))]
Keeper = Annotated[Principal, Depends(require(MANAGE))]
Text = Annotated[str, Field(min_length=1, max_length=200)]
Money = Annotated[int, Field(strict=True, gt=0, le=10_000_000_000)]

router = APIRouter(prefix="/api/v1/funds", tags=["funds"])


class BankIn(BaseModel):
    """The account a fund's VietQR codes pay into."""

    bank_bin: Annotated[str, Field(pattern=r"^\d{6}$", description="The bank's NAPAS BIN (VietQR).")]
    account: Annotated[str, Field(pattern=r"^[0-9A-Za-z]{1,19}$")]
    holder: Text


class FundIn(BaseModel):
    """A fund to open."""

    unit_id: UUID
    name: Text
    kind: FundKind
    resolution: Annotated[str, Field(max_length=500)] = ""
    poll_id: UUID | None = Field(
        default=None, description="The households' poll (communication) that decided a community fund."
    )
    bank: BankIn | None = None
    two_approvals_above: Annotated[int, Field(strict=True, ge=0, le=10_000_000_000)] = 5_000_000
    names_public: bool = False


class FundOut(BaseModel):
    """A fund as listed."""

    fund_id: UUID
    unit_id: UUID
    name: str
    kind: str
    resolution: str
    bank_bin: str | None
    bank_account: str | None
    bank_holder: str | None
    two_approvals_above: int
    names_public: bool
    closed_until: date | None


class LevyOut(BaseModel):
    levy_id: UUID
    fund_id: UUID
    basis: str
    amount: int
    period_from: date
    period_to: date


class FundDetailOut(FundOut):
    """A fund with its levies and what it holds."""

    balance: int
    levies: list[LevyOut]


@router.get("", responses=problems(403, 404))
async def list_funds(
    request: Request, principal: Reader, unit_id: UUID, include_below: bool = False
) -> list[FundOut]:
    """The funds that concern a unit you serve: its own and those of the units above it (and,
    asked for, those of the units below it: a ward oversees its groups' funds)."""
    chain = await unit_lineage(request, unit_id)
    await authorize_unit(request, principal, READ, unit_id)
    below_of = unit_id if include_below else None
    rows = await run_in_threadpool(queries.funds_of, store_of(request), chain, below_of)
    return [FundOut.model_validate(r) for r in rows]


def _checked_poll(result: dict[str, Any] | None, body: FundIn) -> dict[str, Any]:
    """A poll a fund may cite: known here (closed, its result published), of the fund's own unit,
    passed, and for a community-decided fund."""
    if body.kind is not FundKind.COMMUNITY:
        raise ProblemError(422, "funds.fund.poll_not_community")
    if result is None:
        raise ProblemError(422, "funds.fund.poll_unknown")
    if result["unit_id"] != body.unit_id:
        raise ProblemError(422, "funds.fund.poll_other_unit")
    if not result["passed"]:
        raise ProblemError(422, "funds.fund.poll_not_passed")
    return result


def _cited(result: dict[str, Any], poll_id: UUID) -> str:
    agreed = result["counts"][result["winner"]]
    closed = result["closed_at"].astimezone(VIETNAM).strftime("%d/%m/%Y")
    return f"Biểu quyết của các hộ ngày {closed}: {agreed}/{result['eligible']} hộ tán thành (mã {poll_id})"


@router.post("", status_code=201, responses=problems(403, 404, 422))
async def open_fund(body: FundIn, request: Request, principal: Keeper) -> FundOut:
    """Open a fund of a unit you keep funds for; a community fund cites its households' vote: a
    poll of the unit that passed (``poll_id``), or a meeting's resolution."""
    await authorize_unit(request, principal, MANAGE, body.unit_id)
    resolution = body.resolution
    if body.poll_id is not None:
        result = await run_in_threadpool(decided, store_of(request), body.poll_id)
        resolution = resolution or _cited(_checked_poll(result, body), body.poll_id)
    app = app_of(request)
    bank = BankAccount(body.bank.bank_bin, body.bank.account, body.bank.holder) if body.bank else None
    fund_id = await run_command(
        request,
        app.open_fund,
        body.unit_id,
        body.name,
        body.kind,
        str(principal.account_id),
        bank=bank,
        resolution=resolution,
        two_approvals_above=body.two_approvals_above,
        names_public=body.names_public,
        poll_id=body.poll_id,
    )
    fund = app.fund(fund_id)
    return FundOut(
        fund_id=fund_id,
        unit_id=fund.unit_id,
        name=fund.name,
        kind=fund.kind.value,
        resolution=fund.resolution,
        bank_bin=bank.bank_bin if bank else None,
        bank_account=bank.number if bank else None,
        bank_holder=bank.holder if bank else None,
        two_approvals_above=fund.two_approvals_above,
        names_public=fund.names_public,
        closed_until=fund.closed_until,
    )


@router.get("/{fund_id}", responses=problems(403, 404))
async def get_fund(fund_id: UUID, request: Request, principal: Reader) -> FundDetailOut:
    """A fund, its levies and its balance (derived from its books' entries)."""
    await fund_for(request, principal, READ, fund_id)
    store = store_of(request)
    row = await run_in_threadpool(queries.fund, store, fund_id)
    if row is None:  # opened a moment ago, not yet read: as if not there
        raise ProblemError(404, "funds.fund.not_found")
    books = await run_in_threadpool(app_of(request).books, fund_id)
    levies = await run_in_threadpool(queries.levies_of, store, fund_id)
    return FundDetailOut(
        **FundOut.model_validate(row).model_dump(),
        balance=books.balance,
        levies=[LevyOut.model_validate(levy) for levy in levies],
    )


class LevyIn(BaseModel):
    """A call for contributions for a period."""

    basis: Basis
    amount: Money
    period_from: date
    period_to: date


class LevyAnnouncedOut(BaseModel):
    levy_id: UUID
    households: int = Field(description="Households it was imposed on now.")


@router.post("/{fund_id}/levies", status_code=201, responses=problems(403, 404, 409, 422))
async def announce_levy(fund_id: UUID, body: LevyIn, request: Request, principal: Keeper) -> LevyAnnouncedOut:
    """Announce a levy and impose it on every household of the fund's unit (and the units below)
    at once; households registered later get it from the worker's sweep."""
    fund = await fund_for(request, principal, MANAGE, fund_id)
    app = app_of(request)
    actor = str(principal.account_id)
    levy_id = await run_command(
        request, app.announce_levy, fund_id, body.basis, body.amount, body.period_from, body.period_to, actor
    )
    households = await run_in_threadpool(household_ids_below, store_of(request), fund.unit_id)
    imposed = await run_command(request, app.impose, fund_id, levy_id, households)
    return LevyAnnouncedOut(levy_id=levy_id, households=imposed)


class CollectionRow(BaseModel):
    household_id: UUID
    household_code: str
    owed: int
    paid: int
    reference: str


@router.get("/{fund_id}/levies/{levy_id}/collection", responses=problems(403, 404))
async def levy_collection(
    fund_id: UUID, levy_id: UUID, request: Request, principal: Reader
) -> list[CollectionRow]:
    """Who owes what for a levy and what each has paid, by household code."""
    fund = await fund_for(request, principal, READ, fund_id)
    if levy_id not in fund.levies:
        raise ProblemError(404, "funds.fund.levy_not_found")
    rows = await run_in_threadpool(queries.collection, store_of(request), levy_id)
    return [CollectionRow.model_validate(r) for r in rows]


class ExemptionIn(BaseModel):
    """An exemption under Decree 78/2021, with its evidence; private."""

    household_id: UUID
    ground: ExemptionGround
    evidence: Annotated[str, Field(min_length=1, max_length=500)]
    valid_from: date
    valid_to: date
    members: Annotated[int, Field(ge=1, le=100)] | None = None


class CreatedOut(BaseModel):
    id: UUID


@router.post("/{fund_id}/exemptions", status_code=201, responses=problems(403, 404, 422))
async def exempt(fund_id: UUID, body: ExemptionIn, request: Request, principal: Keeper) -> CreatedOut:
    """Exempt a household of the fund's unit from its levies; its obligations are set again."""
    fund = await fund_for(request, principal, MANAGE, fund_id)
    await household_within(request, fund, body.household_id)
    exemption = Exemption(body.ground, body.evidence, body.valid_from, body.valid_to, body.members)
    app = app_of(request)
    made = await run_command(
        request, app.exempt, body.household_id, fund_id, exemption, str(principal.account_id)
    )
    return CreatedOut(id=made)


class Reason(BaseModel):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


@router.post(
    "/{fund_id}/exemptions/{household_id}/{exemption_id}/lifting",
    status_code=204,
    responses=problems(403, 404, 422),
)
async def lift_exemption(
    fund_id: UUID, household_id: UUID, exemption_id: UUID, body: Reason, request: Request, principal: Keeper
) -> None:
    """Withdraw an exemption, with the reason."""
    fund = await fund_for(request, principal, MANAGE, fund_id)
    await household_within(request, fund, household_id)
    app = app_of(request)
    await run_command(
        request, app.lift_exemption, household_id, exemption_id, str(principal.account_id), body.reason
    )


class CloseIn(Reason):
    until: date


@router.post("/{fund_id}/closing", status_code=204, responses=problems(403, 404, 422))
async def close_period(fund_id: UUID, body: CloseIn, request: Request, principal: Keeper) -> None:
    """Close the books up to a day: nothing more is recorded on or before it."""
    await fund_for(request, principal, MANAGE, fund_id)
    app = app_of(request)
    await run_command(request, app.close_period, fund_id, body.until, str(principal.account_id), body.reason)


class PublicationIn(Reason):
    names_public: bool


@router.post("/{fund_id}/publication", status_code=204, responses=problems(403, 404, 422))
async def publication(fund_id: UUID, body: PublicationIn, request: Request, principal: Keeper) -> None:
    """Record the group's published choice: its report names who paid, or shows household codes."""
    await fund_for(request, principal, MANAGE, fund_id)
    app = app_of(request)
    await run_command(
        request, app.publish_names, fund_id, body.names_public, str(principal.account_id), body.reason
    )
