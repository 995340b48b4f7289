"""Projects units and households into the registry's lookup tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from tothon_registry.domain.household import HEAD, Household
from tothon_registry.domain.unit import Unit
from tothon_registry.readmodels.tables import household_members, households, units
from tothon_shared.definition import ProjectionSpec
from tothon_shared.notification_log import LoggedEvent
from tothon_shared.readstore import bulk_insert


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """Update the lookup tables for a page of events, one bulk insert per table."""
    unit_rows: list[dict[str, Any]] = []
    household_rows: list[dict[str, Any]] = []
    member_rows: list[dict[str, Any]] = []
    for logged in batch:
        event = logged.event
        if isinstance(event, Unit.Established):
            unit_rows.append(
                {
                    "unit_id": event.originator_id,
                    "kind": str(event.kind),
                    "name": event.name,
                    "code": event.code,
                    "code_scheme": event.code_scheme,
                    "parent_id": event.parent_id,
                    "effective_from": event.effective_from,
                }
            )
        elif isinstance(event, Household.Registered):
            head = next(m for m in event.members if m["relationship"] == HEAD)
            household_rows.append(
                {
                    "household_id": event.originator_id,
                    "unit_id": event.unit_id,
                    "code": event.code,
                    "head_name": head["full_name"],
                    "member_count": len(event.members),
                    "registered_on": event.registered_on,
                }
            )
            member_rows += [
                {"household_id": event.originator_id, "position": i, **member}
                for i, member in enumerate(event.members)
            ]
    bulk_insert(session, units, unit_rows)
    bulk_insert(session, households, household_rows)
    bulk_insert(session, household_members, member_rows)


LOOKUP = ProjectionSpec("registry-lookup", apply, (units, households, household_members))
