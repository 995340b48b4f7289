"""The lookup tables of households: registration, members, head, and the import that made one."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from tothon_registry.domain.household import HEAD, Household
from tothon_registry.readmodels.page_writes import Writes
from tothon_registry.readmodels.tables import household_imports, household_members, households
from tothon_shared.eventstore.context import CommandContext


def household_registered(writes: Writes, event: Household.Registered) -> None:
    head = next(m for m in event.members if m["relationship"] == HEAD)
    writes.insert(
        households,
        {
            "household_id": event.originator_id,
            "unit_id": event.unit_id,
            "code": event.code,
            "head_person_id": head["person_id"],
            "member_count": len(event.members),
            "registered_on": event.registered_on,
            "verified_on": event.registered_on,
        },
    )
    for position, member in enumerate(event.members):
        writes.insert(
            household_members,
            {
                "household_id": event.originator_id,
                "position": position,
                "person_id": member["person_id"],
                "relationship": member["relationship"],
            },
        )


# The reason an import's commands carry (imports/job.py): "import <import id>".
_IMPORT_REASON = re.compile(r"^import ([0-9a-f-]{36})$")


def imported(writes: Writes, event: Household.Registered, context: CommandContext) -> None:
    found = _IMPORT_REASON.match(context.reason or "")
    if found:
        writes.insert(household_imports, {"household_id": event.originator_id, "import_id": UUID(found[1])})


def member_count(household_id: UUID, count: int) -> Any:
    return households.update().where(households.c.household_id == household_id).values(member_count=count)


def head_changed(writes: Writes, event: Household.HeadChanged) -> None:
    writes.execute(
        households.update()
        .where(households.c.household_id == event.originator_id)
        .values(head_person_id=event.head)
    )
    restated = {str(event.head): HEAD} | event.relationships
    for person_id, relationship in restated.items():
        writes.execute(
            household_members.update()
            .where(
                household_members.c.household_id == event.originator_id,
                household_members.c.person_id == UUID(person_id),
            )
            .values(relationship=relationship)
        )
