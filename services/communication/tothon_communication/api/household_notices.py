"""A household's personal notices: each public step of its feedback cases, new dues, payments
recorded with their receipts — for the household itself, in its reader's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_communication.api.announcements import store_of
from tothon_communication.readmodels import household_notices as reads
from tothon_shared.auth.http import Authenticated
from tothon_shared.http.openapi import problems
from tothon_shared.http.paging import MAX_OFFSET
from tothon_shared.http.problems import ProblemError, language

router = APIRouter(prefix="/api/v1", tags=["household notices"])


class HouseholdNoticeOut(BaseModel):
    notice_id: UUID
    kind: str
    subject_id: UUID
    text: str
    at: datetime


@router.get("/households/{household_id}/notifications", responses=problems(403, 404))
async def notifications(
    household_id: UUID,
    request: Request,
    principal: Authenticated,
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> list[HouseholdNoticeOut]:
    """The household's personal notices, newest first (the household's own only)."""
    if principal.household_id != household_id:
        raise ProblemError(403, "communication.outbound.not_your_household")
    rows: list[dict[str, Any]] = await run_in_threadpool(
        reads.of_household, store_of(request), household_id, language(request), limit, offset
    )
    return [HouseholdNoticeOut.model_validate(r) for r in rows]
