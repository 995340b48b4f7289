"""Places as the communication service knows them from the registry, by name: what the embedded
demo's seed needs before it writes (it reaches the service through this, not its read models)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import func, select

from tothon_communication.readmodels.tables import DIRECTORY
from tothon_shared.readstore.store import ReadStore


def units_named(store: ReadStore, names: Sequence[str]) -> dict[str, UUID]:
    """The units in force with these names (those that arrived)."""
    units = DIRECTORY.units.c
    query = select(units.name, units.unit_id).where(units.name.in_(names), units.effective_to.is_(None))
    with store.engine.connect() as connection:
        return {name: unit for name, unit in connection.execute(query).tuples()}


def household_count(store: ReadStore, unit_id: UUID) -> int:
    """How many households the unit holds (not counting the units below it)."""
    households = DIRECTORY.households.c
    query = select(func.count()).select_from(DIRECTORY.households).where(households.unit_id == unit_id)
    with store.engine.connect() as connection:
        return int(connection.execute(query).scalar() or 0)
