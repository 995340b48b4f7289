"""Export of a unit's households and members as CSV or XLSX, in the columns the import reads."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response
from fastapi.concurrency import run_in_threadpool

from tothon_registry.api.deps import Store
from tothon_registry.disclosure import Purpose
from tothon_registry.exports.sheet import columns_for, rows_of, to_csv, to_xlsx
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels import export_reads
from tothon_shared.auth.http import require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.openapi import problems
from tothon_shared.kernel.clock import today

router = APIRouter(prefix="/api/v1/exports", tags=["exports"])
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/households", responses=problems(404))
async def export_households(
    unit_id: UUID,
    purpose: Purpose,
    store: Store,
    principal: Annotated[Principal, Depends(require(RegistryPermission.HOUSEHOLDS_READ))],
    format: Annotated[Literal["csv", "xlsx"], Query(description="csv (UTF-8) or xlsx")] = "xlsx",
) -> Response:
    """The households and current members of a unit you serve (and the units below it), one row a
    person. Only the fields your role and the stated purpose show in full are exported; the
    others are left out as columns. Every person exported is a logged read."""
    export = await run_in_threadpool(export_reads.members_to_export, store, principal, unit_id, purpose)
    headers = columns_for(export.shown)
    rows, incomplete = rows_of(export.members, headers)
    content = to_csv(headers, rows) if format == "csv" else to_xlsx(headers, rows)
    filename = f"ho-gia-dinh-{today().isoformat()}.{format}"
    headers_out = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    if incomplete:
        # The note that some persons' rows lack a value that could not be read (they are logged).
        headers_out["X-Export-Incomplete-Rows"] = str(incomplete)
    return Response(content, media_type=MEDIA[format], headers=headers_out)
