"""Emergencies' use cases: declare one (its urgent notice saved with it), close it, and a
household's check-in. Who may do each is decided before (``api/emergencies.py``)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from tothon_communication.domain.announcement import Announcement, Category, Priority
from tothon_communication.domain.emergency import CheckIn, Emergency, EmergencyError, Hazard, Status
from tothon_shared.eventstore.application import TrackingApplication


class EmergencyUseCases(TrackingApplication):
    """Emergencies on the communication service's event store."""

    def emergency(self, emergency_id: UUID) -> Emergency:
        """An emergency (``EmergencyError`` ``not_found`` if there is none)."""
        try:
            found: object = self.repository.get(emergency_id)
        except AggregateNotFoundError:
            raise EmergencyError(code="not_found") from None
        if not isinstance(found, Emergency):
            raise EmergencyError(code="not_found")
        return found

    def declare_emergency(
        self,
        unit_id: UUID,
        groups: list[UUID],
        hazard: Hazard,
        title: str,
        body: str,
        by: str,
        at: datetime,
    ) -> Emergency:
        """An emergency for ``unit_id``'s subtree (or some of its groups): its urgent notice goes to
        every household's feed at once, asking each to check in. Both are stored together."""
        notice = Announcement.write(
            unit_id, groups, title, body, Category.EMERGENCY, Priority.URGENT, at, None, by
        )
        emergency = Emergency(
            announcement_id=notice.id,
            unit_id=unit_id,
            hazard=hazard.value,
            by=by,
            at=at,
        )
        self.save(notice, emergency)
        return emergency

    def close_emergency(self, emergency_id: UUID, by: str, at: datetime) -> None:
        """The danger has passed."""
        emergency = self.emergency(emergency_id)
        emergency.close(by, at)
        self.save(emergency)

    def check_in(
        self,
        emergency_id: UUID,
        household_id: UUID,
        unit_id: UUID,
        status: Status,
        note: str | None,
        by: str,
        at: datetime,
    ) -> bool:
        """A household's answer; False when it repeats the last one (a queued answer sent again)."""
        first = CheckIn.report(emergency_id, household_id, unit_id, status, note, by, at)
        try:
            # Most households answer once: try the first answer without looking for an earlier one.
            self.save(first)
            return True
        except IntegrityError:
            pass
        for _ in range(3):
            found: object = self.repository.get(first.id)
            assert isinstance(found, CheckIn)  # the id is derived for check-ins only
            if not found.change(status, note, by, at):
                return False
            try:
                self.save(found)
                return True
            except IntegrityError:
                continue  # the household's other phone answered meanwhile: look again
        return False
