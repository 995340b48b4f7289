"""The registry's use cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import MutableOrImmutableAggregate
from eventsourcing.persistence import IntegrityError

from tothon_registry.accounts import AccountUseCases
from tothon_registry.domain.account import Account
from tothon_registry.domain.correction import Correction
from tothon_registry.domain.errors import Closure, HeadOfHouseholdError, NotResidentialUnitError
from tothon_registry.domain.household import HEAD, Household, JoinReason, LeaveReason, Member
from tothon_registry.domain.person import (
    ConsentPurpose,
    ErasureReason,
    Person,
    PersonDetails,
    PersonErasedError,
)
from tothon_registry.domain.presence import Decision, FlagError, FlagKind, PresenceFlag
from tothon_registry.domain.unit import Change, Unit, UnitError, UnitKind
from tothon_registry.kept_units import KeptUnits, newer_events
from tothon_shared.eventstore.application import TothonApplication
from tothon_shared.eventstore.context import CommandContext
from tothon_shared.eventstore.environment import ContextMapper
from tothon_shared.privacy.keys import SubjectShreddedError


class UnitNotFoundError(LookupError):
    """No unit with that id."""


class HouseholdNotFoundError(LookupError):
    """No household with that id."""


class PersonNotFoundError(LookupError):
    """No person with that id."""


class FlagNotFoundError(LookupError):
    """No presence flag with that id."""


class CorrectionNotFoundError(LookupError):
    """No correction with that id."""


@dataclass(frozen=True)
class NewMember:
    """A member of a household being registered."""

    relationship: str
    details: PersonDetails
    consents: list[ConsentPurpose] = field(default_factory=list)


@dataclass(frozen=True)
class NewUnit:
    """A unit to establish (in a reorganisation, from its effective date)."""

    kind: UnitKind
    name: str
    code: str | None = None
    code_scheme: str | None = None
    parent_id: UUID | None = None


# Groups (unit ids) and households to move in a reorganisation, each to the index of a new unit.
Reassignment = dict[UUID, int]


class RegistryApplication(AccountUseCases, TothonApplication):
    """Units and households; every change is an event with its actor, reason and trace."""

    name = "registry"
    stores_personal_data = True
    # Accounts are read on every request (the session check). Never snapshot a Person: a snapshot
    # would hold their details outside the sealed events, out of reach of erasure.
    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[Any]], int]] = {Account: 20}

    def establish_unit(
        self,
        kind: UnitKind,
        name: str,
        code: str | None,
        code_scheme: str | None,
        parent_id: UUID | None,
        effective_from: date,
    ) -> UUID:
        """Record that a unit exists from ``effective_from``."""
        unit = self._new_unit(NewUnit(kind, name, code, code_scheme, parent_id), effective_from)
        self.save(unit)
        return unit.id

    def _new_unit(self, spec: NewUnit, effective_from: date) -> Unit:
        parent = self.get_unit(spec.parent_id) if spec.parent_id is not None else None
        # Recording history is allowed: the parent must have existed on the day, and a group
        # established under a ward that was later merged then follows it to its successor.
        if parent is not None and parent.name_on(effective_from) is None:
            raise UnitError(code="superseded")
        if not spec.kind.may_be_under(parent.kind if parent else None):
            raise UnitError(code="wrong_parent")
        return Unit(spec.kind, spec.name, spec.code, spec.code_scheme, spec.parent_id, effective_from)

    def get_unit(self, unit_id: UUID) -> Unit:
        """The unit, or ``UnitNotFoundError``."""
        try:
            unit: Unit = self.repository.get(unit_id)
        except AggregateNotFoundError:
            raise UnitNotFoundError(unit_id) from None
        return unit

    def rename_unit(self, unit_id: UUID, name: str, on: date) -> None:
        """The unit takes a new name from ``on``."""
        unit = self.get_unit(unit_id)
        unit.rename(name, on)
        self.save(unit)

    def move_unit(self, unit_id: UUID, parent_id: UUID, on: date) -> None:
        """The unit belongs to another parent from ``on``; never under itself or a descendant."""
        unit = self.get_unit(unit_id)
        if unit_id in self.lineage(parent_id):
            raise UnitError(code="cycle")
        unit.move(self.get_unit(parent_id), on)
        self.save(unit)

    def merge_units(self, unit_ids: list[UUID], into: UUID | NewUnit, plan: Reassignment, on: date) -> UUID:
        """Merge units into an existing unit (which carries on) or a new one, from ``on``.

        The merged units' groups and households named in ``plan`` (those the read model knows)
        move to the successor in the same transaction; anything missed still resolves to the
        successor through the merged unit's lineage."""
        merged = [self.get_unit(u) for u in dict.fromkeys(unit_ids) if u != into]
        if not merged:
            raise UnitError(code="nothing_to_merge")
        target = self._new_unit(into, on) if isinstance(into, NewUnit) else self.get_unit(into)
        if any(u.kind.is_administrative != target.kind.is_administrative for u in merged):
            raise UnitError(code="mixed_merge")
        for unit in merged:
            unit.supersede(Change.MERGED, [target], on)
        moved = self._reassign(merged, [target], {k: 0 for k in plan}, on)
        self.save(target, *merged, *moved)
        return target.id

    def split_unit(self, unit_id: UUID, parts: list[NewUnit], plan: Reassignment, on: date) -> list[UUID]:
        """Split a unit into new units (the first is the default successor) from ``on``. ``plan``
        maps each of its groups or households to the index of the part it goes to; the others
        go to the first part."""
        unit = self.get_unit(unit_id)
        if len(parts) < 2:
            raise UnitError(code="split_parts")
        if any(not 0 <= index < len(parts) for index in plan.values()):
            raise UnitError(code="assignment_invalid")
        successors = [self._new_unit(part, on) for part in parts]
        unit.supersede(Change.SPLIT, successors, on)
        moved = self._reassign([unit], successors, plan, on)
        self.save(*successors, unit, *moved)
        return [s.id for s in successors]

    def _reassign(
        self, old: list[Unit], new: list[Unit], plan: Reassignment, on: date
    ) -> list[Unit | Household]:
        """Move the named groups and transfer the named households of the ``old`` units to the
        ``new`` unit their plan names; refuses what does not belong to an old unit."""
        old_ids = {u.id for u in old}
        changed: list[Unit | Household] = []
        for item_id, index in plan.items():
            target = new[index]
            try:
                item: Unit | Household = self.repository.get(item_id)
            except AggregateNotFoundError:
                raise UnitError(code="assignment_invalid") from None
            if isinstance(item, Household) and item.unit_id in old_ids:
                item.transfer(target.id, on)
            elif isinstance(item, Unit) and item.parent_id in old_ids and item.in_force:
                item.move(target, on)
            else:
                raise UnitError(code="assignment_invalid")
            changed.append(item)
        return changed

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
        _restate_residence(household, self._members_of(household, person), [])
        self.save(household, person)
        return person.id

    def remove_member(self, household_id: UUID, person_id: UUID, reason: LeaveReason, on: date) -> None:
        """A member leaves a household (moving out or deceased)."""
        household = self.get_household(household_id)
        household.remove_member(person_id, reason, on)
        person = self.get_person(person_id)
        person.leave_household(str(reason), on)
        _restate_residence(household, self._members_of(household), [person])
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
        new = Household.register(old.unit_id, code, [Member(p, r) for p, r in moving.items()], on, residence)
        for person in persons:
            person.move_household(new.id, moving[person.id], on)
        _restate_residence(old, self._members_of(old), persons)
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

    def get_person(self, person_id: UUID) -> Person:
        """The person, or ``PersonNotFoundError``."""
        try:
            person: Person = self.repository.get(person_id)
        except AggregateNotFoundError:
            raise PersonNotFoundError(person_id) from None
        return person

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

    def raise_presence_flag(
        self,
        household_id: UUID,
        person_id: UUID | None,
        kind: FlagKind,
        observed_on: date,
        note: str,
    ) -> UUID:
        """Flag that the register and reality disagree about who lives in a household."""
        household = self.get_household(household_id)
        if person_id is not None and person_id not in {m.person_id for m in household.members}:
            raise FlagError("the person is not a member of this household")
        if person_id is not None and self._erased(person_id):
            raise PersonErasedError(person_id)  # the note would be sealed with a destroyed key
        flag = PresenceFlag.raise_flag(household.unit_id, household_id, person_id, kind, observed_on, note)
        self.save(flag)
        return flag.id

    def review_presence_flag(self, flag_id: UUID, decision: Decision, note: str, reviewer_role: str) -> bool:
        """Confirm or dismiss a flag; a confirmed one is followed by a residence change, if due.

        False when the flagged person was erased since: the flag is closed instead, unreviewed
        (there is no one left to review, and their key, which would seal the note, is gone)."""
        try:
            flag: PresenceFlag = self.repository.get(flag_id)
        except AggregateNotFoundError:
            raise FlagNotFoundError(flag_id) from None
        if flag.person_id is not None and self._erased(flag.person_id):
            flag.close(Closure.PERSON_ERASED)
            self.save(flag)
            return False
        flag.review(decision, note, reviewer_role)
        self.save(flag)
        return True

    def propose_correction(
        self, person_id: UUID, changes: dict[str, Any], reason: str, proposer_role: str
    ) -> UUID:
        """Propose a change to a person's details, for a ward official to decide."""
        person = self.get_person(person_id)
        if person.erased_on is not None:
            raise PersonErasedError(person_id)
        person.check_correction(changes)
        correction = Correction.propose(person_id, person.household_id, changes, reason, proposer_role)
        self.save(correction)
        return correction.id

    def get_correction(self, correction_id: UUID) -> Correction:
        """The correction, or ``CorrectionNotFoundError``."""
        try:
            correction: Correction = self.repository.get(correction_id)
        except AggregateNotFoundError:
            raise CorrectionNotFoundError(correction_id) from None
        return correction

    def unit_of_correction(self, correction_id: UUID) -> UUID:
        """The unit of the household whose member a correction is about."""
        return self.get_household(self.get_correction(correction_id).household_id).unit_id

    def decide_correction(self, correction_id: UUID, approve: bool, reason: str) -> bool:
        """Approve (the person's details change in the same transaction) or reject a correction.

        False when the person was erased since it was proposed: it is closed instead, undecided
        (nothing about them may change any more, and their key, which would seal the reason,
        is gone)."""
        correction = self.get_correction(correction_id)
        person = self.get_person(correction.person_id)
        if person.erased_on is not None:
            correction.close(Closure.PERSON_ERASED)
            self.save(correction)
            return False
        correction.decide(approve, reason)
        if not approve:
            self.save(correction)
            return True
        person.correct(correction.changes or {})
        self.save(correction, person)
        return True

    def erase_person(self, person_id: UUID, reason: ErasureReason, erased_on: date) -> None:
        """Erase a person's data: destroy their key, then record why.

        The key goes first so that no failure can leave the data readable after an erasure was
        asked for; should the record fail, the caller sees the error and erases again (which
        finds the details already unreadable and records the erasure)."""
        person = self.get_person(person_id)
        if person.erased_on is not None:
            return
        household = self.get_household(person.household_id)
        # An erased status counts as unknown: the household's counts are restated if it was known.
        recount = _has_status(person.details) and any(m.person_id == person_id for m in household.members)
        self.subject_keys.shred(person_id)
        person.erase(reason, erased_on)  # its details are gone: counted as unknown from now on
        if not recount:
            self.save(person)
            return
        household.count_residence(_residence_counts([m.details for m in self._members_of(household, person)]))
        self.save(person, household)

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
