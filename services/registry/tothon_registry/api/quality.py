"""The data-quality worklist of a unit: what to put right, and the scores (đúng, đủ, sạch, sống)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_registry.api.deps import Store, authorize_at
from tothon_registry.permissions import RegistryPermission
from tothon_registry.quality.rules import STALE_AFTER_MONTHS, Rule, Severity
from tothon_registry.quality.worklist import Selection, worklist
from tothon_registry.readmodels.access_log import record_reads
from tothon_registry.readmodels.tables import units
from tothon_shared.auth.http import require
from tothon_shared.auth.lineage import descendants, lineage
from tothon_shared.auth.principal import Principal, covers
from tothon_shared.http.openapi import problems
from tothon_shared.kernel.clock import today
from tothon_shared.readstore.store import ReadStore

router = APIRouter(prefix="/api/v1/quality", tags=["data quality"])


class Twin(BaseModel):
    """Another record of the same person, in a unit the official serves."""

    person_id: UUID
    full_name: str | None
    household_id: UUID
    household_code: str
    unit_id: UUID
    unit_name: str | None


class ImportSummary(BaseModel):
    """A rule that flags (nearly) every record of one import, counted once."""

    import_id: UUID
    filename: str | None
    count: int


class FindingOut(BaseModel):
    """One thing to put right, or one rule's findings in an import summed up."""

    code: Rule
    dimension: str
    severity: Severity
    person_id: UUID | None
    full_name: str | None
    household_id: UUID | None
    household_code: str | None
    unit_id: UUID
    twins: list[Twin]
    summary: ImportSummary | None


class Scores(BaseModel):
    """Per dimension, the share of people without a finding about them, and of households
    without a finding about the household: each counted among its own kind."""

    persons: dict[str, float]
    households: dict[str, float]


class UnitScores(BaseModel):
    """A unit holding households, and its scores."""

    unit_id: UUID
    name: str
    people: int
    households: int
    scores: Scores


class Worklist(BaseModel):
    """A unit's scores (and those of each unit below it) and a page of its findings."""

    people: int
    households: int
    scores: Scores
    units: list[UnitScores]
    total: int
    limit: int
    offset: int
    findings: list[FindingOut]


@router.get("", responses=problems(404))
async def get_worklist(
    unit_id: UUID,
    store: Store,
    principal: Annotated[Principal, Depends(require(RegistryPermission.HOUSEHOLDS_READ))],
    stale_after_months: Annotated[
        int, Query(ge=1, le=120, description="Months without a check after which a household is stale.")
    ] = STALE_AFTER_MONTHS,
    rule: Annotated[list[Rule] | None, Query(max_length=len(Rule), description="Only these rules.")] = None,
    severity: Annotated[
        list[Severity] | None, Query(max_length=len(Severity), description="Only these severities.")
    ] = None,
    import_id: Annotated[
        UUID | None, Query(description="List this import's findings one by one instead of summed up.")
    ] = None,
    limit: Annotated[int, Query(ge=0, le=200, description="0: the scores and the total only.")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Worklist:
    """The findings of a unit you serve (and the units below it), a page at a time, and its
    scores per dimension. A rule that flags nearly every record of an import is one line with a
    count; a duplicate whose twin is in a unit you do not serve is "possible duplicate
    elsewhere". The names a page shows are a logged read."""
    await authorize_at(store, principal, RegistryPermission.HOUSEHOLDS_READ, unit_id)
    below = await run_in_threadpool(descendants, store, units, unit_id)
    selection = Selection(
        frozenset(rule) if rule else None,
        frozenset(severity) if severity else None,
        import_id,
        limit,
        offset,
        stale_after_months,
    )
    result, shown = await run_in_threadpool(
        worklist, store, below, today(), _serves(store, principal), selection
    )
    await run_in_threadpool(record_reads, store, principal, shown, "full_name,findings", "data_quality")
    return Worklist.model_validate(result)


def _serves(store: ReadStore, principal: Principal) -> Callable[[UUID], bool]:
    """Whether ``principal`` may read the households of a unit (asked once a unit)."""
    scopes = principal.units_with(RegistryPermission.HOUSEHOLDS_READ)

    @cache
    def serves(unit: UUID) -> bool:
        return covers(scopes, lineage(store, units, unit))

    return serves
