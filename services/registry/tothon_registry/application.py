"""The registry's use cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import MutableOrImmutableAggregate
from eventsourcing.persistence import IntegrityError

from tothon_registry.accounts import AccountUseCases
from tothon_registry.age_band_use_cases import AgeBandUseCases, restate_age_bands
from tothon_registry.case_use_cases import CaseUseCases, CorrectionNotFoundError, FlagNotFoundError
from tothon_registry.domain.account import Account
from tothon_registry.domain.errors import HeadOfHouseholdError, NotResidentialUnitError
from tothon_registry.domain.household import HEAD, Household, JoinReason, LeaveReason, Member
from tothon_registry.domain.person import (
    ConsentPurpose,
    ErasureReason,
    Person,
    PersonDetails,
)
from tothon_registry.domain.unit import UnitError
from tothon_registry.registry_records import HouseholdNotFoundError, PersonNotFoundError, UnitNotFoundError
from tothon_registry.unit_use_cases import NewUnit, Reassignment, UnitUseCases
from tothon_shared.eventstore.context import CommandContext
from tothon_shared.eventstore.environment import ContextMapper
from tothon_shared.privacy.keys import SubjectShreddedError

# Use cases live in modules by subject (units, cases, accounts) mixed into the one application;
# the names callers import from here stay importable from here.
__all__ = [
    "CorrectionNotFoundError",
    "FlagNotFoundError",
    "HouseholdNotFoundError",
    "NewMember",
    "NewUnit",
    "PersonNotFoundError",
    "Reassignment",
    "RegistryApplication",
    "UnitNotFoundError",
]


@dataclass(frozen=True)
class NewMember:
    """A member of a household being registered."""

    relationship: str
    details: PersonDetails
    consents: list[ConsentPurpose] = field(default_factory=list)


class RegistryApplication(UnitUseCases, CaseUseCases, AgeBandUseCases, AccountUseCases):
    """Units and households; every change is an event with its actor, reason and trace."""

    name = "registry"
    stores_personal_data = True
    # Accounts are read on every request (the session check). Never snapshot a Person: a snapshot
    # would hold their details outside the sealed events, out of reach of erasure.
    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[Any]], int]] = {Account: 20}

    def register_household(
        self, unit_id: UUID, code: str, members: list[NewMember], registered_on: date
    ) -> UUID:
        """Register a household with its members in a residential group or village.

        The household and every member's person record are saved in one transaction."""
        return self.register_households(unit_id, [(code, members)], registered_on)[0]

    def register_households(
        self, unit_id: UUID, households: list[tuple[str, list[NewMember]]], registered_on: date
    ) -> list[UUID]:
        """Register many households of one unit in one transaction (all or none: a code already
        registered fails the whole batch with ``IntegrityError``). Bulk imports save this way: a
        save per household caps the rate near a thousand a second."""
        unit = self._kept_units.unit(unit_id)
        if not unit.kind.holds_households:
            raise NotResidentialUnitError(unit_id)
        if not unit.in_force:
            raise UnitError(code="superseded")
        aggregates: list[Household | Person] = []
        ids = []
        founding = Person.founding_member_id
        for code, members in households:
            household_id = Household.create_id(unit_id, code)
            persons = [
                Person.record(
                    household_id,
                    m.relationship,
                    m.details,
                    m.consents,
                    registered_on,
                    founding(household_id, i),
                )
                for i, m in enumerate(members)
            ]
            household = Household.register(
                unit_id,
                code,
                [Member(p.id, p.relationship) for p in persons],
                registered_on,
                _known_residence([m.details for m in members]),
                [m.details for m in members],
            )
            aggregates += [household, *persons]
            ids.append(household.id)
        try:
            self.save(*aggregates)
        except SubjectShreddedError:
            # A founding member's key was destroyed: the household was registered before (and
            # that person erased since), the conflict a code registered before always is.
            raise IntegrityError("a household of this code was registered before") from None
        return ids

    def add_member(self, household_id: UUID, member: NewMember, reason: JoinReason, on: date) -> UUID:
        """A person joins a household (birth or moving in): their record and the household's change
        in one transaction."""
        household = self.get_household(household_id)
        person = Person.record(household_id, member.relationship, member.details, member.consents, on)
        household.add_member(person.id, member.relationship, reason, on)
        members = self._members_of(household, person)
        _restate_residence(household, members, [])
        restate_age_bands(household, members, on)
        self.save(household, person)
        return person.id

    def remove_member(self, household_id: UUID, person_id: UUID, reason: LeaveReason, on: date) -> None:
        """A member leaves a household (moving out or deceased)."""
        household = self.get_household(household_id)
        household.remove_member(person_id, reason, on)
        person = self.get_person(person_id)
        person.leave_household(str(reason), on)
        members = self._members_of(household)
        _restate_residence(household, members, [person])
        restate_age_bands(household, members, on)
        self.save(household, person)

    def split_household(
        self, household_id: UUID, code: str, head: UUID, relationships: dict[UUID, str], on: date
    ) -> UUID:
        """Members leave to form a household of their own in the same unit (tách hộ): ``head``
        heads it, the others are stated by their relationship to that head. The old household's
        head stays (name another head first if they are the one leaving). One transaction."""
        old = self.get_household(household_id)
        if head in relationships or HEAD in relationships.values():
            raise HeadOfHouseholdError("the new household has exactly one head", code="head_count")
        moving = {head: HEAD, **relationships}
        for person_id in moving:
            old.remove_member(person_id, LeaveReason.SPLIT_OFF, on)
        persons = [self.get_person(p) for p in moving]
        residence = _known_residence([p.details for p in persons])
        new = Household.register(
            old.unit_id,
            code,
            [Member(p, r) for p, r in moving.items()],
            on,
            residence,
            [p.details for p in persons],
        )
        for person in persons:
            person.move_household(new.id, moving[person.id], on)
        staying = self._members_of(old)
        _restate_residence(old, staying, persons)
        restate_age_bands(old, staying, on)
        self.save(old, new, *persons)
        return new.id

    def verify_household(self, household_id: UUID, on: date) -> None:
        """Record that the household was checked against reality on ``on``."""
        household = self.get_household(household_id)
        household.verify(on)
        self.save(household)

    def change_head(self, household_id: UUID, head: UUID, relationships: dict[UUID, str], on: date) -> None:
        """Make another member the head, restating every other member's relationship to them."""
        household = self.get_household(household_id)
        household.change_head(head, relationships, on)
        persons = [self.get_person(member.person_id) for member in household.members]
        for person in persons:
            person.record_relationship(HEAD if person.id == head else relationships[person.id])
        self.save(household, *persons)

    def person_history(self, person_id: UUID) -> list[tuple[Any, CommandContext]]:
        """Every event of a person's record with the command context it was stored with (who,
        why), oldest first."""
        mapper = self.mapper
        assert isinstance(mapper, ContextMapper)
        stored = self.recorder.select_events(person_id)
        if not stored:
            raise PersonNotFoundError(person_id)
        return [mapper.to_event_and_context(s) for s in stored]

    def give_consent(self, person_id: UUID, purpose: ConsentPurpose, phone: str | None) -> None:
        """Record a person's consent."""
        person = self.get_person(person_id)
        person.give_consent(purpose, phone)
        self.save(person)

    def withdraw_consent(self, person_id: UUID, purpose: ConsentPurpose) -> None:
        """Withdraw a person's consent."""
        person = self.get_person(person_id)
        person.withdraw_consent(purpose)
        self.save(person)

    def change_residence(self, person_id: UUID, status: str, valid_until: date | None) -> None:
        """Record a person's new legal residence status."""
        person = self.get_person(person_id)
        person.change_residence(status, valid_until)
        household = self.get_household(person.household_id)
        household.count_residence(_residence_counts([m.details for m in self._members_of(household, person)]))
        self.save(person, household)

    def erase_person(self, person_id: UUID, reason: ErasureReason, erased_on: date) -> None:
        """Erase a person's data: destroy their key, then record why.

        The key goes first so that no failure can leave the data readable after an erasure was
        asked for; should the record fail, the caller sees the error and erases again (which
        finds the details already unreadable and records the erasure)."""
        person = self.get_person(person_id)
        if person.erased_on is not None:
            return
        household = self.get_household(person.household_id)
        member = any(m.person_id == person_id for m in household.members)
        # An erased status counts as unknown: the household's counts are restated if it was known.
        recount = _has_status(person.details) and member
        self.subject_keys.shred(person_id)
        person.erase(reason, erased_on)  # its details are gone: counted as unknown from now on
        if not member:
            self.save(person)
            return
        members = self._members_of(household, person)
        if recount:
            household.count_residence(_residence_counts([m.details for m in members]))
        restate_age_bands(household, members, erased_on)  # their band is unknown now
        self.save(person, household)


def _residence_counts(details: list[PersonDetails | None]) -> dict[str, int]:
    """How many of these members hold each legal residence status ("unknown": none recorded, or
    erased)."""
    counts: dict[str, int] = {}
    for member in details:
        key = (member.residence_status if member else None) or "unknown"
        counts[key] = counts.get(key, 0) + 1
    return counts


def _has_status(details: PersonDetails | None) -> bool:
    """Whether a member's legal residence status is recorded (and readable)."""
    return bool(details and details.residence_status)


def _known_residence(details: list[PersonDetails | None]) -> dict[str, int] | None:
    """The counts a new household announces, when any member's status is known (a household of
    unknowns announces nothing: its member count says as much)."""
    return _residence_counts(details) if any(_has_status(d) for d in details) else None


def _restate_residence(household: Household, members: list[Person], gone: list[Person]) -> None:
    """After members joined or left: the household's counts again, when any member, staying or
    ``gone`` (just left), has a known status (the subscribers' counts would be wrong otherwise)."""
    if not any(_has_status(p.details) for p in [*members, *gone]):
        return
    household.count_residence(_residence_counts([p.details for p in members]))
