"""Where cases come from and go, read from this service's copy of the registry's directory: the
unit of a resident's household, the level of a unit by its kind, and the unit above a unit (the
lookup the domain's routing is handed)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select

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


def household_unit(store: ReadStore, household_id: UUID) -> UUID | None:
    """The unit (group or village) a household is registered in, if this service knows it."""
    households = DIRECTORY.households
    query = select(households.c.unit_id).where(households.c.household_id == household_id)
    with store.engine.connect() as connection:
        found = connection.execute(query).scalar_one_or_none()
    return found if found is None or isinstance(found, UUID) else UUID(str(found))


def unit_level(store: ReadStore, unit_id: UUID) -> Level | None:
    """The level handling cases at a unit; ``None`` for an unknown unit or one no level handles."""
    units = DIRECTORY.units
    with store.engine.connect() as connection:
        kind = connection.execute(select(units.c.kind).where(units.c.unit_id == unit_id)).scalar_one_or_none()
    return LEVEL_OF_KIND.get(kind) if kind is not None else None


def parent_lookup(store: ReadStore) -> ParentLookup:
    """The unit each unit answers to (its successor once superseded), from the tree in memory."""
    with store.engine.connect() as connection:
        tree = unit_tree(connection, DIRECTORY.units)
    return tree.answers.get
