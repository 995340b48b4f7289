"""Projects units, households and persons into the registry's lookup tables."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from itertools import combinations
from typing import Any
from uuid import UUID

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tothon_registry.domain.correction import Correction
from tothon_registry.domain.household import HEAD, Household
from tothon_registry.domain.names import PersonName
from tothon_registry.domain.person import ConsentPurpose, Person
from tothon_registry.domain.presence import PresenceFlag
from tothon_registry.domain.unit import Unit
from tothon_registry.readmodels.tables import (
    WORD_LENGTH,
    corrections,
    household_imports,
    household_members,
    households,
    name_vocabulary,
    pair_key,
    person_consents,
    person_name_words,
    persons,
    presence_flags,
    unit_successions,
    unit_versions,
    units,
)
from tothon_shared.eventstore.context import CommandContext
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.readstore.store import bulk_insert
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
NAME_COLUMNS = ("family_name", "middle_name", "given_name", "name_key", "sort_key")
PERSONAL_COLUMNS = DETAIL_COLUMNS + NAME_COLUMNS


def name_columns(full_name: str | None) -> dict[str, str | None]:
    """The parts and keys of a name, for the persons table."""
    if not full_name:
        return dict.fromkeys(NAME_COLUMNS)
    name = PersonName.parse(full_name)
    return {
        "family_name": name.family,
        "middle_name": name.middle,
        "given_name": name.given,
        "name_key": name.search_key,
        "sort_key": name.sort_key,
    }


class _Writes:
    """New rows wait to be written in bulk; an update first writes the rows it may touch."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.pending: dict[Table, list[dict[str, Any]]] = {}
        self.vocabulary: Counter[str] = Counter()  # name words gained (or lost) by this page

    def insert(self, table: Table, row: dict[str, Any]) -> None:
        self.pending.setdefault(table, []).append(row)

    def flush(self) -> None:
        for table, rows in self.pending.items():
            bulk_insert(self.session, table, rows)
        self.pending.clear()

    def execute(self, statement: Any) -> None:
        self.flush()
        self.session.execute(statement)


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """Update the lookup tables for a page of events, in bulk where events only add rows."""
    writes = _Writes(session)
    for logged in batch:
        event = logged.event
        if isinstance(event, Unit.Established | Unit.Event):
            _unit_changed(writes, event)
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
            _household_registered(writes, event)
            _imported(writes, event, logged.context)
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
            writes.execute(_member_count(event.originator_id, event.member_count))
        elif isinstance(event, Household.MemberLeft):
            writes.execute(
                household_members.delete().where(
                    household_members.c.household_id == event.originator_id,
                    household_members.c.person_id == event.person_id,
                )
            )
            writes.execute(_member_count(event.originator_id, event.member_count))
        elif isinstance(event, Household.HeadChanged):
            _head_changed(writes, event)
        elif isinstance(event, Person.RelationshipChanged):  # type: ignore[attr-defined]
            writes.execute(
                persons.update()
                .where(persons.c.person_id == event.originator_id)
                .values(relationship=event.relationship)
            )
        elif isinstance(event, Person.MovedHousehold):  # type: ignore[attr-defined]
            writes.execute(
                persons.update()
                .where(persons.c.person_id == event.originator_id)
                .values(household_id=event.household_id, relationship=event.relationship)
            )
        elif isinstance(event, Person.LeftHousehold):  # type: ignore[attr-defined]
            _unindex_name(writes, event.originator_id)
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
                if columns.get("name_key") and _unindex_name(writes, event.originator_id):
                    _index_name(writes, event.originator_id, columns["name_key"], columns["sort_key"])
        elif isinstance(event, Correction.Proposed):
            writes.insert(
                corrections,
                {
                    "correction_id": event.originator_id,
                    "person_id": event.person_id,
                    "household_id": event.household_id,
                    "changes": json.dumps(event.changes, default=str, ensure_ascii=False)
                    if event.changes
                    else None,
                    "reason": event.reason,
                    "proposer_role": event.proposer_role,
                    "proposed_at": event.timestamp,
                    "decision": None,
                    "decision_reason": None,
                    "decided_at": None,
                },
            )
        elif isinstance(event, Correction.Decided):
            writes.execute(
                corrections.update()
                .where(corrections.c.correction_id == event.originator_id)
                .values(
                    decision="approved" if event.approved else "rejected",
                    decision_reason=event.reason,
                    decided_at=event.timestamp,
                )
            )
        elif isinstance(event, Correction.Closed):
            # Closed undecided: the reason is a code (e.g. person_erased), never personal.
            writes.execute(
                corrections.update()
                .where(corrections.c.correction_id == event.originator_id)
                .values(decision="closed", decision_reason=event.because, decided_at=event.timestamp)
            )
        elif isinstance(event, Person.ResidenceChanged):
            writes.execute(
                persons.update()
                .where(persons.c.person_id == event.originator_id)
                .values(residence_status=event.status, residence_valid_until=event.valid_until)
            )
        elif isinstance(event, PresenceFlag.Raised):
            writes.insert(
                presence_flags,
                {
                    "flag_id": event.originator_id,
                    "unit_id": event.unit_id,
                    "household_id": event.household_id,
                    "person_id": event.person_id,
                    "kind": event.kind,
                    "observed_on": event.observed_on,
                    "note": event.note,
                    "raised_at": event.timestamp,
                    "decision": None,
                    "review_note": None,
                    "reviewer_role": None,
                    "reviewed_at": None,
                },
            )
        elif isinstance(event, PresenceFlag.Reviewed):
            writes.execute(
                presence_flags.update()
                .where(presence_flags.c.flag_id == event.originator_id)
                .values(
                    decision=event.decision,
                    review_note=event.note,
                    reviewer_role=event.reviewer_role,
                    reviewed_at=event.timestamp,
                )
            )
        elif isinstance(event, PresenceFlag.Closed):
            writes.execute(
                presence_flags.update()
                .where(presence_flags.c.flag_id == event.originator_id)
                .values(decision="closed", review_note=event.because, reviewed_at=event.timestamp)
            )
        elif isinstance(event, Person.Erased):
            _unindex_name(writes, event.originator_id)
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
    _count_words(session, writes.vocabulary)


