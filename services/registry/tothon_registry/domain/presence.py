"""Ghost residents: a group leader's flag that the register and reality disagree about who lives
where, and its review by the ward or the area police.

Observed presence (the group leader's local knowledge) is kept apart from legal residence (the
police's residence database): a flag never changes the legal status; only the ward official or
the area police do that, separately, after reviewing it. The notes may name people, so they are
sealed with the flagged person's key (or the flag's own, for someone not registered yet).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from tothon_registry.domain.errors import Closure, RegistryError


class FlagKind(StrEnum):
    """What the group leader observed."""

    REGISTERED_NOT_LIVING = "registered_not_living"
    LIVING_NOT_REGISTERED = "living_not_registered"


class Decision(StrEnum):
    """The review's outcome."""

    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class FlagError(RegistryError):
    """The flag is inconsistent, or was reviewed already."""


class PresenceFlag(Aggregate):
    """One observation of a mismatch, open until reviewed."""

    TOPIC = "registry:PresenceFlag:v1"

    class Created(Aggregate.Created):
        """The base of the flag's creation events."""

        TOPIC = "registry:PresenceFlag.Created:v1"

    class Event(Aggregate.Event):
        """The base of the flag's other events."""

        TOPIC = "registry:PresenceFlag.Event:v1"

    @classmethod
    def raise_flag(
        cls,
        unit_id: UUID,
        household_id: UUID,
        person_id: UUID | None,
        kind: FlagKind,
        observed_on: date,
        note: str,
    ) -> PresenceFlag:
        """A new flag. "Registered but not living here" names the registered person; "living here
        but not registered" describes someone the register does not know."""
        if (kind is FlagKind.REGISTERED_NOT_LIVING) != (person_id is not None):
            raise FlagError(
                "a registered person is named exactly when flagging them as not living here",
                code="inconsistent",
            )
        return cls(
            unit_id=unit_id,
            household_id=household_id,
            person_id=person_id,
            kind=str(kind),
            observed_on=observed_on,
            note=note,
        )

    class Raised(Created):
        """A mismatch was observed and flagged for review."""

        TOPIC = "registry:PresenceFlagRaised:v1"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("note",)
        SUBJECT_FIELD: ClassVar[str] = "person_id"
        unit_id: UUID
        household_id: UUID
        person_id: UUID | None
        kind: str
        observed_on: date
        note: str | None

    @event(Raised)
    def __init__(
        self,
        unit_id: UUID,
        household_id: UUID,
        person_id: UUID | None,
        kind: str,
        observed_on: date,
        note: str | None,
    ) -> None:
        self.unit_id = unit_id
        self.household_id = household_id
        self.person_id = person_id
        self.kind = kind
        self.observed_on = observed_on
        self.note = note
        self.decision: str | None = None

    def review(self, decision: Decision, note: str, reviewer_role: str) -> None:
        """Confirm or dismiss the flag (once)."""
        if self.decision is not None:
            raise FlagError("the flag was reviewed already", code="reviewed")
        self._reviewed(
            decision=str(decision), note=note, reviewer_role=reviewer_role, person_id=self.person_id
        )

    class Reviewed(Event):
        """The ward or the area police decided on the flag."""

        TOPIC = "registry:PresenceFlagReviewed:v1"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("note",)
        SUBJECT_FIELD: ClassVar[str] = "person_id"
        decision: str
        note: str | None
        reviewer_role: str
        person_id: UUID | None

    @event(Reviewed)
    def _reviewed(self, decision: str, note: str | None, reviewer_role: str, person_id: UUID | None) -> None:
        self.decision = decision

    def close(self, because: Closure) -> None:
        """Close it without a review, once: it can no longer be reviewed."""
        if self.decision is not None:
            raise FlagError("the flag was reviewed already", code="reviewed")
        self._closed(because=str(because))

    class Closed(Event):
        """The flag was closed without a review (no personal field: nothing to seal)."""

        TOPIC = "registry:PresenceFlagClosed:v1"
        because: str

    @event(Closed)
    def _closed(self, because: str) -> None:
        self.decision = "closed"
