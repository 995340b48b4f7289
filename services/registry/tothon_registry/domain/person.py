"""A person in the register: where they belong, their personal details, consents and erasure.

The details are personal data (Law 91/2025): the events seal them with the person's own key
(``PERSONAL_FIELDS``), so erasing the person — destroying that key — leaves every event in place
but makes the details unreadable. Who the person belongs to (household, relationship) stays
readable, so member counts and other totals survive an erasure.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any, ClassVar
from uuid import UUID, uuid4, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_registry.domain.errors import RegistryError
from tothon_registry.domain.names import check_name
from tothon_registry.domain.person_details import (
    ConsentPurpose,
    ErasureReason,
    PersonDetails,
    ResidenceError,
    check_residence,
)

# The details and their vocabulary live in person_details.py; the names stay importable from here.
__all__ = [
    "ConsentError",
    "ConsentPurpose",
    "ErasureReason",
    "Person",
    "PersonDateError",
    "PersonDetails",
    "PersonErasedError",
    "RepeatedConsentError",
    "ResidenceError",
]


class PersonErasedError(RegistryError):
    """The person's data was erased: nothing more may be recorded about them."""


class ConsentError(RegistryError):
    """The consent to withdraw was never given, or the one to give needs what is missing."""


class RepeatedConsentError(ConsentError):
    """A consent purpose is listed more than once."""


class PersonDateError(RegistryError):
    """A date out of order with the person's life: born after joining their household
    (``born_after_joining``), or leaving it before being born or before joining
    (``left_before_joining``)."""