def _unit_changed(writes: _Writes, event: Unit.Established | Unit.Event) -> None:
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


def _household_registered(writes: _Writes, event: Household.Registered) -> None:
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


def _imported(writes: _Writes, event: Household.Registered, context: CommandContext) -> None:
    found = _IMPORT_REASON.match(context.reason or "")
    if found:
        writes.insert(household_imports, {"household_id": event.originator_id, "import_id": UUID(found[1])})


def _corrected_columns(changes: dict[str, Any]) -> dict[str, Any]:
    columns = {k: v for k, v in changes.items() if k in DETAIL_COLUMNS}
    if "full_name" in changes:
        columns |= name_columns(changes["full_name"])
    if changes.get("birth_date") and "birth_year" not in changes:
        columns["birth_year"] = changes["birth_date"].year
    return columns


def _member_count(household_id: UUID, count: int) -> Any:
    return households.update().where(households.c.household_id == household_id).values(member_count=count)


def _head_changed(writes: _Writes, event: Household.HeadChanged) -> None:
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


def _person_recorded(writes: _Writes, event: Person.Recorded) -> None:
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
        _index_name(writes, event.originator_id, name["name_key"], name["sort_key"])
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


def _index_name(writes: _Writes, person_id: UUID, name_key: str, sort_key: str) -> None:
    """Make a person findable by each word of their name and each pair of them."""
    # A word twice in a name is one entry; a "word" longer than any name's is left to the
    # searches that read a scope's persons.
    words = sorted(w for w in set(name_key.split()) if len(w) <= WORD_LENGTH)
    for word in [*words, *(pair_key(a, b) for a, b in combinations(words, 2))]:
        writes.insert(
            person_name_words,
            {"person_id": person_id, "word": word, "sort_key": sort_key, "name_key": name_key},
        )
        writes.vocabulary[word] += 1


def _unindex_name(writes: _Writes, person_id: UUID) -> bool:
    """Stop finding a person by name; whether they were findable."""
    writes.flush()
    words = writes.session.scalars(
        person_name_words.delete()
        .where(person_name_words.c.person_id == person_id)
        .returning(person_name_words.c.word)
    ).all()
    writes.vocabulary.subtract(words)
    return bool(words)


def _count_words(session: Session, changes: Counter[str]) -> None:
    """Apply a page's word counts to the vocabulary: one upsert for all, then drop unused words."""
    rows = [{"word": word, "persons": n} for word, n in sorted(changes.items()) if n]
    shrank = any(n < 0 for n in changes.values())
    if not rows:
        return
    dialect = postgresql if session.connection().dialect.name == "postgresql" else sqlite
    insert = dialect.insert(name_vocabulary)
    session.execute(
        insert.on_conflict_do_update(
            index_elements=["word"], set_={"persons": name_vocabulary.c.persons + insert.excluded.persons}
        ),
        rows,
    )
    if shrank:
        session.execute(name_vocabulary.delete().where(name_vocabulary.c.persons <= 0))


def _consent(writes: _Writes, person_id: UUID, purpose: str, at: datetime, given: bool) -> None:
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
