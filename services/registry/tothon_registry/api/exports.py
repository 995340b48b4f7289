"""Export of a unit's households and members as CSV or XLSX, in the columns the import reads."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select

from tothon_registry.api.deps import Store, authorize_at
from tothon_registry.disclosure import Disclosure, Purpose, disclosure_for
from tothon_registry.exports.sheet import columns_for, rows_of, to_csv, to_xlsx
from tothon_registry.permissions import RegistryPermission as Permission
from tothon_registry.readmodels.access_log import record_reads
from tothon_registry.readmodels.tables import household_members, households, persons, units
from tothon_shared.auth.http import require
from tothon_shared.auth.lineage import descendants
from tothon_shared.auth.principal import Principal
from tothon_shared.http.openapi import problems
from tothon_shared.kernel.clock import today
from tothon_shared.readstore.store import ReadStore

router = APIRouter(prefix="/api/v1/exports", tags=["exports"])
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _members(store: ReadStore, unit_ids: list[UUID]) -> list[dict[str, Any]]:
    """Current members (not left, not erased) of the households of ``unit_ids``, household by
    household in code order, members in the order they were registered."""
    query = (
        select(persons, households.c.code)
        .join(households, households.c.household_id == persons.c.household_id)
        .join(
            household_members,
            (household_members.c.household_id == persons.c.household_id)
            & (household_members.c.person_id == persons.c.person_id),
        )
        .where(households.c.unit_id.in_(unit_ids), persons.c.left_on.is_(None), persons.c.erased_on.is_(None))
        .order_by(households.c.code, household_members.c.position)
    )
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


@router.get("/households", responses=problems(404))
async def export_households(
    unit_id: UUID,
    purpose: Purpose,
    store: Store,
    principal: Annotated[Principal, Depends(require(Permission.HOUSEHOLDS_READ))],
    format: Annotated[Literal["csv", "xlsx"], Query(description="csv (UTF-8) or xlsx")] = "xlsx",
) -> Response:
    """The households and current members of a unit you serve (and the units below it), one row a
    person. Only the fields your role and the stated purpose show in full are exported; the
    others are left out as columns. Every person exported is a logged read."""
    unit_lineage = await authorize_at(store, principal, Permission.HOUSEHOLDS_READ, unit_id)
    shown = [
        f for f, level in disclosure_for(principal, unit_lineage, purpose).items() if level is Disclosure.FULL
    ]
    headers = columns_for(shown)
    below = await run_in_threadpool(descendants, store, units, unit_id)
    members = await run_in_threadpool(_members, store, below)
    # Logged before the file leaves, as every read of personal data is.
    targets = [(m["household_id"], m["person_id"]) for m in members]
    await run_in_threadpool(record_reads, store, principal, targets, ",".join(shown) + ",export", purpose)
    rows, incomplete = rows_of(members, headers)
    content = to_csv(headers, rows) if format == "csv" else to_xlsx(headers, rows)
    filename = f"ho-gia-dinh-{today().isoformat()}.{format}"
    headers_out = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    if incomplete:
        # The note that some persons' rows lack a value that could not be read (they are logged).
        headers_out["X-Export-Incomplete-Rows"] = str(incomplete)
    return Response(content, media_type=MEDIA[format], headers=headers_out)
