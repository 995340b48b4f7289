"""Routes for corrections (maker-checker): residents and group leaders propose, ward officials
approve or reject with a reason, and a person's history shows both steps."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tothon_registry.api.deps import Registry, Store
from tothon_registry.api.schemas import Created
from tothon_registry.domain.person_details import OLDEST_BIRTH_YEAR, TEXT_LIMITS, PovertyStatus, Sex
from tothon_registry.intake import NameText
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels import correction_reads
from tothon_shared.auth.http import Authenticated, authorize, require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.kernel.clock import today
from tothon_shared.kernel.identity import CitizenId, PastDate
from tothon_shared.kernel.text import FreeText, ShortText

router = APIRouter(prefix="/api/v1", tags=["corrections"])


class Changes(BaseModel):
    """The corrected values (only those that change)."""

    model_config = ConfigDict(extra="forbid")
    full_name: NameText | None = None
    sex: Sex | None = None
    birth_date: PastDate | None = None
    birth_year: int | None = Field(default=None, ge=OLDEST_BIRTH_YEAR, le=9999)
    citizen_id: CitizenId | None = None
    ethnicity: Annotated[ShortText, Field(max_length=TEXT_LIMITS["ethnicity"])] | None = None
    religion: Annotated[ShortText, Field(max_length=TEXT_LIMITS["religion"])] | None = None
    occupation: Annotated[ShortText, Field(max_length=TEXT_LIMITS["occupation"])] | None = None
    health_status: ShortText | None = None
    poverty_status: PovertyStatus | None = None

    @model_validator(mode="after")
    def _not_ahead(self) -> Changes:
        if self.birth_year is not None and self.birth_year > today().year:
            raise ValueError("birth_year must not be in the future")
        return self


class ProposalIn(BaseModel):
    """A proposed correction and why."""

    model_config = ConfigDict(extra="forbid")
    changes: Changes
    reason: FreeText


class DecisionIn(BaseModel):
    """A ward official's decision and its reason."""

    model_config = ConfigDict(extra="forbid")
    approve: bool
    reason: FreeText


class CorrectionOut(BaseModel):
    """A correction with both steps."""

    correction_id: UUID
    person_id: UUID
    full_name: str | None = Field(default=None, description="The person's current name (None once erased).")
    household_id: UUID
    changes: dict[str, Any] | None
    reason: str | None
    proposer_role: str
    proposed_at: datetime
    decision: str | None
    decision_reason: str | None
    decided_at: datetime | None


@router.post(
    "/persons/{person_id}/corrections", status_code=status.HTTP_201_CREATED, responses=problems(403, 404, 409)
)
async def propose(
    person_id: UUID,
    body: ProposalIn,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Authenticated,
) -> Created:
    """Propose a correction: residents for their own household, group leaders and ward officials
    in their units."""
    role = await run_in_threadpool(correction_reads.proposer_role, store, principal, person_id)
    changes = body.changes.model_dump(exclude_none=True)
    correction_id = await run_command(
        request, registry.propose_correction, person_id, changes, body.reason, role
    )
    return Created(id=correction_id)


@router.get("/corrections", responses=problems(404))
async def list_pending(
    unit_id: UUID,
    store: Store,
    principal: Annotated[Principal, Depends(require(RegistryPermission.HOUSEHOLDS_READ))],
    pending_only: bool = True,
) -> list[CorrectionOut]:
    """Corrections of persons in a unit you serve (and below it), oldest first; a logged read."""
    rows = await run_in_threadpool(correction_reads.of_unit, store, principal, unit_id, pending_only)
    return [CorrectionOut.model_validate(r) for r in rows]


@router.get("/persons/{person_id}/corrections", responses=problems(403, 404))
async def person_history(person_id: UUID, store: Store, principal: Authenticated) -> list[CorrectionOut]:
    """A person's corrections, proposed and decided: residents for their own household, officials
    in their units."""
    rows = await run_in_threadpool(correction_reads.of_person, store, principal, person_id)
    return [CorrectionOut.model_validate(r) for r in rows]


@router.post(
    "/corrections/{correction_id}/decision",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(404, 409),
)
async def decide(
    correction_id: UUID,
    body: DecisionIn,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Annotated[Principal, Depends(require(RegistryPermission.CORRECTIONS_DECIDE))],
) -> Response:
    """Approve (the details change at once) or reject a correction, with a reason; once."""
    # From the aggregates, not the read model: a decision may follow its proposal at once.
    unit = await run_in_threadpool(registry.unit_of_correction, correction_id)
    authorize(
        principal, RegistryPermission.CORRECTIONS_DECIDE, await run_in_threadpool(registry.lineage, unit)
    )
    decided = await run_command(request, registry.decide_correction, correction_id, body.approve, body.reason)
    if not decided:
        # Closed instead: the official learns why their decision was not applied.
        raise ProblemError(409, "correction.person_erased")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
