"""Where cases come from and go, read from this service's copy of the registry's directory: the
unit of a resident's household, the level of a unit by its kind, and the unit above a unit (the
lookup the domain's routing is handed)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Connection, select

from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.routing import ParentLookup
from tothon_feedback.readmodels.tables import DIRECTORY
from tothon_shared.auth.lineage import unit_tree
from tothon_shared.readstore.store import ReadStore

# The registry's unit kinds (after the 2025 reform) at the level that handles cases there. A
# legacy district is superseded: its cases follow its successor.
LEVEL_OF_KIND: dict[str, Level] = {
    "residential_group": Level.GROUP,
    "village": Level.GROUP,
    "ward": Level.WARD,
    "commune": Level.WARD,
    "special_zone": Level.WARD,
    "province": Level.CITY,
}


def household_unit(connection: Connection, household_id: UUID) -> tuple[UUID, Level | None] | None:
    """The unit (group or village) a household is registered in and the level handling cases
    there, if this service knows the household (one query: filing reads it every time)."""
    households, units = DIRECTORY.households, DIRECTORY.units
    query = (
        select(households.c.unit_id, units.c.kind)
        .join(units, units.c.unit_id == households.c.unit_id, isouter=True)
        .where(households.c.household_id == household_id)
    )
    found = connection.execute(query).first()
    if found is None:
        return None
    unit_id = found.unit_id if isinstance(found.unit_id, UUID) else UUID(str(found.unit_id))
    return unit_id, LEVEL_OF_KIND.get(found.kind) if found.kind is not None else None


def unit_level(store: ReadStore, unit_id: UUID, connection: Connection | None = None) -> Level | None:
    """The level handling cases at a unit; ``None`` for an unknown unit or one no level handles."""
    if connection is None:
        with store.autocommit() as own:
            return unit_level(store, unit_id, own)
    units = DIRECTORY.units
    kind = connection.execute(select(units.c.kind).where(units.c.unit_id == unit_id)).scalar_one_or_none()
    return LEVEL_OF_KIND.get(kind) if kind is not None else None


def parent_lookup(store: ReadStore, connection: Connection | None = None) -> ParentLookup:
    """The unit each unit answers to (its successor once superseded), from the tree in memory."""
    if connection is None:
        with store.autocommit() as own:
            return parent_lookup(store, own)
    return unit_tree(connection, DIRECTORY.units).answers.get


def group_named(store: ReadStore, name: str) -> tuple[UUID, list[UUID]] | None:
    """A group or village in force by its name, and its households (the first ten by code), once
    this service knows both."""
    units = [u for u in DIRECTORY.list_units(store) if u["name"] == name]
    if not units:
        return None
    group = UUID(str(units[0]["unit_id"]))
    households = DIRECTORY.households_of(store, group, 10, 0)
    return (group, [UUID(str(h["household_id"])) for h in households]) if households else None
