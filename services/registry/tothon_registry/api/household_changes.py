"""Routes for a household's life after it is registered: members joining and leaving, a new
head, members splitting off into a household of their own, and the check against reality."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tothon_registry.api.deps import Registry, Store
from tothon_registry.api.households import new_member
from tothon_registry.api.schemas import Created
from tothon_registry.domain.household import HEAD, JoinReason, LeaveReason, Relationship
from tothon_registry.intake import MemberIn
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels import household_reads
from tothon_shared.auth.http import require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.kernel.identity import PastDate

router = APIRouter(prefix="/api/v1/households", tags=["households"])


class JoinIn(BaseModel):
    """A person joining the household, why and when."""

    model_config = ConfigDict(extra="forbid")
    member: MemberIn
    reason: JoinReason
    on: PastDate = Field(description="The day of the birth or the moving in (not before the birth).")


class LeaveIn(BaseModel):
    """Why and when a member leaves (splitting off is its own request)."""

    model_config = ConfigDict(extra="forbid")
    reason: Literal[LeaveReason.MOVED_OUT, LeaveReason.DIED]
    on: PastDate


class SplitIn(BaseModel):
    """Members forming a household of their own in the same unit: its code, its head, and the
    others' relationship to that head."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^[0-9A-Za-z./-]{1,40}$", description="The new household's code in the unit")
    head_person_id: UUID
    relationships: dict[UUID, Relationship] = Field(default_factory=dict, max_length=50)
    on: PastDate

    @model_validator(mode="after")
    def _one_head(self) -> SplitIn:
        if self.head_person_id in self.relationships or HEAD in self.relationships.values():
            raise ValueError("the new household has one head: the others are related to them")
        return self


class HeadIn(BaseModel):
    """The new head, and every other member's relationship to them."""

    model_config = ConfigDict(extra="forbid")
    person_id: UUID
    relationships: dict[UUID, Relationship]
    on: PastDate


Changer = Annotated[Principal, Depends(require(RegistryPermission.HOUSEHOLDS_REGISTER))]


@router.post("/{household_id}/members", status_code=status.HTTP_201_CREATED, responses=problems(404))
async def add_member(
    household_id: UUID, body: JoinIn, request: Request, registry: Registry, store: Store, principal: Changer
) -> Created:
    """A person joins the household: born into it or moving in."""
    await run_in_threadpool(household_reads.authorize_change, store, principal, household_id)
    member = new_member(body.member)
    person_id = await run_command(request, registry.add_member, household_id, member, body.reason, body.on)
    return Created(id=person_id)


@router.post(
    "/{household_id}/members/{person_id}/departure",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(404, 409),
)
async def remove_member(
    household_id: UUID,
    person_id: UUID,
    body: LeaveIn,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Changer,
) -> Response:
    """A member leaves: moving out or deceased. The head leaves only once another member is head."""
    await run_in_threadpool(household_reads.authorize_change, store, principal, household_id)
    await run_command(request, registry.remove_member, household_id, person_id, body.reason, body.on)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/{household_id}/head", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404))
async def change_head(
    household_id: UUID, body: HeadIn, request: Request, registry: Registry, store: Store, principal: Changer
) -> Response:
    """Make another member the head; every other member's relationship to the new head is restated."""
    await run_in_threadpool(household_reads.authorize_change, store, principal, household_id)
    await run_command(
        request, registry.change_head, household_id, body.person_id, dict(body.relationships), body.on
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{household_id}/split", status_code=status.HTTP_201_CREATED, responses=problems(404, 409))
async def split_household(
    household_id: UUID, body: SplitIn, request: Request, registry: Registry, store: Store, principal: Changer
) -> Created:
    """Members leave to form a household of their own in the same unit (tách hộ); the old
    household keeps its head and the rest."""
    await run_in_threadpool(household_reads.authorize_change, store, principal, household_id)
    try:
        new_id = await run_command(
            request,
            registry.split_household,
            household_id,
            body.code,
            body.head_person_id,
            dict(body.relationships),
            body.on,
        )
    except ProblemError as conflict:  # the new household's code is already used in the unit
        if conflict.status != status.HTTP_409_CONFLICT:
            raise
        raise ProblemError(409, "household.code_taken", "conflict.title") from conflict
    return Created(id=new_id)


class VerifyIn(BaseModel):
    """The day the household was checked against reality."""

    model_config = ConfigDict(extra="forbid")
    on: PastDate


@router.post("/{household_id}/verification", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404))
async def verify_household(
    household_id: UUID, body: VerifyIn, request: Request, registry: Registry, store: Store, principal: Changer
) -> Response:
    """Record that the household's members and details were checked against reality (by visiting
    it): the data-quality worklist flags households unchecked for too long."""
    await run_in_threadpool(household_reads.authorize_change, store, principal, household_id)
    await run_command(request, registry.verify_household, household_id, body.on)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
