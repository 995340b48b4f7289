"""Routes for bulk import: upload a commune's spreadsheet (CSV or XLSX) as the request body, then
follow the job's progress; every row is checked and its errors reported by row number. The
template to fill in, and the columns it reads, come from the same column definitions."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from tothon_registry.api.deps import Registry, Store, authorize_at
from tothon_registry.application import UnitNotFoundError
from tothon_registry.imports import job as jobs
from tothon_registry.imports.columns import COLUMNS
from tothon_registry.imports.households import plan
from tothon_registry.imports.sheet import SheetError, read_sheet
from tothon_registry.imports.template import template
from tothon_registry.messages import text
from tothon_registry.permissions import RegistryPermission
from tothon_shared.auth.http import require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError

router = APIRouter(prefix="/api/v1/imports", tags=["imports"])
Importer = Annotated[Principal, Depends(require(RegistryPermission.HOUSEHOLDS_REGISTER))]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RowError(BaseModel):
    """A row's problem (or, among the notes, a value dropped or put right), in Vietnamese and in
    English, starting with its row number and naming the column as the sheet does."""

    row: int
    message: str
    message_en: str | None = None
    column: str | None = Field(default=None, description="The column's header, if one cell is at fault.")
    code: str | None = Field(default=None, description="The message's key.")


class ColumnOut(BaseModel):
    """A column the import reads."""

    header: str
    english: str
    required: bool
    note_vi: str
    note_en: str
    example: str


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
    errors: list[RowError] = Field(description="Problems that left a household out.")
    notes: list[RowError] = Field(description="Values dropped or put right in rows that were imported.")
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
    or village you serve; households with a wrong row are left out whole, wrong optional values
    dropped with a note. Answers at once with the job; follow it at ``GET /imports/{id}``."""
    await authorize_at(store, principal, RegistryPermission.HOUSEHOLDS_REGISTER, unit_id)
    try:
        if not (await run_in_threadpool(registry.get_unit, unit_id)).kind.holds_households:
            raise ProblemError(422, "unit.not_residential")
    except UnitNotFoundError:
        raise ProblemError(404, "unit.not_found") from None
    content = await request.body()
    try:
        sheet = await run_in_threadpool(read_sheet, content, filename)
    except SheetError as error:
        raise _unreadable(error) from None
    planned = await run_in_threadpool(plan, sheet)
    import_id = uuid4()
    await run_in_threadpool(
        jobs.start, store, import_id, unit_id, filename, principal.account_id, planned, len(sheet.rows)
    )
    task = asyncio.create_task(
        asyncio.to_thread(jobs.run, registry, store, import_id, unit_id, principal.account_id, planned)
    )
    # Keep a reference until it ends (a task only weakly referenced may be collected).
    running: set[asyncio.Task[Any]] = request.app.state.__dict__.setdefault("imports_running", set())
    running.add(task)
    task.add_done_callback(running.discard)
    return await _job(store, principal, import_id)


@router.get("/columns")
async def list_columns(principal: Importer) -> list[ColumnOut]:
    """The columns an import reads, what each holds and whether a row needs it."""
    return [ColumnOut.model_validate(column, from_attributes=True) for column in COLUMNS]


@router.get("/template", response_class=Response, responses={200: {"content": {XLSX: {}}}})
async def get_template(principal: Importer) -> Response:
    """The spreadsheet to fill in: the columns with notes in Vietnamese, and an example row."""
    return Response(
        await run_in_threadpool(template),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="mau-nhap-ho-gia-dinh.xlsx"'},
    )


@router.get("/{import_id}", responses=problems(404))
async def get_import(import_id: UUID, store: Store, principal: Importer) -> ImportOut:
    """An import's progress, counts and row errors."""
    return await _job(store, principal, import_id)


def _unreadable(error: SheetError) -> ProblemError:
    extra: dict[str, Any] = {}
    if error.missing:
        extra["missing"] = list(error.missing)
    if error.row is not None:
        extra["errors"] = [
            {
                "row": error.row,
                "message": f"Dòng {error.row}: {text(error.key, 'vi')}",
                "message_en": f"Row {error.row}: {text(error.key, 'en')}",
            }
        ]
    return ProblemError(422, error.key, **extra)


async def _job(store: Store, principal: Principal, import_id: UUID) -> ImportOut:
    found = await run_in_threadpool(jobs.job, store, import_id)
    if found is None:
        raise ProblemError(404, "import.not_found")
    await authorize_at(store, principal, RegistryPermission.HOUSEHOLDS_REGISTER, found["unit_id"])
    return ImportOut.model_validate(found)
