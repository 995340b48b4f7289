"""The audit of personal-data reads: which official read which household's or person's data, when,
which fields and why — for the officials who answer for a unit (Law 91/2025: accountability)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_registry.api.deps import Store, authorize_at
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels.access_log import reads_in_units
from tothon_registry.readmodels.tables import units
from tothon_shared.auth.http import require
from tothon_shared.auth.lineage import descendants
from tothon_shared.auth.principal import Principal
from tothon_shared.http.openapi import problems

router = APIRouter(prefix="/api/v1/access-log", tags=["access log"])


class AuditedRead(BaseModel):
    """One official read of personal data."""

    read_id: int
    read_at: datetime
    reader_account_id: UUID
    reader_name: str
    household_id: UUID
    household_code: str
    person_id: UUID | None
    fields: str
    purpose: str


@router.get("", responses=problems(404))
async def list_reads(
    unit_id: UUID,
    store: Store,
    principal: Annotated[Principal, Depends(require(RegistryPermission.ACCESS_LOG_READ))],
    limit: int = Query(default=100, ge=1, le=1000),
    # Read ids are 32-bit (INTEGER on PostgreSQL): a larger one is refused, not sent to the database.
    before: int | None = Query(
        default=None, ge=1, le=2**31 - 1, description="Page: reads older than this read id."
    ),
) -> list[AuditedRead]:
    """Reads of personal data about households in a unit you answer for, or below it, newest first."""
    await authorize_at(store, principal, RegistryPermission.ACCESS_LOG_READ, unit_id)
    below = await run_in_threadpool(descendants, store, units, unit_id)
    rows = await run_in_threadpool(reads_in_units, store, below, limit, before)
    return [AuditedRead.model_validate(r) for r in rows]
