"""Projects units, households and persons into the registry's lookup tables; units, cases
(corrections and presence flags) and the name index have modules of their own beside this one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from tothon_registry.domain.household import Household
from tothon_registry.domain.person import ConsentPurpose, Person
from tothon_registry.domain.unit import Unit
from tothon_registry.readmodels.case_projection import apply_case_event
from tothon_registry.readmodels.household_projection import (
    head_changed,
    household_registered,
    imported,
    member_count,
)
from tothon_registry.readmodels.name_index import (
    NAME_COLUMNS,
    count_words,
    index_name,
    name_columns,
    unindex_name,
)
from tothon_registry.readmodels.page_writes import Writes
from tothon_registry.readmodels.tables import (
    corrections,
    household_imports,
    household_members,
    households,
    name_vocabulary,
    person_consents,
    person_name_words,
    persons,
    presence_flags,
    unit_successions,
    unit_versions,
    units,
)
from tothon_registry.readmodels.unit_projection import apply_unit_event
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.runtime.definition import ProjectionSpec

# The details as recorded, and what is derived from the name for lookups; erasure empties all.
DETAIL_COLUMNS = (
    "full_name",
    "sex",
    "birth_date",
    "birth_year",
    "citizen_id",
    "phone",
    "ethnicity",
    "religion",
    "occupation",
    "health_status",
    "poverty_status",
    "residence_status",
    "residence_valid_until",
)
JOINED_POSITIONS = 100  # a household registers with at most 100 members
PERSONAL_COLUMNS = DETAIL_COLUMNS + NAME_COLUMNS


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """Update the lookup tables for a page of events, in bulk where events only add rows."""
    writes = Writes(session)
    for logged in batch:
        event = logged.event
        if isinstance(event, Unit.Established | Unit.Event):
            apply_unit_event(writes, event)
        elif apply_case_event(writes, event):
            pass
        elif isinstance(event, Household.Transferred):
            writes.execute(
                households.update()
                .where(households.c.household_id == event.originator_id)
                .values(unit_id=event.unit_id)
            )
        elif isinstance(event, Household.Verified):
            writes.execute(
                households.update()
                .where(households.c.household_id == event.originator_id, households.c.verified_on < event.on)
                .values(verified_on=event.on)
            )
        elif isinstance(event, Household.Registered):
            household_registered(writes, event)
            imported(writes, event, logged.context)
        elif isinstance(event, Person.Recorded):
            _person_recorded(writes, event)
        elif isinstance(event, Person.ConsentGiven):
            _consent(writes, event.originator_id, event.purpose, event.timestamp, given=True)
            if event.purpose == ConsentPurpose.NOTIFICATIONS_PHONE:
                writes.execute(
                    persons.update()
                    .where(persons.c.person_id == event.originator_id)
                    .values(phone=event.phone)
                )
        elif isinstance(event, Person.ConsentWithdrawn):
            _consent(writes, event.originator_id, event.purpose, event.timestamp, given=False)
            if event.purpose == ConsentPurpose.NOTIFICATIONS_PHONE:
                writes.execute(
                    persons.update().where(persons.c.person_id == event.originator_id).values(phone=None)
                )
        elif isinstance(event, Household.MemberJoined):
            writes.insert(
                household_members,
                {
                    "household_id": event.originator_id,
                    # Registered members hold 0..n-1 (n ≤ 100); later ones come after them all, in
                    # the order of the household's events.
                    "position": JOINED_POSITIONS + event.originator_version,
                    "person_id": event.person_id,
                    "relationship": event.relationship,
                },
            )
            writes.execute(member_count(event.originator_id, event.member_count))
        elif isinstance(event, Household.MemberLeft):
            writes.execute(
                household_members.delete().where(
                    household_members.c.household_id == event.originator_id,
                    household_members.c.person_id == event.person_id,
                )
            )
            writes.execute(member_count(event.originator_id, event.member_count))
        elif isinstance(event, Household.HeadChanged):
            head_changed(writes, event)
        elif isinstance(event, Person.RelationshipChanged):  # type: ignore[attr-defined]
            writes.execute(
                persons.update()
                .where(persons.c.person_id == event.originator_id)
                .values(relationship=event.relationship)
            )
        elif isinstance(event, Person.MovedHousehold):
            writes.execute(
                persons.update()
                .where(persons.c.person_id == event.originator_id)
                .values(household_id=event.household_id, relationship=event.relationship)
            )
        elif isinstance(event, Person.LeftHousehold):
            unindex_name(writes, event.originator_id)
            writes.execute(
                persons.update()
                .where(persons.c.person_id == event.originator_id)
                .values(left_reason=event.reason, left_on=event.on)
            )
        elif isinstance(event, Person.Corrected):
            if event.changes:
                columns = _corrected_columns(event.changes)
                writes.execute(
                    persons.update().where(persons.c.person_id == event.originator_id).values(columns)
                )
                if columns.get("name_key") and unindex_name(writes, event.originator_id):
                    index_name(writes, event.originator_id, columns["name_key"], columns["sort_key"])
        elif isinstance(event, Person.ResidenceChanged):
            writes.execute(
                persons.update()
                .where(persons.c.person_id == event.originator_id)
                .values(residence_status=event.status, residence_valid_until=event.valid_until)
            )
        elif isinstance(event, Person.Erased):
            unindex_name(writes, event.originator_id)
            writes.execute(
                persons.update()
                .where(persons.c.person_id == event.originator_id)
                .values({**dict.fromkeys(PERSONAL_COLUMNS), "erased_on": event.erased_on})
            )
            writes.execute(person_consents.delete().where(person_consents.c.person_id == event.originator_id))
            writes.execute(
                presence_flags.update()
                .where(presence_flags.c.person_id == event.originator_id)
                .values(note=None, review_note=None)
            )
            writes.execute(
                corrections.update()
                .where(corrections.c.person_id == event.originator_id)
                .values(changes=None, reason=None, decision_reason=None)
            )
    writes.flush()
    count_words(session, writes.vocabulary)


def _corrected_columns(changes: dict[str, Any]) -> dict[str, Any]:
    columns = {k: v for k, v in changes.items() if k in DETAIL_COLUMNS}
    if "full_name" in changes:
        columns |= name_columns(changes["full_name"])
    if changes.get("birth_date") and "birth_year" not in changes:
        columns["birth_year"] = changes["birth_date"].year
    return columns


def _person_recorded(writes: Writes, event: Person.Recorded) -> None:
    # ``details`` is None when the person's key was shredded before this projection ran.
    details = event.details or {}
    name = name_columns(details.get("full_name"))
    writes.insert(
        persons,
        {
            "person_id": event.originator_id,
            "household_id": event.household_id,
            "relationship": event.relationship,
            **{column: details.get(column) for column in DETAIL_COLUMNS},
            **name,
            "left_reason": None,
            "left_on": None,
            "erased_on": None,
        },
    )
    if name["name_key"] and name["sort_key"]:
        index_name(writes, event.originator_id, name["name_key"], name["sort_key"])
    # Once each: events recorded before the API and the domain refused a purpose listed twice
    # hold duplicates, and a purpose is one row.
    for purpose in dict.fromkeys(event.consents):
        writes.insert(
            person_consents,
            {
                "person_id": event.originator_id,
                "purpose": purpose,
                "given_at": event.timestamp,
                "withdrawn_at": None,
            },
        )


def _consent(writes: Writes, person_id: UUID, purpose: str, at: datetime, given: bool) -> None:
    key = (person_consents.c.person_id == person_id) & (person_consents.c.purpose == purpose)
    if not given:
        writes.execute(person_consents.update().where(key).values(withdrawn_at=at))
        return
    writes.execute(person_consents.delete().where(key))
    writes.insert(
        person_consents, {"person_id": person_id, "purpose": purpose, "given_at": at, "withdrawn_at": None}
    )


LOOKUP = ProjectionSpec(
    "registry-lookup",
    apply,
    (
        units,
        unit_versions,
        unit_successions,
        households,
        household_members,
        household_imports,
        persons,
        person_name_words,
        name_vocabulary,
        person_consents,
        presence_flags,
        corrections,
    ),
)
