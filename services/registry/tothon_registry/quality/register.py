"""What the worklist reads of the register for some units: their households and people, the
records elsewhere that share an ID with them, heads, open flags and the imports they came from."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select

from tothon_registry.readmodels.tables import (
    household_imports,
    household_members,
    households,
    imports,
    persons,
    presence_flags,
    units,
)
from tothon_shared.readstore.store import ReadStore


@dataclass(frozen=True)
class Home:
    """A household as the worklist needs it."""

    code: str
    unit_id: UUID
    verified_on: date


@dataclass
class Register:
    """The rows of some units (``homes``, ``people``) and the twins of their people elsewhere."""

    unit_names: dict[UUID, str]
    homes: dict[UUID, Home]
    people: list[dict[str, Any]]
    elsewhere: list[dict[str, Any]] = field(default_factory=list)
    elsewhere_homes: dict[UUID, Home] = field(default_factory=dict)
    relationships: dict[UUID, list[str]] = field(default_factory=lambda: defaultdict(list))
    flags: list[dict[str, Any]] = field(default_factory=list)
    imported: dict[UUID, UUID] = field(default_factory=dict)
    import_files: dict[UUID, str] = field(default_factory=dict)
    _by_id: dict[UUID, dict[str, Any]] = field(default_factory=dict)

    def person(self, person_id: UUID) -> dict[str, Any]:
        if not self._by_id:
            self._by_id.update({p["person_id"]: p for p in self.people + self.elsewhere})
        return self._by_id[person_id]

    def home(self, household_id: UUID) -> Home:
        return self.homes.get(household_id) or self.elsewhere_homes[household_id]

    def unit_of_person(self, person_id: UUID) -> UUID:
        return self.home(self.person(person_id)["household_id"]).unit_id

    def name_of(self, person_id: UUID | None) -> str | None:
        return self.person(person_id)["full_name"] if person_id is not None else None

    def twin(self, person_id: UUID) -> dict[str, Any]:
        """A twin the official may see: who, in which household and unit."""
        person = self.person(person_id)
        home = self.home(person["household_id"])
        return {
            "person_id": person_id,
            "full_name": person["full_name"],
            "household_id": person["household_id"],
            "household_code": home.code,
            "unit_id": home.unit_id,
            "unit_name": self.unit_names.get(home.unit_id),
        }


def read_register(store: ReadStore, unit_ids: list[UUID]) -> Register:
    """The rows of ``unit_ids`` the rules read, in one connection."""
    with store.engine.connect() as connection:
        # Subqueries rather than lists of ids: a ward holds thousands of households.
        home_ids = select(households.c.household_id).where(households.c.unit_id.in_(unit_ids))
        homes = _homes(connection, households.c.household_id.in_(home_ids))
        people = _people(connection, persons.c.household_id.in_(home_ids))
        register = Register({}, homes, people)
        if any(p["citizen_id"] for p in people):
            # The same ID anywhere in the register, not only in these units, is a duplicate.
            ids = select(persons.c.citizen_id).where(
                persons.c.household_id.in_(home_ids), persons.c.citizen_id.is_not(None)
            )
            register.elsewhere = _people(
                connection, persons.c.citizen_id.in_(ids), persons.c.household_id.not_in(home_ids)
            )
            others = {p["household_id"] for p in register.elsewhere}
            register.elsewhere_homes = _homes(connection, households.c.household_id.in_(others))
        for row in connection.execute(
            select(household_members.c.household_id, household_members.c.relationship).where(
                household_members.c.household_id.in_(home_ids)
            )
        ):
            register.relationships[row.household_id].append(row.relationship)
        register.flags = [
            dict(r._mapping)
            for r in connection.execute(
                select(presence_flags).where(
                    presence_flags.c.household_id.in_(home_ids), presence_flags.c.decision.is_(None)
                )
            )
        ]
        _imports(connection, register, home_ids)
        wanted = set(unit_ids) | {h.unit_id for h in register.elsewhere_homes.values()}
        register.unit_names = {
            r.unit_id: r.name
            for r in connection.execute(
                select(units.c.unit_id, units.c.name).where(units.c.unit_id.in_(wanted))
            )
        }
        return register


def _homes(connection: Connection, where: Any) -> dict[UUID, Home]:
    query = select(
        households.c.household_id, households.c.code, households.c.unit_id, households.c.verified_on
    )
    return {
        r.household_id: Home(r.code, r.unit_id, r.verified_on) for r in connection.execute(query.where(where))
    }


# What the rules read of a person (the other columns would only slow a ward's worklist down).
_CHECKED = [
    persons.c[name]
    for name in (
        "person_id",
        "household_id",
        "full_name",
        "name_key",
        "sex",
        "birth_year",
        "citizen_id",
        "residence_status",
        "residence_valid_until",
        "erased_on",
    )
]


def _people(connection: Connection, *where: Any) -> list[dict[str, Any]]:
    query = select(*_CHECKED).where(persons.c.left_on.is_(None), *where)
    return [dict(r._mapping) for r in connection.execute(query)]


def _imports(connection: Connection, register: Register, home_ids: Any) -> None:
    register.imported = {
        r.household_id: r.import_id
        for r in connection.execute(
            select(household_imports).where(household_imports.c.household_id.in_(home_ids))
        )
    }
    if register.imported:
        register.import_files = {
            r.import_id: r.filename
            for r in connection.execute(
                select(imports.c.import_id, imports.c.filename).where(
                    imports.c.import_id.in_(set(register.imported.values()))
                )
            )
        }
