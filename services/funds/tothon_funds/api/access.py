"""Who may touch a fund: the permission over the fund's unit, read from the fund as stored (its
unit never changes), and a household only within the fund's reach."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from tothon_funds.application import FundsApplication
from tothon_funds.domain.fund import Fund
from tothon_funds.permissions import FundsPermission
from tothon_funds.readmodels.tables import DIRECTORY
from tothon_shared.auth.http import authorize
from tothon_shared.auth.lineage import lineage
from tothon_shared.auth.principal import Principal
from tothon_shared.http.problems import ProblemError
from tothon_shared.readstore.store import ReadStore


def app_of(request: Request) -> FundsApplication:
    app = request.app.state.runtime.app
    assert isinstance(app, FundsApplication)  # the funds service's routes
    return app


def store_of(request: Request) -> ReadStore:
    store: ReadStore = request.app.state.runtime.store
    return store


async def unit_lineage(request: Request, unit_id: UUID) -> list[UUID]:
    return await run_in_threadpool(lineage, store_of(request), DIRECTORY.units, unit_id)


async def authorize_unit(
    request: Request, principal: Principal, permission: FundsPermission, unit_id: UUID
) -> None:
    """403 unless the caller holds ``permission`` over the unit (404 for a unit not known)."""
    authorize(principal, permission, await unit_lineage(request, unit_id))


async def fund_for(
    request: Request, principal: Principal, permission: FundsPermission, fund_id: UUID
) -> Fund:
    """The fund, once the caller is authorised over its unit (404 if there is none)."""
    fund = await run_in_threadpool(app_of(request).fund, fund_id)
    await authorize_unit(request, principal, permission, fund.unit_id)
    return fund


async def household_within(request: Request, fund: Fund, household_id: UUID) -> None:
    """404 for a household without an account, 422 for one outside the fund's unit (a group's fund
    takes its own households' money, a ward's fund its groups')."""
    account = await run_in_threadpool(app_of(request).account, household_id)
    if account is None:
        raise ProblemError(404, "funds.household_account.not_found")
    if fund.unit_id not in await unit_lineage(request, account.unit_id):
        raise ProblemError(422, "funds.household.outside_fund")


def keeping_household(
    store: ReadStore, principal: Principal, permission: FundsPermission
) -> Callable[[Fund, UUID | None], None]:
    """A use case's check that the caller holds ``permission`` over a fund's unit and that the
    household (in ``unit_id``; None when it has no account) is within it: 403, then 404 for a
    household without an account, 422 for one outside the fund's unit. One lineage read when all
    is well (the household's unit's lineage holds the fund's), run on the fund the use case has
    read."""

    def check(fund: Fund, unit_id: UUID | None) -> None:
        chain = lineage(store, DIRECTORY.units, unit_id) if unit_id is not None else []
        if fund.unit_id in chain:
            authorize(principal, permission, chain[chain.index(fund.unit_id) :])
            return
        authorize(principal, permission, lineage(store, DIRECTORY.units, fund.unit_id))
        if unit_id is None:
            raise ProblemError(404, "funds.household_account.not_found")
        raise ProblemError(422, "funds.household.outside_fund")

    return check
