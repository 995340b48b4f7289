"""Personal notices' use cases, run once per inbound message (with its tracking): a feedback case
filed for a household is followed, each public step of it is told to that household; new dues and
recorded payments are told to the household they concern."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Tracking

from tothon_communication.domain.household_notice import CaseFollow, HouseholdNotice, Kind
from tothon_shared.eventstore.application import TrackingApplication


class HouseholdNoticeUseCases(TrackingApplication):
    """Personal notices on the communication service's event store."""

    def tell_household(
        self,
        source_event_id: UUID,
        household_id: UUID,
        unit_id: UUID,
        kind: Kind,
        subject_id: UUID,
        facts: dict[str, Any],
        at: datetime,
        tracking: Tracking,
        follow_case: bool = False,
    ) -> None:
        """A notice of ``kind`` to the household (and, for a case just filed, its follow-up); the
        same source event published twice (a producer's retry) is told once."""
        if self._posted(HouseholdNotice.create_id(source_event_id)):
            self.save(tracking=tracking)
            return
        notice = HouseholdNotice(
            source_event_id=source_event_id,
            household_id=household_id,
            unit_id=unit_id,
            kind=kind.value,
            subject_id=subject_id,
            facts=facts,
            at=at,
        )
        follow = (
            CaseFollow(case_id=subject_id, household_id=household_id, unit_id=unit_id)
            if follow_case
            else None
        )
        self.save(notice, follow, tracking=tracking)

    def tell_case_household(
        self,
        source_event_id: UUID,
        case_id: UUID,
        kind: Kind,
        facts: dict[str, Any],
        at: datetime,
        tracking: Tracking,
    ) -> None:
        """A step of a followed case, told to its household; a case not followed (filed for no
        household) is only marked as seen."""
        try:
            found: object = self.repository.get(CaseFollow.create_id(case_id))
        except AggregateNotFoundError:
            self.save(tracking=tracking)
            return
        assert isinstance(found, CaseFollow)
        self.tell_household(
            source_event_id, found.household_id, found.unit_id, kind, case_id, facts, at, tracking
        )

    def _posted(self, notice_id: UUID) -> bool:
        try:
            self.repository.get(notice_id)
        except AggregateNotFoundError:
            return False
        return True
