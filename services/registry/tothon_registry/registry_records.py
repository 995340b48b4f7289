"""The registry's aggregates loaded by id, with the error each kind raises when the id is unknown,
and the units' lineage: what every group of the registry's use cases builds on."""

from __future__ import annotations

from functools import cached_property
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from tothon_registry.domain.household import Household
from tothon_registry.domain.person import Person
from tothon_registry.domain.unit import Unit
from tothon_registry.kept_units import KeptUnits, newer_events
from tothon_shared.eventstore.application import TothonApplication


class UnitNotFoundError(LookupError):
    """No unit with that id."""


class HouseholdNotFoundError(LookupError):
    """No household with that id."""


class PersonNotFoundError(LookupError):
    """No person with that id."""


class RegistryRecords(TothonApplication):
    """Loads units, households and persons; the registry's use cases are built on it."""

    def get_unit(self, unit_id: UUID) -> Unit:
        """The unit, or ``UnitNotFoundError``."""
        try:
            unit: Unit = self.repository.get(unit_id)
        except AggregateNotFoundError:
            raise UnitNotFoundError(unit_id) from None
        return unit

    def get_person(self, person_id: UUID) -> Person:
        """The person, or ``PersonNotFoundError``."""
        try:
            person: Person = self.repository.get(person_id)
        except AggregateNotFoundError:
            raise PersonNotFoundError(person_id) from None
        return person

    def _erased(self, person_id: UUID) -> bool:
        """Whether the person's data was erased."""
        return self.get_person(person_id).erased_on is not None

    def _members_of(self, household: Household, *held: Person) -> list[Person]:
        """The household's current members; those in ``held`` as the caller holds them (with their
        pending changes), the others loaded."""
        kept = {person.id: person for person in held}
        return [kept.get(m.person_id) or self.get_person(m.person_id) for m in household.members]

    def get_household(self, household_id: UUID) -> Household:
        """The household, or ``HouseholdNotFoundError``."""
        try:
            household: object = self.repository.get(household_id)
        except AggregateNotFoundError:
            raise HouseholdNotFoundError(household_id) from None
        if not isinstance(household, Household):  # the id of a unit, a person, an account…
            raise HouseholdNotFoundError(household_id)
        return household

    def household_unit(self, household_id: UUID) -> UUID:
        """The unit a household is registered in now, from the aggregate (a binding may follow
        the household's registration at once)."""
        return self.get_household(household_id).unit_id

    def lineage(self, unit_id: UUID) -> list[UUID]:
        """The unit and the units it answers to, nearest first: its parents, and for a superseded
        unit its default successor's lineage (a pre-2025 ward answers to the ward it became).

        As of the units' latest events, not a read model: a reorganisation changes it, and another
        replica may be the one that recorded the reorganisation (``KeptUnits`` asks)."""
        return self._kept_units.lineage(unit_id)

    @cached_property
    def _kept_units(self) -> KeptUnits:
        return KeptUnits(self.get_unit, newer_events(self.recorder))
