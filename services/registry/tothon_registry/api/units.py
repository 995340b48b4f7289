"""Routes for administrative units, residential groups and villages."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, status
from fastapi.concurrency import run_in_threadpool

from tothon_registry.api.deps import Registry, Store
from tothon_registry.api.schemas import Created, UnitIn, UnitOut
from tothon_registry.application import UnitNotFoundError
from tothon_registry.domain.unit import UnitKind
from tothon_registry.readmodels import queries
from tothon_shared.auth.http import authorize, require
from tothon_shared.auth.principal import Principal
from tothon_shared.auth.roles import Permission, Role
from tothon_shared.commands import run_command
from tothon_shared.problems import ProblemError

router = APIRouter(prefix="/api/v1/units", tags=["units"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def establish_unit(
    body: UnitIn,
    request: Request,
    registry: Registry,
    principal: Annotated[Principal, Depends(require(Permission.UNITS_MANAGE))],
) -> Created:
    """Establish a unit, residential group or village under a unit you manage."""
    try:
        if body.parent_id is None:
            # A new top-level unit (a province) is for the city's IT administrators only.
            if not any(g.role is Role.CITY_IT_ADMIN for g in principal.grants):
                raise ProblemError(403, "auth.forbidden")
        else:
            lineage = await run_in_threadpool(registry.lineage, body.parent_id)
            authorize(principal, Permission.UNITS_MANAGE, lineage)
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


@router.get("", dependencies=[Depends(require(Permission.UNITS_READ))])
async def list_units(store: Store, parent_id: UUID | None = None) -> list[UnitOut]:
    """List units (public facts), optionally the children of one unit."""
    rows = await run_in_threadpool(queries.list_units, store, parent_id)
    return [UnitOut.model_validate(r) for r in rows]
