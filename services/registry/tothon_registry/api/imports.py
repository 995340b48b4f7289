"""Routes for bulk import: upload a commune's spreadsheet (CSV or XLSX) as the request body, then
follow the job's progress; every row is checked and its errors reported by row number."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_registry.api.deps import Registry, Store, authorize_at
from tothon_registry.application import UnitNotFoundError
from tothon_registry.imports import job as jobs
from tothon_registry.imports.households import plan
from tothon_registry.imports.sheet import SheetError, read_rows
from tothon_shared.auth.http import require
from tothon_shared.auth.principal import Principal
from tothon_shared.auth.roles import Permission
from tothon_shared.openapi import problems
from tothon_shared.problems import ProblemError

router = APIRouter(prefix="/api/v1/imports", tags=["imports"])
Importer = Annotated[Principal, Depends(require(Permission.HOUSEHOLDS_REGISTER))]


class RowError(BaseModel):
    """A row's problem, in Vietnamese, starting with its row number."""

    row: int
    message: str


class ImportOut(BaseModel):
    """An import and how far it has got."""

    import_id: UUID
    unit_id: UUID
    filename: str
    status: str
    total_rows: int
    processed_rows: int
    households_created: int
    households_unchanged: int
    households_refused: int
    errors: list[RowError]
    started_at: datetime
    finished_at: datetime | None


@router.post("", status_code=status.HTTP_202_ACCEPTED, responses=problems(404))
async def start_import(
    request: Request,
    registry: Registry,
    store: Store,
    principal: Importer,
    unit_id: UUID,
    filename: Annotated[str, Query(min_length=5, max_length=200, pattern=r"(?i)\.(csv|xlsx)$")],
) -> ImportOut:
    """Check a spreadsheet (the request body) and register its households in a residential group
    or village you serve; households with a bad row are left out whole. Answers at once with the
    job; follow it at ``GET /imports/{id}``."""
    await authorize_at(store, principal, Permission.HOUSEHOLDS_REGISTER, unit_id)
    try:
        if not (await run_in_threadpool(registry.get_unit, unit_id)).kind.holds_households:
            raise ProblemError(422, "unit.not_residential")
    except UnitNotFoundError:
        raise ProblemError(404, "unit.not_found") from None
    content = await request.body()
    try:
        rows = await run_in_threadpool(read_rows, content, filename)
    except SheetError as error:
        raise ProblemError(422, "import.unreadable", reason=str(error)) from None
    planned = await run_in_threadpool(plan, rows)
    import_id = uuid4()
    await run_in_threadpool(
        jobs.start, store, import_id, unit_id, filename, principal.account_id, planned, len(rows)
    )
    task = asyncio.create_task(
        asyncio.to_thread(jobs.run, registry, store, import_id, unit_id, principal.account_id, planned)
    )
    # Keep a reference until it ends (a task only weakly referenced may be collected).
    running: set[asyncio.Task[Any]] = request.app.state.__dict__.setdefault("imports_running", set())
    running.add(task)
    task.add_done_callback(running.discard)
    return await _job(store, principal, import_id)


@router.get("/{import_id}", responses=problems(404))
async def get_import(import_id: UUID, store: Store, principal: Importer) -> ImportOut:
    """An import's progress, counts and row errors."""
    return await _job(store, principal, import_id)


async def _job(store: Store, principal: Principal, import_id: UUID) -> ImportOut:
    found = await run_in_threadpool(jobs.job, store, import_id)
    if found is None:
        raise ProblemError(404, "import.not_found")
    await authorize_at(store, principal, Permission.HOUSEHOLDS_REGISTER, found["unit_id"])
    return ImportOut.model_validate(found)
