"""Routes for households."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tothon_registry.api.deps import Registry, Store, authorize_at, authorized_lineage
from tothon_registry.api.schemas import (
    Created,
    HouseholdIn,
    HouseholdSummary,
    HouseholdView,
    MemberIn,
    Relationship,
)
from tothon_registry.application import NewMember, UnitNotFoundError
from tothon_registry.domain.errors import HeadOfHouseholdError, NotResidentialUnitError
from tothon_registry.domain.household import JoinReason, LeaveReason, NotAMemberError
from tothon_registry.domain.names import InvalidNameError
from tothon_registry.domain.person import ConsentError, PersonDateError, PersonDetails, RepeatedConsentError
from tothon_registry.domain.unit import UnitError
from tothon_registry.permissions import RegistryPermission as Permission
from tothon_registry.readmodels import queries
from tothon_registry.readmodels.access_log import log_reads, record_reads
from tothon_shared.auth.http import Authenticated, authorize, require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.paging import MAX_OFFSET
from tothon_shared.http.problems import ProblemError
from tothon_shared.kernel.identity import PastDate
from tothon_shared.readstore.store import ReadStore

router = APIRouter(prefix="/api/v1/households", tags=["households"])


def _new_member(member: MemberIn) -> NewMember:
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
    principal: Annotated[Principal, Depends(require(Permission.HOUSEHOLDS_REGISTER))],
) -> Created:
    """Register a household with its head and members in a unit you serve."""
    members = [_new_member(m) for m in body.members]
    try:
        authorize(
            principal, Permission.HOUSEHOLDS_REGISTER, await run_in_threadpool(registry.lineage, body.unit_id)
        )
        household_id = await run_command(
            request,
            registry.register_household,
            body.unit_id,
            body.code,
            members,
            body.registered_on,
        )
    except UnitNotFoundError:
        raise ProblemError(422, "unit.not_found") from None
    except NotResidentialUnitError:
        raise ProblemError(422, "unit.not_residential") from None
    except UnitError as error:
        raise ProblemError(422, f"unit.{error}") from None
    except HeadOfHouseholdError:
        raise ProblemError(422, "household.head_count") from None
    except RepeatedConsentError:
        raise ProblemError(422, "person.consent_repeated") from None
    except ConsentError:
        raise ProblemError(422, "person.phone_needs_consent") from None
    except PersonDateError as error:
        raise ProblemError(422, f"person.{error}") from None
    except InvalidNameError:
        raise ProblemError(422, "person.invalid_name") from None
    except ProblemError as conflict:  # run_command answers a household already recorded with 409
        if conflict.status != status.HTTP_409_CONFLICT:
            raise
        raise ProblemError(409, "household.code_taken", "conflict.title") from conflict
    return Created(id=household_id)


@router.get("", responses=problems(404))
async def list_households(
    store: Store,
    unit_id: UUID,
    principal: Annotated[Principal, Depends(require(Permission.HOUSEHOLDS_READ))],
    response: Response,
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> list[HouseholdSummary]:
    """List a page of the households of a residential group or village you serve; the header
    ``X-Total-Count`` says how many it has in all."""
    await authorize_at(store, principal, Permission.HOUSEHOLDS_READ, unit_id)
    rows, total = await run_in_threadpool(queries.list_households, store, unit_id, limit, offset)
    response.headers["X-Total-Count"] = str(total)
    await run_in_threadpool(
        record_reads,
        store,
        principal,
        [(r["household_id"], None) for r in rows],
        "head_name",
        "household list",
    )
    return [HouseholdSummary.model_validate(r) for r in rows]


@router.get("/{household_id}", responses=problems(403, 404))
async def get_household(household_id: UUID, store: Store, principal: Authenticated) -> HouseholdView:
    """The household view: head, number of members and each member's relationship.

    Residents see their own household; officials the households of the units they serve."""
    return HouseholdView.model_validate(
        await run_in_threadpool(_read_household, store, principal, household_id)
    )


def _read_household(store: ReadStore, principal: Principal, household_id: UUID) -> dict[str, Any]:
    # The busiest read of the register: one thread hop, one connection, and the log of the
    # reading commits before the view is shown (a lookup used to take four hops and three
    # connections).
    with store.autocommit() as connection:
        view = queries.household_in(connection, household_id)
        if view is None:
            raise ProblemError(404, "household.not_found")
        if principal.household_id != household_id:
            authorized_lineage(store, principal, Permission.HOUSEHOLDS_READ, view["unit_id"], connection)
            log_reads(
                connection,
                principal,
                [(household_id, None)],
                "head_name,members.full_name,members.relationship",
                "household view",
            )
    return view


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
        if self.head_person_id in self.relationships or "head" in self.relationships.values():
            raise ValueError("the new household has one head: the others are related to them")
        return self


class HeadIn(BaseModel):
    """The new head, and every other member's relationship to them."""

    model_config = ConfigDict(extra="forbid")
    person_id: UUID
    relationships: dict[UUID, Relationship]
    on: PastDate


