"""Routes for ghost residents: group leaders flag mismatches between the register and who really
lives in a household; the ward or the area police review them and, separately, change the legal
residence status. Every step is an event with its actor."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, model_validator
from sqlalchemy import select

from tothon_registry.api.deps import Registry, Store, authorize_at
from tothon_registry.api.schemas import Created
from tothon_registry.application import FlagNotFoundError, HouseholdNotFoundError, PersonNotFoundError
from tothon_registry.domain.person import PersonErasedError, ResidenceError
from tothon_registry.domain.presence import Decision, FlagError, FlagKind
from tothon_registry.permissions import RegistryPermission as Permission
from tothon_registry.readmodels import queries
from tothon_registry.readmodels.access_log import record_reads
from tothon_registry.readmodels.tables import presence_flags, units
from tothon_shared.auth.http import require
from tothon_shared.auth.lineage import descendants
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.kernel.identity import PastDate
from tothon_shared.kernel.text import FreeText
from tothon_shared.privacy.keys import SubjectShreddedError

router = APIRouter(prefix="/api/v1", tags=["presence"])


class FlagIn(BaseModel):
    """An observed mismatch: who (a member, for "registered but not living here"), since when, why."""

    model_config = ConfigDict(extra="forbid")
    household_id: UUID
    person_id: UUID | None = None
    kind: FlagKind
    observed_on: PastDate
    note: FreeText


class ReviewIn(BaseModel):
    """The review's decision and its reason."""

    model_config = ConfigDict(extra="forbid")
    decision: Decision
    note: FreeText


class ResidenceIn(BaseModel):
    """A new legal residence status."""

    model_config = ConfigDict(extra="forbid")
    status: Literal["permanent", "temporary", "declared_absence"]
    valid_until: date | None = None

    @model_validator(mode="after")
    def _until(self) -> ResidenceIn:
        if (self.status == "temporary") != (self.valid_until is not None):
            raise ValueError("temporary residence, and only it, has valid_until")
        return self


class FlagOut(BaseModel):
    """A flag as the officials of its unit see it."""

    flag_id: UUID
    unit_id: UUID
    household_id: UUID
    person_id: UUID | None
    kind: str
    observed_on: date
    note: str | None
    raised_at: datetime
    decision: str | None
    review_note: str | None
    reviewer_role: str | None
    reviewed_at: datetime | None


@router.post("/presence-flags", status_code=status.HTTP_201_CREATED, responses=problems(404, 409))
async def raise_flag(
    body: FlagIn,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Annotated[Principal, Depends(require(Permission.PRESENCE_FLAG))],
) -> Created:
    """Flag "registered but not living here" (naming the member) or "living here but not
    registered" (describing the person) for the ward and the area police to review."""
    household = await run_in_threadpool(queries.household_view, store, body.household_id)
    if household is None:
        raise ProblemError(404, "household.not_found")
    await authorize_at(store, principal, Permission.PRESENCE_FLAG, household["unit_id"])
    try:
        flag_id = await run_command(
            request,
            registry.raise_presence_flag,
            body.household_id,
            body.person_id,
            body.kind,
            body.observed_on,
            body.note,
        )
    except HouseholdNotFoundError:
        raise ProblemError(404, "household.not_found") from None
    except FlagError:
        raise ProblemError(422, "presence.inconsistent") from None
    except (PersonErasedError, SubjectShreddedError):
        raise ProblemError(409, "person.erased") from None
    return Created(id=flag_id)


@router.get("/presence-flags", responses=problems(404))
async def list_flags(
    unit_id: UUID,
    store: Store,
    principal: Annotated[Principal, Depends(require(Permission.HOUSEHOLDS_READ))],
    open_only: bool = True,
) -> list[FlagOut]:
    """The flags of a unit you serve and the units below it, oldest first; the notes only for
    those who raise or review flags. Listing them is a logged read of the persons named."""
    await authorize_at(store, principal, Permission.HOUSEHOLDS_READ, unit_id)
    below = await run_in_threadpool(descendants, store, units, unit_id)
    rows = await run_in_threadpool(_flags, store, below, open_only)
    handles = principal.holds(Permission.PRESENCE_FLAG) or principal.holds(Permission.PRESENCE_REVIEW)
    if not handles:
        rows = [r | {"note": None, "review_note": None} for r in rows]
    await run_in_threadpool(
        record_reads,
        store,
        principal,
        [(r["household_id"], r["person_id"]) for r in rows],
        "presence_flag" + (",note" if handles else ""),
        "residence_management",
    )
    return [FlagOut.model_validate(r) for r in rows]


def _flags(store: Any, unit_ids: list[UUID], open_only: bool) -> list[dict[str, Any]]:
    query = (
        select(presence_flags)
        .where(presence_flags.c.unit_id.in_(unit_ids))
        .order_by(presence_flags.c.raised_at)
    )
    if open_only:
        query = query.where(presence_flags.c.decision.is_(None))
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


@router.post(
    "/presence-flags/{flag_id}/review", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404, 409)
)
async def review_flag(
    flag_id: UUID,
    body: ReviewIn,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Annotated[Principal, Depends(require(Permission.PRESENCE_REVIEW))],
) -> Response:
    """Confirm or dismiss a flag (the ward official or the area police, once)."""
    rows = await run_in_threadpool(_flag_unit, store, flag_id)
    if rows is None:
        raise ProblemError(404, "presence.not_found")
    unit_lineage = await authorize_at(store, principal, Permission.PRESENCE_REVIEW, rows)
    role = principal.role_for(Permission.PRESENCE_REVIEW, unit_lineage)
    assert role is not None  # authorize() found the assignment
    try:
        reviewed = await run_command(
            request, registry.review_presence_flag, flag_id, body.decision, body.note, str(role)
        )
    except FlagNotFoundError:
        raise ProblemError(404, "presence.not_found") from None
    except FlagError:
        raise ProblemError(409, "presence.reviewed") from None
    except SubjectShreddedError:  # erased while this was being reviewed
        raise ProblemError(409, "person.erased") from None
    if not reviewed:
        # Closed instead: the reviewer learns why their decision was not recorded.
        raise ProblemError(409, "presence.person_erased")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _flag_unit(store: Any, flag_id: UUID) -> UUID | None:
    with store.engine.connect() as connection:
        unit: UUID | None = connection.scalar(
            select(presence_flags.c.unit_id).where(presence_flags.c.flag_id == flag_id)
        )
    return unit


@router.put(
    "/persons/{person_id}/residence", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404, 409)
)
async def change_residence(
    person_id: UUID,
    body: ResidenceIn,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Annotated[Principal, Depends(require(Permission.RESIDENCE_MANAGE))],
) -> Response:
    """Change a person's legal residence status (the ward official or the area police only)."""
    view = await run_in_threadpool(queries.person_view, store, person_id)
    if view is None:
        raise ProblemError(404, "person.not_found")
    await authorize_at(store, principal, Permission.RESIDENCE_MANAGE, view["unit_id"])
    try:
        await run_command(request, registry.change_residence, person_id, body.status, body.valid_until)
    except PersonNotFoundError:
        raise ProblemError(404, "person.not_found") from None
    except PersonErasedError:
        raise ProblemError(409, "person.erased") from None
    except ResidenceError:
        raise ProblemError(422, "presence.inconsistent") from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)
