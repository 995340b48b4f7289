"""The data-quality worklist of a unit: what to put right, and the scores (đúng, đủ, sạch, sống)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_registry.api.deps import Store, authorize_at
from tothon_registry.quality.rules import STALE_AFTER_MONTHS
from tothon_registry.quality.worklist import worklist
from tothon_registry.readmodels.access_log import record_reads
from tothon_registry.readmodels.tables import units
from tothon_shared.auth.http import require
from tothon_shared.auth.lineage import descendants
from tothon_shared.auth.principal import Principal
from tothon_shared.auth.roles import Permission
from tothon_shared.clock import today
from tothon_shared.openapi import problems

router = APIRouter(prefix="/api/v1/quality", tags=["data quality"])


class FindingOut(BaseModel):
    """One thing to put right."""

    code: str
    dimension: str
    person_id: UUID | None
    full_name: str | None
    household_id: UUID
    household_code: str


class HouseholdScore(BaseModel):
    """A household with findings, and its scores."""

    household_id: UUID
    household_code: str
    scores: dict[str, float]


class Worklist(BaseModel):
    """A unit's scores and findings."""

    people: int
    households: int
    scores: dict[str, float]
    household_scores: list[HouseholdScore]
    findings: list[FindingOut]


@router.get("", responses=problems(404))
async def get_worklist(
    unit_id: UUID,
    store: Store,
    principal: Annotated[Principal, Depends(require(Permission.HOUSEHOLDS_READ))],
    stale_after_months: Annotated[
        int, Query(ge=1, le=120, description="Months without a check after which a household is stale.")
    ] = STALE_AFTER_MONTHS,
) -> Worklist:
    """The findings of a unit you serve (and the units below it), household by household, and its
    scores per dimension: the share of people without a finding. Listing names is a logged read."""
    await authorize_at(store, principal, Permission.HOUSEHOLDS_READ, unit_id)
    below = await run_in_threadpool(descendants, store, units, unit_id)
    result = await run_in_threadpool(worklist, store, below, today(), stale_after_months)
    await run_in_threadpool(
        record_reads,
        store,
        principal,
        {(f["household_id"], f["person_id"]) for f in result["findings"] if f["person_id"]},
        "full_name,findings",
        "data_quality",
    )
    return Worklist.model_validate(result)
