"""The route an emergency's board reads beside its check-ins: the people of a unit who need help
first (elderly living alone, infants, health recorded), each read logged, each field disclosed as
the caller's role allows for emergency response."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_registry.api.deps import Store
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels import vulnerable_reads
from tothon_shared.auth.http import require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.openapi import problems
from tothon_shared.http.paging import MAX_OFFSET
from tothon_shared.kernel.clock import today

router = APIRouter(prefix="/api/v1", tags=["emergencies"])


class VulnerablePersonOut(BaseModel):
    person_id: UUID
    household_id: UUID
    household_code: str
    unit_id: UUID
    full_name: str | None
    phone: str | None
    birth_year: int | None
    kinds: list[str]
    health_status: str | None = None


@router.get("/units/{unit_id}/vulnerable-people", responses=problems(403, 404))
async def vulnerable_people(
    unit_id: UUID,
    store: Store,
    principal: Annotated[Principal, Depends(require(RegistryPermission.HOUSEHOLDS_READ))],
    limit: int = Query(default=500, ge=1, le=2000),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> list[VulnerablePersonOut]:
    """The people of a unit you serve (and the units below it) who need help first in a typhoon or
    a flood — ``elderly_alone`` (60 or more, living alone), ``infant`` (under one), ``health`` (a
    health status recorded, for those who may see it) — by unit and household code. A logged read
    of each person listed (purpose ``emergency_response``)."""
    rows = await run_in_threadpool(
        vulnerable_reads.vulnerable, store, principal, unit_id, today(), limit, offset
    )
    return [VulnerablePersonOut.model_validate(r) for r in rows]