class Person(Aggregate):
    """A person registered in a household."""

    TOPIC = "registry:Person:v1"

    class Created(Aggregate.Created):
        """The base of the person's creation events."""

        TOPIC = "registry:Person.Created:v1"

    class Event(Aggregate.Event):
        """The base of the person's other events."""

        TOPIC = "registry:Person.Event:v1"

    @classmethod
    def record(
        cls,
        household_id: UUID,
        relationship: str,
        details: PersonDetails,
        consents: list[ConsentPurpose],
        joined_on: date,
        person_id: UUID | None = None,
    ) -> Person:
        """A new person in a household from ``joined_on`` (its registration, their birth or their
        moving in), with ``person_id`` or else a random id: a name with a letter and nothing hidden,
        born by then; a phone number is kept only with consent to use it."""
        check_name(details.full_name)
        if not details.born_by(joined_on):
            raise PersonDateError(code="born_after_joining")
        if details.phone is not None and ConsentPurpose.NOTIFICATIONS_PHONE not in consents:
            raise ConsentError(
                "a phone number needs the person's consent to be contacted", code="phone_needs_consent"
            )
        if len(set(consents)) != len(consents):
            raise RepeatedConsentError("a consent purpose is listed twice", code="consent_repeated")
        return cls._create(
            cls.Recorded,
            id=person_id or uuid4(),
            household_id=household_id,
            relationship=relationship,
            details=details.as_state(),
            consents=[str(c) for c in consents],
            joined_on=joined_on,
        )

    @staticmethod
    def founding_member_id(household_id: UUID, position: int) -> UUID:
        """The id of the household's ``position``-th member at its registration: registering the
        same household again names the same persons, so the attempt (refused, the household being
        there) finds their keys instead of creating a key for each person it would have added."""
        return uuid5(household_id, f"member:{position}")

    class Recorded(Created):
        """The person was recorded in a household."""

        TOPIC = "registry:PersonRecorded:v1"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("details",)
        household_id: UUID
        relationship: str
        details: dict[str, Any] | None
        consents: list[str]
        # The day they joined their first household; absent from persons recorded before it was kept.
        joined_on: date | None = None

    @event(Recorded)
    def __init__(
        self,
        household_id: UUID,
        relationship: str,
        details: dict[str, Any] | None,
        consents: list[str],
        joined_on: date | None = None,
    ) -> None:
        self.household_id = household_id
        self.relationship = relationship
        self.details: PersonDetails | None = PersonDetails(**details) if details else None
        self.consents: set[str] = set(consents)
        self.erased_on: date | None = None
        self.left: tuple[str, date] | None = None
        # The first household's joining bounds the birth; the latest one's bounds leaving.
        self.joined_on: date | None = joined_on
        self.since: date | None = joined_on

    def give_consent(self, purpose: ConsentPurpose, phone: str | None) -> None:
        """Record the person's consent (with the phone number it concerns)."""
        self._refuse_if_erased()
        if purpose is ConsentPurpose.NOTIFICATIONS_PHONE and phone is None:
            raise ConsentError("consent to be contacted needs the phone number", code="phone_needs_consent")
        self._consent_given(purpose=str(purpose), phone=phone, household_id=self.household_id)

    class ConsentGiven(Event):
        """The person consented to a purpose; for contact, with the phone number to use."""

        TOPIC = "registry:PersonConsentGiven:v1"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("phone",)
        purpose: str
        phone: str | None
        # The person's household then (published with the consent); absent from older events.
        household_id: UUID | None = None

    @event(ConsentGiven)
    def _consent_given(self, purpose: str, phone: str | None, household_id: UUID | None = None) -> None:
        self.consents.add(purpose)
        if purpose == ConsentPurpose.NOTIFICATIONS_PHONE and self.details is not None:
            self.details = PersonDetails(**{**asdict(self.details), "phone": phone})

    def withdraw_consent(self, purpose: ConsentPurpose) -> None:
        """Withdraw a consent: the data kept only for it is no longer used (the phone is dropped)."""
        self._refuse_if_erased()
        if str(purpose) not in self.consents:
            raise ConsentError("no such consent was given", code="not_given")
        self._consent_withdrawn(purpose=str(purpose), household_id=self.household_id)

    class ConsentWithdrawn(Event):
        """The person withdrew a consent."""

        TOPIC = "registry:PersonConsentWithdrawn:v1"
        purpose: str
        household_id: UUID | None = None  # as for ``ConsentGiven``

    @event(ConsentWithdrawn)
    def _consent_withdrawn(self, purpose: str, household_id: UUID | None = None) -> None:
        self.consents.discard(purpose)
        if purpose == ConsentPurpose.NOTIFICATIONS_PHONE and self.details is not None:
            self.details = PersonDetails(**{**asdict(self.details), "phone": None})

    def record_relationship(self, relationship: str) -> None:
        """The person's relationship to the head, restated (after a change of head); structural,
        so it is kept for an erased person too."""
        if relationship != self.relationship:
            self._relationship_changed(relationship=relationship)

    @event("RelationshipChanged", topic="registry:PersonRelationshipChanged:v1")
    def _relationship_changed(self, relationship: str) -> None:
        self.relationship = relationship

    def leave_household(self, reason: str, on: date) -> None:
        """The person left their household (moved out, or died), not before their birth or
        their joining."""
        self._refuse_leaving_before(on)
        self._left(household_id=self.household_id, reason=reason, on=on, notifications=self._notified())

    class LeftHousehold(Event):
        """The person left their household (moved out, or died)."""

        TOPIC = "registry:PersonLeftHousehold:v1"
        household_id: UUID
        reason: str
        on: date
        # Whether the person had consented to be notified, so other services stop sending the
        # household's news to them (False in events recorded before it was added).
        notifications: bool = False

    @event(LeftHousehold)
    def _left(self, household_id: UUID, reason: str, on: date, notifications: bool = False) -> None:
        self.left = (reason, on)

    def _notified(self) -> bool:
        return str(ConsentPurpose.NOTIFICATIONS_PHONE) in self.consents

    def move_household(self, household_id: UUID, relationship: str, on: date) -> None:
        """The person belongs to another household from ``on`` (a household split off), with
        their relationship to its head; structural, so allowed for an erased person too."""
        self._refuse_leaving_before(on)
        self._moved_household(
            household_id=household_id,
            from_household_id=self.household_id,
            relationship=relationship,
            on=on,
            notifications=self._notified(),
        )

    class MovedHousehold(Event):
        """The person belongs to another household (a household split off)."""

        TOPIC = "registry:PersonMovedHousehold:v1"
        household_id: UUID
        from_household_id: UUID
        relationship: str
        on: date
        notifications: bool = False  # as for ``LeftHousehold``: the consent follows the person

    @event(MovedHousehold)
    def _moved_household(
        self,
        household_id: UUID,
        from_household_id: UUID,
        relationship: str,
        on: date,
        notifications: bool = False,
    ) -> None:
        self.household_id = household_id
        self.relationship = relationship
        self.since = on

    def check_correction(self, changes: dict[str, Any]) -> None:
        """Refuse a correction that would break the person's own rules: a name without a letter
        or with hidden characters, a birth after they joined their household."""
        if "full_name" in changes:
            check_name(str(changes["full_name"]))
        birth = PersonDetails("", birth_date=changes.get("birth_date"), birth_year=changes.get("birth_year"))
        if self.joined_on is not None and not birth.born_by(self.joined_on):
            raise PersonDateError(code="born_after_joining")

    def correct(self, changes: dict[str, Any]) -> None:
        """Apply an approved correction to the details."""
        self._refuse_if_erased()
        self.check_correction(changes)
        self._corrected(changes=changes)

    class Corrected(Event):
        """Details were corrected (after a ward official approved the proposal)."""

        TOPIC = "registry:PersonCorrected:v1"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("changes",)
        changes: dict[str, Any] | None

    @event(Corrected)
    def _corrected(self, changes: dict[str, Any] | None) -> None:
        if self.details is not None and changes:
            self.details = PersonDetails(**{**asdict(self.details), **changes})

    def change_residence(self, status: str, valid_until: date | None) -> None:
        """Record a change of legal residence (by the ward or the area police)."""
        self._refuse_if_erased()
        check_residence(status, valid_until)
        self._residence_changed(status=str(status), valid_until=valid_until)

    class ResidenceChanged(Event):
        """The person's legal residence status changed."""

        TOPIC = "registry:PersonResidenceChanged:v1"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("status", "valid_until")
        status: str | None
        valid_until: date | None

    @event(ResidenceChanged)
    def _residence_changed(self, status: str | None, valid_until: date | None) -> None:
        if self.details is not None:
            self.details = PersonDetails(
                **{**asdict(self.details), "residence_status": status, "residence_valid_until": valid_until}
            )

    def erase(self, reason: ErasureReason, erased_on: date) -> None:
        """Erase the person's data; the caller then destroys the person's key."""
        self._refuse_if_erased()
        self._erased(reason=str(reason), erased_on=erased_on, household_id=self.household_id)

    class Erased(Event):
        """The person's data was erased; their key is destroyed."""

        TOPIC = "registry:PersonErased:v1"
        reason: str
        erased_on: date
        household_id: UUID | None = None  # published: the person's consents end with their data

    @event(Erased)
    def _erased(self, reason: str, erased_on: date, household_id: UUID | None = None) -> None:
        self.details = None
        self.consents.clear()
        self.erased_on = erased_on

    def _refuse_leaving_before(self, on: date) -> None:
        if (self.since is not None and on < self.since) or (
            self.details is not None and not self.details.born_by(on)
        ):
            raise PersonDateError(code="left_before_joining")

    def _refuse_if_erased(self) -> None:
        if self.erased_on is not None:
            raise PersonErasedError(self.id)
