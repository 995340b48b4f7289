"""Routes over the household accounts: read-only, for officials within the units they serve and,
for its own account, the household itself."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_funds.permissions import FundsPermission
from tothon_funds.readmodels.accounts import account_of, accounts_of
from tothon_funds.readmodels.tables import DIRECTORY
from tothon_shared.auth.http import Authenticated, authorize, require
from tothon_shared.auth.lineage import lineage
from tothon_shared.auth.principal import Principal
from tothon_shared.http.openapi import problems
from tothon_shared.http.paging import MAX_OFFSET
from tothon_shared.http.problems import ProblemError
from tothon_shared.readstore.store import ReadStore

READ = FundsPermission.HOUSEHOLD_ACCOUNTS_READ
# Module level: route signatures are resolved from the module's globals.
Reader = Annotated[Principal, Depends(require(READ))]

router = APIRouter(prefix="/api/v1/household-accounts", tags=["household accounts"])


class HouseholdAccountOut(BaseModel):
    """A household's account in the funds service."""

    household_id: UUID
    account_id: UUID
    unit_id: UUID
    household_code: str
    member_count: int
    opened_on: date


async def _authorize(store: ReadStore, principal: Principal, unit_id: UUID) -> None:
    authorize(principal, READ, await run_in_threadpool(lineage, store, DIRECTORY.units, unit_id))


@router.get("", responses=problems(403, 404))
async def list_household_accounts(
    request: Request,
    principal: Reader,
    unit_id: UUID,
    limit: int = Query(default=100, ge=1, le=1000),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> list[HouseholdAccountOut]:
    """The accounts of the households of a unit you serve, by household code."""
    store = request.app.state.runtime.store
    await _authorize(store, principal, unit_id)
    rows = await run_in_threadpool(accounts_of, store, unit_id, limit, offset)
    return [HouseholdAccountOut.model_validate(r) for r in rows]


@router.get("/{household_id}", responses=problems(403, 404))
async def get_household_account(
    household_id: UUID, request: Request, principal: Authenticated
) -> HouseholdAccountOut:
    """A household's account, if it is your own household's or its unit is one you serve."""
    store = request.app.state.runtime.store
    row = await run_in_threadpool(account_of, store, household_id)
    if row is None:
        raise ProblemError(404, "funds.household_account.not_found")
    # A household's residents (an account bound to it) see their own account, as they see their
    # household in the registry; anyone else needs the permission over its unit.
    if principal.household_id != household_id:
        await _authorize(store, principal, row["unit_id"])
    return HouseholdAccountOut.model_validate(row)
