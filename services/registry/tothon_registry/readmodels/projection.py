"""Projects units and households into the registry's lookup tables."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tothon_registry.domain.household import HEAD, Household
from tothon_registry.domain.unit import Unit
from tothon_registry.readmodels.tables import household_members, households, units
from tothon_shared.definition import ProjectionSpec
from tothon_shared.notification_log import LoggedEvent


def apply(session: Session, logged: LoggedEvent) -> None:
    """Update the lookup tables for one event."""
    event = logged.event
    if isinstance(event, Unit.Established):
        session.execute(
            units.insert().values(
                unit_id=event.originator_id,
                kind=str(event.kind),
                name=event.name,
                code=event.code,
                code_scheme=event.code_scheme,
                parent_id=event.parent_id,
                effective_from=event.effective_from,
            )
        )
    elif isinstance(event, Household.Registered):
        head = next(m for m in event.members if m["relationship"] == HEAD)
        session.execute(
            households.insert().values(
                household_id=event.originator_id,
                unit_id=event.unit_id,
                code=event.code,
                head_name=head["full_name"],
                member_count=len(event.members),
                registered_on=event.registered_on,
            )
        )
        session.execute(
            household_members.insert(),
            [
                {"household_id": event.originator_id, "position": i, **member}
                for i, member in enumerate(event.members)
            ],
        )


LOOKUP = ProjectionSpec("registry-lookup", apply, (units, households, household_members))
