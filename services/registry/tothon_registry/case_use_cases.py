"""The registry's use cases about cases: presence flags (the register and reality disagree) and
proposed corrections of a person's details, each decided by an official."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from tothon_registry.age_band_use_cases import restate_age_bands
from tothon_registry.domain.correction import Correction
from tothon_registry.domain.errors import Closure
from tothon_registry.domain.person import PersonErasedError
from tothon_registry.domain.presence import Decision, FlagError, FlagKind, PresenceFlag
from tothon_registry.registry_records import RegistryRecords
from tothon_shared.kernel.clock import today

# The details a person's age band follows: correcting one may change their household's counts.
AGE_BAND_DETAILS = frozenset({"birth_date", "birth_year", "sex"})


class FlagNotFoundError(LookupError):
    """No presence flag with that id."""


class CorrectionNotFoundError(LookupError):
    """No correction with that id."""


class CaseUseCases(RegistryRecords):
    """Presence flags and corrections: raised or proposed, then reviewed or decided."""

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
            raise FlagError("the person is not a member of this household", code="not_a_member")
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
        changes = correction.changes or {}
        person.correct(changes)
        if not AGE_BAND_DETAILS & changes.keys():
            self.save(correction, person)
            return True
        # As of today, the day the corrected details are known (no change if they left it).
        household = self.get_household(person.household_id)
        restate_age_bands(household, self._members_of(household, person), today())
        self.save(correction, person, household)
        return True
