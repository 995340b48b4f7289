"""Routes for administrative units, residential groups and villages."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, status
from fastapi.concurrency import run_in_threadpool

from tothon_registry.api.deps import Registry, Store
from tothon_registry.api.schemas import Created, UnitIn, UnitOut
from tothon_registry.application import UnitNotFoundError
from tothon_registry.domain.unit import UnitKind
from tothon_registry.readmodels import queries
from tothon_shared.commands import run_command
from tothon_shared.problems import ProblemError

router = APIRouter(prefix="/api/v1/units", tags=["units"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def establish_unit(body: UnitIn, request: Request, registry: Registry) -> Created:
    """Establish a unit, residential group or village."""
    try:
        unit_id = await run_command(
            request,
            registry.establish_unit,
            UnitKind(body.kind),
            body.name,
            body.code,
            body.code_scheme,
            body.parent_id,
            body.effective_from,
        )
    except UnitNotFoundError:
        raise ProblemError(422, "unit.not_found") from None
    return Created(id=unit_id)


@router.get("")
async def list_units(store: Store, parent_id: UUID | None = None) -> list[UnitOut]:
    """List units, optionally the children of one unit."""
    rows = await run_in_threadpool(queries.list_units, store, parent_id)
    return [UnitOut.model_validate(r) for r in rows]
