"""Household decisions' use cases: a meeting notice (an announcement given the law's lead time),
a poll opened, a household's vote (its ballot and the poll's count saved together), a poll
closed with its result. Who may do each is decided before (``api/polls.py``)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from tothon_communication.domain.announcement import Announcement, Category, Priority
from tothon_communication.domain.poll import Ballot, Poll, PollError, check_lead_time
from tothon_shared.eventstore.application import TrackingApplication
from tothon_shared.kernel.clock import VIETNAM


class PollUseCases(TrackingApplication):
    """Household decisions on the communication service's event store."""

    def poll(self, poll_id: UUID) -> Poll:
        try:
            found: object = self.repository.get(poll_id)
        except AggregateNotFoundError:
            raise PollError(code="not_found") from None
        if not isinstance(found, Poll):
            raise PollError(code="not_found")
        return found

    def announce_meeting(
        self,
        unit_id: UUID,
        groups: list[UUID],
        title: str,
        body: str,
        meets_at: datetime,
        place: str,
        by: str,
        now: datetime,
    ) -> Announcement:
        """A meeting notice to every household of the unit (or some groups), at least the law's
        lead time ahead; its time and place are part of its text."""
        check_lead_time(meets_at, now)
        when = meets_at.astimezone(VIETNAM).strftime("%H:%M ngày %d/%m/%Y")
        text = f"{body.strip()}\n\nThời gian: {when}\nĐịa điểm: {place.strip()}"
        notice = Announcement.write(
            unit_id,
            groups,
            title,
            text,
            Category.MEETING_NOTICE,
            Priority.NORMAL,
            now,
            meets_at,
            by,
            heads_only=True,
        )
        self.save(notice)
        return notice

    def open_poll(
        self,
        unit_id: UUID,
        question: str,
        options: list[str],
        opens_at: datetime,
        closes_at: datetime,
        threshold_percent: int,
        eligible: int,
        by: str,
    ) -> Poll:
        poll = Poll.open(unit_id, question, options, opens_at, closes_at, threshold_percent, eligible, by)
        self.save(poll)
        return poll

    def vote(self, poll_id: UUID, household_id: UUID, option: int, by: str, at: datetime) -> None:
        """A household's one vote; a second is refused (``voted``)."""
        ballot_id = Ballot.create_id(poll_id, household_id)
        for _ in range(10):  # households of a group voting at once: each retries on the count
            poll = self.poll(poll_id)
            poll.count(option, at)  # closed, not open yet, no such option: said first
            if ballot_id in self.repository:
                raise PollError(code="voted")
            ballot = Ballot(poll_id=poll_id, household_id=household_id, option=option, by=by, at=at)
            try:
                self.save(poll, ballot)
                return
            except IntegrityError:
                continue  # another vote was counted meanwhile (or this household's other phone)
        raise PollError(code="busy")

    def close_poll(self, poll_id: UUID, by: str, at: datetime) -> Poll:
        poll = self.poll(poll_id)
        poll.close(at, by)
        self.save(poll)
        return poll
