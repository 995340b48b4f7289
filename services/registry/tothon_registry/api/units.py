"""Routes for administrative units, residential groups and villages, and their reorganisation."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.concurrency import run_in_threadpool

from tothon_registry.api.deps import Registry, Store
from tothon_registry.api.errors import UNIT_IN_PATH
from tothon_registry.api.schemas import (
    Created,
    MergeIn,
    MoveIn,
    NewUnitIn,
    RenameIn,
    SplitIn,
    SplitOut,
    UnitByCode,
    UnitDetail,
    UnitIn,
    UnitOut,
)
from tothon_registry.application import NewUnit
from tothon_registry.domain.unit import UnitKind
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels import unit_queries
from tothon_shared.auth.http import authorize, require
from tothon_shared.auth.principal import Principal, covers
from tothon_shared.auth.roles import Role
from tothon_shared.http.commands import run_command
from tothon_shared.http.error_map import overriding
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.kernel.clock import today

router = APIRouter(prefix="/api/v1/units", tags=["units"])
Manager = Annotated[Principal, Depends(require(RegistryPermission.UNITS_MANAGE))]


async def _may_manage(registry: Registry, principal: Principal, unit_id: UUID, kind: str) -> None:
    """Ward officials keep their groups and villages; administrative units (the national list)
    are changed by the city's IT administrators only. Checked against the units as recorded (not
    the read model), so a unit established a moment ago can be used at once."""
    chain = await run_in_threadpool(registry.lineage, unit_id)
    authorize(principal, RegistryPermission.UNITS_MANAGE, chain)
    if not UnitKind(kind).holds_households:
        admin_scopes = [g.unit_id for g in principal.grants if g.role is Role.CITY_IT_ADMIN]
        if not covers(admin_scopes, chain):
            raise ProblemError(403, "unit.administrative")


async def _kind_of(registry: Registry, unit_id: UUID) -> str:
    with overriding(UNIT_IN_PATH):
        unit = await run_in_threadpool(registry.get_unit, unit_id)
    return str(unit.kind)


@router.post("", status_code=status.HTTP_201_CREATED)
async def establish_unit(
    body: UnitIn, request: Request, registry: Registry, store: Store, principal: Manager
) -> Created:
    """Establish a unit, residential group or village under a unit you manage."""
    if body.parent_id is None:
        # A new top-level unit (a province) is for the city's IT administrators only.
        if not any(g.role is Role.CITY_IT_ADMIN for g in principal.grants):
            raise ProblemError(403, "auth.forbidden")
    else:
        await _may_manage(registry, principal, body.parent_id, body.kind)
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
    return Created(id=unit_id)


@router.get("")
async def list_units(
    store: Store,
    principal: Annotated[Principal, Depends(require(RegistryPermission.UNITS_READ))],
    parent_id: UUID | None = None,
    as_of: Annotated[
        date | None, Query(description="The day to see units as they were; today if not given.")
    ] = None,
    serving: Annotated[
        RegistryPermission | None,
        Query(
            description="Only the units where you hold this permission: the units you were appointed"
            " to and those below them (what a screen offers you to work on)."
        ),
    ] = None,
) -> list[UnitOut]:
    """Units in force on a day (public facts) with their names and parents of that day, optionally
    only the children of one unit, or only those you serve for a permission."""
    rows = await run_in_threadpool(unit_queries.units_as_of, store, as_of or today(), parent_id)
    if serving is not None:
        rows = await run_in_threadpool(unit_queries.within, store, rows, principal.units_with(serving))
    return [UnitOut.model_validate(r) for r in rows]


@router.get(
    "/by-code", dependencies=[Depends(require(RegistryPermission.UNITS_READ))], responses=problems(404)
)
async def units_by_code(
    store: Store,
    code: Annotated[str, Query(pattern=r"^[0-9A-Za-z-]{1,20}$")],
    scheme: Annotated[str | None, Query(max_length=40)] = None,
    as_of: date | None = None,
) -> list[UnitByCode]:
    """The units that carried an official code (codes are reused across reforms: give the scheme
    or a date), each with the unit in force it resolves to."""
    rows = await run_in_threadpool(unit_queries.units_by_code, store, code, scheme, as_of)
    if not rows:
        raise ProblemError(404, "unit.code_unknown")
    return [UnitByCode.model_validate(r) for r in rows]


@router.get(
    "/{unit_id}", dependencies=[Depends(require(RegistryPermission.UNITS_READ))], responses=problems(404)
)
async def unit_detail(unit_id: UUID, store: Store) -> UnitDetail:
    """A unit with its names and parents over time, what it became or came from, and the unit in
    force it resolves to."""
    detail = await run_in_threadpool(unit_queries.unit_detail, store, unit_id)
    if detail is None:
        raise ProblemError(404, "unit.not_found")
    return UnitDetail.model_validate(detail)


@router.post("/{unit_id}/rename", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404))
async def rename_unit(
    unit_id: UUID, body: RenameIn, request: Request, registry: Registry, store: Store, principal: Manager
) -> None:
    """Give a unit a new name from a date; its code and history stay."""
    await _may_manage(registry, principal, unit_id, await _kind_of(registry, unit_id))
    await run_command(request, registry.rename_unit, unit_id, body.name, body.effective_from)


@router.post("/{unit_id}/move", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404))
async def move_unit(
    unit_id: UUID, body: MoveIn, request: Request, registry: Registry, store: Store, principal: Manager
) -> None:
    """Hand a unit to another parent from a date (both must be yours to manage)."""
    kind = await _kind_of(registry, unit_id)
    await _may_manage(registry, principal, unit_id, kind)
    await _may_manage(registry, principal, body.parent_id, kind)
    await run_command(request, registry.move_unit, unit_id, body.parent_id, body.effective_from)


def _new_unit(spec: NewUnitIn, default_parent: UUID | None) -> NewUnit:
    parent = spec.parent_id or default_parent
    return NewUnit(UnitKind(spec.kind), spec.name, spec.code, spec.code_scheme, parent)


@router.post("/merge", status_code=status.HTTP_201_CREATED, responses=problems(404))
async def merge_units(
    body: MergeIn, request: Request, registry: Registry, store: Store, principal: Manager
) -> Created:
    """Merge units from a date into an existing unit (which carries on) or a new one. Their groups
    and households move to it; their history stays reachable from it."""
    first = await run_in_threadpool(registry.get_unit, body.unit_ids[0])
    for unit_id in body.unit_ids:
        await _may_manage(registry, principal, unit_id, await _kind_of(registry, unit_id))
    target: UUID | NewUnit
    if body.into is not None:
        target = _new_unit(body.into, first.parent_id)
        if target.parent_id is not None:
            await _may_manage(registry, principal, target.parent_id, body.into.kind)
    else:
        assert body.into_id is not None  # one of the two, checked by the schema
        target = body.into_id
        await _may_manage(registry, principal, target, await _kind_of(registry, target))
    merged = [u for u in body.unit_ids if u != target]
    plan = dict.fromkeys(await run_in_threadpool(unit_queries.contents, store, merged), 0)
    unit_id = await run_command(
        request, registry.merge_units, body.unit_ids, target, plan, body.effective_from
    )
    return Created(id=unit_id)


@router.post("/{unit_id}/split", status_code=status.HTTP_201_CREATED, responses=problems(404))
async def split_unit(
    unit_id: UUID, body: SplitIn, request: Request, registry: Registry, store: Store, principal: Manager
) -> SplitOut:
    """Split a unit from a date into new units; each of its groups and households goes to the part
    ``assignments`` names, or to the first part."""
    with overriding(UNIT_IN_PATH):
        unit = await run_in_threadpool(registry.get_unit, unit_id)
    await _may_manage(registry, principal, unit_id, unit.kind)
    parts = [_new_unit(part, unit.parent_id) for part in body.parts]
    for part in parts:
        if part.parent_id is not None:
            await _may_manage(registry, principal, part.parent_id, part.kind)
    held = await run_in_threadpool(unit_queries.contents, store, [unit_id])
    if not set(body.assignments) <= set(held):
        raise ProblemError(422, "unit.assignment_invalid")
    plan = {item: body.assignments.get(item, 0) for item in held}
    ids = await run_command(request, registry.split_unit, unit_id, parts, plan, body.effective_from)
    return SplitOut(ids=ids)
