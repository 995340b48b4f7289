"""Corrections with maker-checker: a resident or group leader proposes a change to a person's
details, a ward official approves or rejects it with a reason; both steps stay in the history.

The proposed values are personal data, sealed with the person's key (``SUBJECT_FIELD``)."""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from tothon_registry.domain.errors import Closure, RegistryError

# What a correction may change; the phone follows consent, legal residence the police.
CORRECTABLE = frozenset(
    {
        "full_name",
        "sex",
        "birth_date",
        "birth_year",
        "citizen_id",
        "ethnicity",
        "religion",
        "occupation",
        "health_status",
        "poverty_status",
    }
)


class CorrectionError(RegistryError):
    """The correction is empty, touches what it may not, or was decided already."""


class Correction(Aggregate):
    """A proposed change to one person's details, and its decision."""

    TOPIC = "registry:Correction:v1"

    class Created(Aggregate.Created):
        """The base of the correction's creation events."""

        TOPIC = "registry:Correction.Created:v1"

    class Event(Aggregate.Event):
        """The base of the correction's other events."""

        TOPIC = "registry:Correction.Event:v1"

    @classmethod
    def propose(
        cls, person_id: UUID, household_id: UUID, changes: dict[str, Any], reason: str, proposer_role: str
    ) -> Correction:
        """A proposal; only correctable fields, at least one."""
        if not changes or not set(changes) <= CORRECTABLE:
            raise CorrectionError(
                "propose a change to at least one correctable field, and only those", code="empty"
            )
        return cls(
            person_id=person_id,
            household_id=household_id,
            changes=changes,
            reason=reason,
            proposer_role=proposer_role,
        )

    class Proposed(Created):
        """A change was proposed."""

        TOPIC = "registry:CorrectionProposed:v1"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("changes", "reason")
        SUBJECT_FIELD: ClassVar[str] = "person_id"
        person_id: UUID
        household_id: UUID
        changes: dict[str, Any] | None
        reason: str | None
        proposer_role: str

    @event(Proposed)
    def __init__(
        self,
        person_id: UUID,
        household_id: UUID,
        changes: dict[str, Any] | None,
        reason: str | None,
        proposer_role: str,
    ) -> None:
        self.person_id = person_id
        self.household_id = household_id
        self.changes = changes
        self.reason = reason
        self.proposer_role = proposer_role
        self.decision: str | None = None

    def decide(self, approve: bool, reason: str) -> None:
        """Approve or reject, once."""
        if self.decision is not None:
            raise CorrectionError("the correction was decided already", code="decided")
        self._decided(approved=approve, reason=reason, person_id=self.person_id)

    class Decided(Event):
        """A ward official approved or rejected the correction."""

        TOPIC = "registry:CorrectionDecided:v1"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("reason",)
        SUBJECT_FIELD: ClassVar[str] = "person_id"
        approved: bool
        reason: str | None
        person_id: UUID

    @event(Decided)
    def _decided(self, approved: bool, reason: str | None, person_id: UUID) -> None:
        self.decision = "approved" if approved else "rejected"

    def close(self, because: Closure) -> None:
        """Close it without a decision, once: it can no longer be decided."""
        if self.decision is not None:
            raise CorrectionError("the correction was decided already", code="decided")
        self._closed(because=str(because))

    class Closed(Event):
        """The correction was closed without a decision (no personal field: nothing to seal)."""

        TOPIC = "registry:CorrectionClosed:v1"
        because: str

    @event(Closed)
    def _closed(self, because: str) -> None:
        self.decision = "closed"
