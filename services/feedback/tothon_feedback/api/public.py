"""What anyone may read without signing in: the categories, the resolved cases of a unit without
personal data, and a unit's statistics for a period."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_feedback.api.schemas import CategoryOut, PublicCaseOut
from tothon_feedback.readmodels import queries
from tothon_feedback.readmodels.statistics import figures
from tothon_feedback.readmodels.tables import DIRECTORY
from tothon_shared.http.openapi import problems
from tothon_shared.http.paging import MAX_OFFSET
from tothon_shared.http.problems import ProblemError

router = APIRouter(prefix="/api/v1/feedback/public", tags=["feedback public"])
Month = Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


@router.get("/categories")
async def list_categories(request: Request) -> list[CategoryOut]:
    """The categories in use, with the level that handles each; complaints and denunciations are
    listed so that the page can send them to their procedure."""
    catalogue = await run_in_threadpool(request.app.state.runtime.app.catalogue)
    return [
        CategoryOut(
            code=c.code,
            name_vi=c.name_vi,
            name_en=c.name_en,
            level=c.level.value,
            formal_procedure=c.formal_procedure,
        )
        for c in catalogue.active_categories()
    ]


class PublicUnitOut(BaseModel):
    """A unit in force, as anyone may know it: its id, name, kind and the unit above it."""

    unit_id: UUID
    name: str
    kind: str
    parent_id: UUID | None


@router.get("/units")
async def list_public_units(request: Request) -> list[PublicUnitOut]:
    """The units in force (public facts), for choosing whose outcomes and figures to see."""
    rows = await run_in_threadpool(DIRECTORY.list_units, request.app.state.runtime.store)
    return [PublicUnitOut.model_validate(r) for r in rows]


@router.get("/outcomes", responses=problems(422))
async def public_outcomes(
    request: Request,
    unit_id: UUID,
    category: Annotated[str | None, Query(max_length=60)] = None,
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> list[PublicCaseOut]:
    """The resolved cases of a unit and the units below it, the latest first: the category, the
    unit, the dates, the public answer with its evidence and the rating."""
    store = request.app.state.runtime.store
    rows = await run_in_threadpool(queries.public_outcomes, store, unit_id, category, limit, offset)
    return [PublicCaseOut.model_validate(r) for r in rows]


@router.get("/statistics", responses=problems(422))
async def statistics(
    request: Request,
    unit_id: UUID,
    first: Month | None = None,
    last: Month | None = None,
) -> dict[str, Any]:
    """A unit's figures (with the units below it) month by month from ``first`` to ``last``
    (this year by default): received, handled at the group without escalation, resolved and on
    time, late, escalated, reopened, rejected, merged, confirmed by the resident, and the mean
    rating."""
    year = date.today().year
    first, last = first or f"{year}-01", last or f"{year}-12"
    if first > last:
        raise ProblemError(422, "feedback.statistics.period")
    store = request.app.state.runtime.store
    return await run_in_threadpool(figures, store, unit_id, first, last)
