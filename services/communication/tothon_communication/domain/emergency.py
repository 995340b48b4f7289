"""Emergencies: a typhoon or a flood declared for a unit's subtree asks every household to check
in — safe, or needing help. The declaration goes out as an urgent notice (an ``Announcement`` of
category emergency, saved with it); each household's answer is a ``CheckIn`` of its own, one per
emergency and household, so two phones of one household and a queued answer sent again land on
the same record. A household may change its answer (safe after needing help, or the reverse)
until the emergency is closed."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_communication.domain.announcement import clean_text
from tothon_shared.kernel.errors import CodedError

MAX_NOTE = 500


class EmergencyError(CodedError):
    """An emergency or a check-in refused: ``closed``, ``not_found``, ``note_too_long``,
    ``text_unsafe``."""


class Hazard(StrEnum):
    """What threatens (central Vietnam's seasons: typhoons and floods above all)."""

    TYPHOON = "typhoon"
    FLOOD = "flood"
    LANDSLIDE = "landslide"
    OTHER = "other"


class Status(StrEnum):
    """A household's answer."""

    SAFE = "safe"
    NEEDS_HELP = "needs_help"


class Emergency(Aggregate):
    """An emergency declared for ``unit_id``'s subtree, open until closed."""

    TOPIC = "communication:Emergency:v1"

    @staticmethod
    def create_id(announcement_id: UUID) -> UUID:
        # One emergency per notice: the notice's id names it.
        return uuid5(NAMESPACE_URL, f"tothon:emergency:{announcement_id}")

    class Created(Aggregate.Created):
        TOPIC = "communication:Emergency.Created:v1"

    class Declared(Created):
        TOPIC = "communication:Emergency.Declared:v1"
        announcement_id: UUID
        unit_id: UUID
        hazard: str
        by: str
        at: datetime

    @event(Declared)
    def __init__(self, announcement_id: UUID, unit_id: UUID, hazard: str, by: str, at: datetime) -> None:
        self.announcement_id = announcement_id
        self.unit_id = unit_id
        self.hazard = Hazard(hazard)
        self.opened_at = at
        self.closed_at: datetime | None = None

    def close(self, by: str, at: datetime) -> None:
        """The danger has passed: no more check-ins."""
        if self.closed_at is not None:
            raise EmergencyError(code="closed")
        self._closed(by, at)

    class Closed(Aggregate.Event):
        TOPIC = "communication:Emergency.Closed:v1"
        by: str
        at: datetime

    @event(Closed)
    def _closed(self, by: str, at: datetime) -> None:
        self.closed_at = at


def clean_note(note: str | None) -> str | None:
    """A check-in's note as kept (none when blank)."""
    if note is None or not note.strip():
        return None
    try:
        return clean_text(note, MAX_NOTE, "note")
    except CodedError as error:
        raise EmergencyError(code=error.code) from None


class CheckIn(Aggregate):
    """One household's answer to one emergency, and its changes."""

    TOPIC = "communication:CheckIn:v1"

    @staticmethod
    def create_id(emergency_id: UUID, household_id: UUID) -> UUID:
        # One per emergency and household: a second answer finds the first.
        return uuid5(NAMESPACE_URL, f"tothon:check-in:{emergency_id}:{household_id}")

    class Created(Aggregate.Created):
        TOPIC = "communication:CheckIn.Created:v1"

    class Reported(Created):
        """The household's first answer. Names its emergency, household and unit: it is published."""

        TOPIC = "communication:CheckIn.Reported:v1"
        emergency_id: UUID
        household_id: UUID
        unit_id: UUID
        status: str
        note: str | None
        by: str
        at: datetime

    @classmethod
    def report(
        cls,
        emergency_id: UUID,
        household_id: UUID,
        unit_id: UUID,
        status: Status,
        note: str | None,
        by: str,
        at: datetime,
    ) -> CheckIn:
        """A household's first answer."""
        return cls(
            emergency_id=emergency_id,
            household_id=household_id,
            unit_id=unit_id,
            status=status.value,
            note=clean_note(note),
            by=by,
            at=at,
        )

    @event(Reported)
    def __init__(
        self,
        emergency_id: UUID,
        household_id: UUID,
        unit_id: UUID,
        status: str,
        note: str | None,
        by: str,
        at: datetime,
    ) -> None:
        self.emergency_id = emergency_id
        self.household_id = household_id
        self.unit_id = unit_id
        self.status = Status(status)
        self.note = note
        self.at = at

    def change(self, status: Status, note: str | None, by: str, at: datetime) -> bool:
        """A later answer; False when it says what the last one did (an answer sent twice)."""
        cleaned = clean_note(note)
        if status is self.status and cleaned == self.note:
            return False
        self._changed(self.emergency_id, self.household_id, self.unit_id, status.value, cleaned, by, at)
        return True

    class Changed(Aggregate.Event):
        """A later answer; carries what ``Reported`` does, as it is published the same way."""

        TOPIC = "communication:CheckIn.Changed:v1"
        emergency_id: UUID
        household_id: UUID
        unit_id: UUID
        status: str
        note: str | None
        by: str
        at: datetime

    @event(Changed)
    def _changed(
        self,
        emergency_id: UUID,
        household_id: UUID,
        unit_id: UUID,
        status: str,
        note: str | None,
        by: str,
        at: datetime,
    ) -> None:
        self.status = Status(status)
        self.note = note
        self.at = at
