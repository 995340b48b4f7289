"""The lookup tables of units: each unit as it is now, its versions over time and its successors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tothon_registry.domain.unit import Unit
from tothon_registry.readmodels.page_writes import Writes
from tothon_registry.readmodels.tables import unit_successions, unit_versions, units


def apply_unit_event(writes: Writes, event: Unit.Established | Unit.Event) -> None:
    unit_id = event.originator_id
    if isinstance(event, Unit.Established):
        writes.insert(
            units,
            {
                "unit_id": unit_id,
                "kind": str(event.kind),
                "name": event.name,
                "code": event.code,
                "code_scheme": event.code_scheme,
                "parent_id": event.parent_id,
                "effective_from": event.effective_from,
                "effective_to": None,
                "successor_id": None,
            },
        )
        version = {"name": event.name, "parent_id": event.parent_id}
        writes.insert(unit_versions, {"unit_id": unit_id, "valid_from": event.effective_from, **version})
        return
    if isinstance(event, Unit.Superseded):
        successor = event.successor_ids[0] if event.successor_ids else None
        writes.execute(
            units.update()
            .where(units.c.unit_id == unit_id)
            .values(effective_to=event.effective_from, successor_id=successor)
        )
        for position, successor_id in enumerate(event.successor_ids):
            writes.insert(
                unit_successions,
                {
                    "predecessor_id": unit_id,
                    "position": position,
                    "successor_id": successor_id,
                    "change": event.change,
                    "effective_from": event.effective_from,
                },
            )
        return
    if isinstance(event, Unit.Renamed):
        change: dict[str, Any] = {"name": event.name}
    elif isinstance(event, Unit.Moved):
        change = {"parent_id": event.parent_id}
    else:
        return
    on = event.effective_from
    writes.execute(units.update().where(units.c.unit_id == unit_id).values(**change))
    # The new version starts from the latest one (a change on the same day replaces it).
    writes.execute(
        unit_versions.delete().where(unit_versions.c.unit_id == unit_id, unit_versions.c.valid_from == on)
    )
    row = writes.session.execute(
        select(units.c.name, units.c.parent_id).where(units.c.unit_id == unit_id)
    ).one()
    writes.insert(
        unit_versions, {"unit_id": unit_id, "valid_from": on, "name": row.name, "parent_id": row.parent_id}
    )
