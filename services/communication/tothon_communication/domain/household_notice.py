"""A personal notice to one household of a step in another service that concerns it: its feedback
case moved on, new dues were set, a payment was recorded with its receipt. One per step (its id
comes from the source event), so a step delivered twice is one notice. What it says is kept as a
kind and its facts; the words are the service's, in the reader's language."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class Kind(StrEnum):
    """What happened, in the words a household reads (``messages``: communication.personal.*)."""

    FEEDBACK_SUBMITTED = "feedback_submitted"
    FEEDBACK_ACCEPTED = "feedback_accepted"
    FEEDBACK_ESCALATED = "feedback_escalated"
    FEEDBACK_RETURNED = "feedback_returned"
    FEEDBACK_REOPENED = "feedback_reopened"
    FEEDBACK_WORK_STARTED = "feedback_work_started"
    FEEDBACK_REPLIED = "feedback_replied"
    FEEDBACK_RESOLVED = "feedback_resolved"
    FEEDBACK_REJECTED = "feedback_rejected"
    FEEDBACK_MERGED = "feedback_merged"
    DUES_SET = "dues_set"
    CONTRIBUTION_PAID = "contribution_paid"


class HouseholdNotice(Aggregate):
    """One step told to one household."""

    TOPIC = "communication:HouseholdNotice:v1"

    @staticmethod
    def create_id(source_event_id: UUID) -> UUID:
        # One per source event: delivered twice, told once.
        return uuid5(NAMESPACE_URL, f"tothon:household-notice:{source_event_id}")

    class Created(Aggregate.Created):
        TOPIC = "communication:HouseholdNotice.Created:v1"

    class Posted(Created):
        TOPIC = "communication:HouseholdNotice.Posted:v1"
        source_event_id: UUID
        household_id: UUID
        unit_id: UUID
        kind: str
        subject_id: UUID
        facts: dict[str, Any]
        at: datetime

    @event(Posted)
    def __init__(
        self,
        source_event_id: UUID,
        household_id: UUID,
        unit_id: UUID,
        kind: str,
        subject_id: UUID,
        facts: dict[str, Any],
        at: datetime,
    ) -> None:
        self.household_id = household_id
        self.kind = Kind(kind)
        self.subject_id = subject_id
        self.facts = dict(facts)


class CaseFollow(Aggregate):
    """Which household a feedback case is for: its later steps name only the case."""

    TOPIC = "communication:CaseFollow:v1"

    @staticmethod
    def create_id(case_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"tothon:case-follow:{case_id}")

    class Created(Aggregate.Created):
        TOPIC = "communication:CaseFollow.Created:v1"

    class Started(Created):
        TOPIC = "communication:CaseFollow.Started:v1"
        case_id: UUID
        household_id: UUID
        unit_id: UUID

    @event(Started)
    def __init__(self, case_id: UUID, household_id: UUID, unit_id: UUID) -> None:
        self.case_id = case_id
        self.household_id = household_id
        self.unit_id = unit_id
