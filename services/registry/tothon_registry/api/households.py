"""Routes for households."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool

from tothon_registry.api.deps import Registry, Store
from tothon_registry.api.schemas import (
    Created,
    HouseholdIn,
    HouseholdSummary,
    HouseholdView,
)
from tothon_registry.application import NewMember
from tothon_registry.domain.person import PersonDetails
from tothon_registry.intake import MemberIn
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels import household_reads
from tothon_shared.auth.http import Authenticated, authorize, require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.paging import MAX_OFFSET
from tothon_shared.http.problems import ProblemError

router = APIRouter(prefix="/api/v1/households", tags=["households"])


def new_member(member: MemberIn) -> NewMember:
    return NewMember(
        member.relationship,
        PersonDetails(**member.model_dump(exclude={"relationship", "consents"})),
        list(member.consents),
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def register_household(
    body: HouseholdIn,
    request: Request,
    registry: Registry,
    principal: Annotated[Principal, Depends(require(RegistryPermission.HOUSEHOLDS_REGISTER))],
) -> Created:
    """Register a household with its head and members in a unit you serve."""
    members = [new_member(m) for m in body.members]
    authorize(
        principal,
        RegistryPermission.HOUSEHOLDS_REGISTER,
        await run_in_threadpool(registry.lineage, body.unit_id),
    )
    try:
        household_id = await run_command(
            request,
            registry.register_household,
            body.unit_id,
            body.code,
            members,
            body.registered_on,
        )
    except ProblemError as conflict:  # run_command answers a household already recorded with 409
        if conflict.status != status.HTTP_409_CONFLICT:
            raise
        raise ProblemError(409, "household.code_taken", "conflict.title") from conflict
    return Created(id=household_id)


@router.get("", responses=problems(404))
async def list_households(
    store: Store,
    unit_id: UUID,
    principal: Annotated[Principal, Depends(require(RegistryPermission.HOUSEHOLDS_READ))],
    response: Response,
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> list[HouseholdSummary]:
    """List a page of the households of a residential group or village you serve; the header
    ``X-Total-Count`` says how many it has in all."""
    rows, total = await run_in_threadpool(
        household_reads.households_page, store, principal, unit_id, limit, offset
    )
    response.headers["X-Total-Count"] = str(total)
    return [HouseholdSummary.model_validate(r) for r in rows]


@router.get("/{household_id}", responses=problems(403, 404))
async def get_household(household_id: UUID, store: Store, principal: Authenticated) -> HouseholdView:
    """The household view: head, number of members and each member's relationship.

    Residents see their own household; officials the households of the units they serve."""
    return HouseholdView.model_validate(
        await run_in_threadpool(household_reads.household, store, principal, household_id)
    )