async def _authorize_change(store: Store, principal: Principal, household_id: UUID) -> None:
    view = await run_in_threadpool(queries.household_view, store, household_id)
    if view is None:
        raise ProblemError(404, "household.not_found")
    await authorize_at(store, principal, Permission.HOUSEHOLDS_REGISTER, view["unit_id"])


Changer = Annotated[Principal, Depends(require(Permission.HOUSEHOLDS_REGISTER))]


@router.post("/{household_id}/members", status_code=status.HTTP_201_CREATED, responses=problems(404))
async def add_member(
    household_id: UUID, body: JoinIn, request: Request, registry: Registry, store: Store, principal: Changer
) -> Created:
    """A person joins the household: born into it or moving in."""
    await _authorize_change(store, principal, household_id)
    member = _new_member(body.member)
    try:
        person_id = await run_command(
            request, registry.add_member, household_id, member, body.reason, body.on
        )
    except HeadOfHouseholdError:
        raise ProblemError(422, "household.head_count") from None
    except RepeatedConsentError:
        raise ProblemError(422, "person.consent_repeated") from None
    except ConsentError:
        raise ProblemError(422, "person.phone_needs_consent") from None
    except PersonDateError as error:
        raise ProblemError(422, f"person.{error}") from None
    except InvalidNameError:
        raise ProblemError(422, "person.invalid_name") from None
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
    await _authorize_change(store, principal, household_id)
    try:
        await run_command(request, registry.remove_member, household_id, person_id, body.reason, body.on)
    except NotAMemberError:
        raise ProblemError(404, "household.not_a_member") from None
    except HeadOfHouseholdError:
        raise ProblemError(409, "household.head_leaving") from None
    except PersonDateError as error:
        raise ProblemError(422, f"person.{error}") from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/{household_id}/head", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404))
async def change_head(
    household_id: UUID, body: HeadIn, request: Request, registry: Registry, store: Store, principal: Changer
) -> Response:
    """Make another member the head; every other member's relationship to the new head is restated."""
    await _authorize_change(store, principal, household_id)
    try:
        await run_command(
            request, registry.change_head, household_id, body.person_id, dict(body.relationships), body.on
        )
    except NotAMemberError:
        raise ProblemError(404, "household.not_a_member") from None
    except HeadOfHouseholdError:
        raise ProblemError(422, "household.relationships_restated") from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{household_id}/split", status_code=status.HTTP_201_CREATED, responses=problems(404, 409))
async def split_household(
    household_id: UUID, body: SplitIn, request: Request, registry: Registry, store: Store, principal: Changer
) -> Created:
    """Members leave to form a household of their own in the same unit (tách hộ); the old
    household keeps its head and the rest."""
    await _authorize_change(store, principal, household_id)
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
    except NotAMemberError:
        raise ProblemError(404, "household.not_a_member") from None
    except HeadOfHouseholdError:
        raise ProblemError(409, "household.head_leaving") from None
    except PersonDateError as error:
        raise ProblemError(422, f"person.{error}") from None
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
    await _authorize_change(store, principal, household_id)
    await run_command(request, registry.verify_household, household_id, body.on)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
