"""Routes for ghost residents: group leaders flag mismatches between the register and who really
lives in a household; the ward or the area police review them and, separately, change the legal
residence status. Every step is an event with its actor."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, model_validator

from tothon_registry.api.deps import Registry, Store
from tothon_registry.api.schemas import Created
from tothon_registry.domain.person_details import ResidenceStatus, residence_holds
from tothon_registry.domain.presence import Decision, FlagKind
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels import household_reads, person_reads, presence_reads
from tothon_shared.auth.http import require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.kernel.identity import PastDate
from tothon_shared.kernel.text import FreeText

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
    status: ResidenceStatus
    valid_until: date | None = None

    @model_validator(mode="after")
    def _until(self) -> ResidenceIn:
        if not residence_holds(self.status, self.valid_until):
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
    principal: Annotated[Principal, Depends(require(RegistryPermission.PRESENCE_FLAG))],
) -> Created:
    """Flag "registered but not living here" (naming the member) or "living here but not
    registered" (describing the person) for the ward and the area police to review."""
    await run_in_threadpool(
        household_reads.authorize_change,
        store,
        principal,
        body.household_id,
        RegistryPermission.PRESENCE_FLAG,
    )
    flag_id = await run_command(
        request,
        registry.raise_presence_flag,
        body.household_id,
        body.person_id,
        body.kind,
        body.observed_on,
        body.note,
    )
    return Created(id=flag_id)


@router.get("/presence-flags", responses=problems(404))
async def list_flags(
    unit_id: UUID,
    store: Store,
    principal: Annotated[Principal, Depends(require(RegistryPermission.HOUSEHOLDS_READ))],
    open_only: bool = True,
) -> list[FlagOut]:
    """The flags of a unit you serve and the units below it, oldest first; the notes only for
    those who raise or review flags. Listing them is a logged read of the persons named."""
    rows = await run_in_threadpool(presence_reads.flags, store, principal, unit_id, open_only)
    return [FlagOut.model_validate(r) for r in rows]


@router.post(
    "/presence-flags/{flag_id}/review", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404, 409)
)
async def review_flag(
    flag_id: UUID,
    body: ReviewIn,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Annotated[Principal, Depends(require(RegistryPermission.PRESENCE_REVIEW))],
) -> Response:
    """Confirm or dismiss a flag (the ward official or the area police, once)."""
    unit_lineage = await run_in_threadpool(presence_reads.reviewer_lineage, store, principal, flag_id)
    role = principal.role_for(RegistryPermission.PRESENCE_REVIEW, unit_lineage)
    assert role is not None  # authorize() found the assignment
    reviewed = await run_command(
        request, registry.review_presence_flag, flag_id, body.decision, body.note, str(role)
    )
    if not reviewed:
        # Closed instead: the reviewer learns why their decision was not recorded.
        raise ProblemError(409, "presence.person_erased")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/persons/{person_id}/residence", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404, 409)
)
async def change_residence(
    person_id: UUID,
    body: ResidenceIn,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Annotated[Principal, Depends(require(RegistryPermission.RESIDENCE_MANAGE))],
) -> Response:
    """Change a person's legal residence status (the ward official or the area police only)."""
    await run_in_threadpool(
        person_reads.authorize_change, store, principal, person_id, RegistryPermission.RESIDENCE_MANAGE
    )
    await run_command(request, registry.change_residence, person_id, body.status, body.valid_until)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
