"""What a resident may see about their own record: who among the officials read it."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_registry.api.deps import Store
from tothon_registry.readmodels.access_log import reads_of
from tothon_shared.auth.http import Authenticated

router = APIRouter(prefix="/api/v1/me", tags=["me"])


class ReadOut(BaseModel):
    """One read of your household's data by an official."""

    reader_name: str
    person_id: UUID | None
    fields: str
    purpose: str
    read_at: datetime


@router.get("/data-reads")
async def list_my_data_reads(principal: Authenticated, store: Store) -> list[ReadOut]:
    """Who viewed your household's data, when, which fields and why (newest first)."""
    if principal.household_id is None:
        return []
    rows = await run_in_threadpool(reads_of, store, principal.household_id)
    return [ReadOut.model_validate(r) for r in rows]
