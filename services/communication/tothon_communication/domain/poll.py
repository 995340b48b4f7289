"""Household decisions (Law on Grassroots Democracy 10/2022/QH15): a meeting notice given with the
law's lead time, and a poll of a unit's households — one vote per household, a threshold of the
households eligible when it opened, a public result when it closes (how many voted, how many for
each option, whether it passed; never who voted what).

A household's vote is a ``Ballot`` of its own (one per poll and household, so a second vote, from
the same phone or another, is refused by the event store itself), saved with the poll's count of
it: the count is exact when the poll closes, whatever the read side has caught up with."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_communication.domain.announcement import clean_text
from tothon_shared.kernel.errors import CodedError

# Law 10/2022: a meeting of the community is announced to its households at least 5 days ahead.
MEETING_LEAD = timedelta(days=5)
# Law 10/2022: a matter the community decides passes with more than half of its households.
DEFAULT_THRESHOLD_PERCENT = 50
MAX_QUESTION = 500
MAX_OPTION = 200
MIN_OPTIONS, MAX_OPTIONS = 2, 10
LONGEST_POLL = timedelta(days=60)


class PollError(CodedError):
    """A meeting notice, a poll or a vote refused: ``lead_time``, ``options``, ``option_invalid``,
    ``closes_before_opening``, ``too_long``, ``threshold``, ``closed``, ``not_open``, ``voted``,
    ``not_found``, ``question_required``, ``question_too_long``, ``text_unsafe``."""


def check_lead_time(meets_at: datetime, now: datetime) -> None:
    """A meeting notice must reach households at least ``MEETING_LEAD`` before the meeting."""
    if meets_at - now < MEETING_LEAD:
        raise PollError(code="lead_time")


def _text(text: str, limit: int, field: str) -> str:
    try:
        return clean_text(text, limit, field)
    except CodedError as error:
        raise PollError(code=error.code) from None


def passes(counts: list[int], eligible: int, threshold_percent: int) -> tuple[int | None, bool]:
    """The leading option (None on a tie or no vote) and whether it passed: chosen by more than
    ``threshold_percent`` % of the eligible households."""
    if not counts or max(counts) == 0:
        return None, False
    top = max(counts)
    if counts.count(top) > 1:
        return None, False
    return counts.index(top), top * 100 > threshold_percent * eligible


class Poll(Aggregate):
    """A question put to a unit's households, open until it closes."""

    TOPIC = "communication:Poll:v1"

    class Created(Aggregate.Created):
        TOPIC = "communication:Poll.Created:v1"

    class Opened(Created):
        TOPIC = "communication:Poll.Opened:v1"
        unit_id: UUID
        question: str
        options: list[str]
        opens_at: datetime
        closes_at: datetime
        threshold_percent: int
        eligible: int
        by: str

    @classmethod
    def open(
        cls,
        unit_id: UUID,
        question: str,
        options: list[str],
        opens_at: datetime,
        closes_at: datetime,
        threshold_percent: int,
        eligible: int,
        by: str,
    ) -> Poll:
        """A poll of ``unit_id``'s households (``eligible`` of them now)."""
        cleaned = [_text(o, MAX_OPTION, "option") for o in options]
        if not MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS or len(set(cleaned)) != len(cleaned):
            raise PollError(code="options")
        if closes_at <= opens_at:
            raise PollError(code="closes_before_opening")
        if closes_at - opens_at > LONGEST_POLL:
            raise PollError(code="too_long")
        if not 1 <= threshold_percent <= 99:
            raise PollError(code="threshold")
        return cls(
            unit_id=unit_id,
            question=_text(question, MAX_QUESTION, "question"),
            options=cleaned,
            opens_at=opens_at,
            closes_at=closes_at,
            threshold_percent=threshold_percent,
            eligible=eligible,
            by=by,
        )

    @event(Opened)
    def __init__(
        self,
        unit_id: UUID,
        question: str,
        options: list[str],
        opens_at: datetime,
        closes_at: datetime,
        threshold_percent: int,
        eligible: int,
        by: str,
    ) -> None:
        self.unit_id = unit_id
        self.question = question
        self.options = list(options)
        self.opens_at = opens_at
        self.closes_at = closes_at
        self.threshold_percent = threshold_percent
        self.eligible = eligible
        self.counts = [0] * len(options)
        self.closed_at: datetime | None = None

    def count(self, option: int, at: datetime) -> None:
        """A household's vote counted (its ballot, saved with this, says whose)."""
        if self.closed_at is not None or at >= self.closes_at:
            raise PollError(code="closed")
        if at < self.opens_at:
            raise PollError(code="not_open")
        if not 0 <= option < len(self.options):
            raise PollError(code="option_invalid")
        self._counted(option)

    class Counted(Aggregate.Event):
        """One more vote for ``option`` (whose, only its ballot says)."""

        TOPIC = "communication:Poll.Counted:v1"
        option: int

    @event(Counted)
    def _counted(self, option: int) -> None:
        self.counts[option] += 1

    def close(self, at: datetime, by: str) -> None:
        """Close with the votes counted; the result is worked out here, once."""
        if self.closed_at is not None:
            raise PollError(code="closed")
        counts = list(self.counts)
        winner, passed = passes(counts, self.eligible, self.threshold_percent)
        self._closed(list(counts), sum(counts), winner, passed, at, by, self.unit_id, self.eligible)

    class Closed(Aggregate.Event):
        """The result: published (``PollClosed``), so it names its unit and eligible households."""

        TOPIC = "communication:Poll.Closed:v1"
        counts: list[int]
        voted: int
        winner: int | None
        passed: bool
        at: datetime
        by: str
        unit_id: UUID
        eligible: int

    @event(Closed)
    def _closed(
        self,
        counts: list[int],
        voted: int,
        winner: int | None,
        passed: bool,
        at: datetime,
        by: str,
        unit_id: UUID,
        eligible: int,
    ) -> None:
        self.closed_at = at


class Ballot(Aggregate):
    """One household's vote in one poll."""

    TOPIC = "communication:Ballot:v1"

    @staticmethod
    def create_id(poll_id: UUID, household_id: UUID) -> UUID:
        # One per poll and household: a second vote is refused by the event store.
        return uuid5(NAMESPACE_URL, f"tothon:ballot:{poll_id}:{household_id}")

    class Created(Aggregate.Created):
        TOPIC = "communication:Ballot.Created:v1"

    class Cast(Created):
        TOPIC = "communication:Ballot.Cast:v1"
        poll_id: UUID
        household_id: UUID
        option: int
        by: str
        at: datetime

    @event(Cast)
    def __init__(self, poll_id: UUID, household_id: UUID, option: int, by: str, at: datetime) -> None:
        self.poll_id = poll_id
        self.household_id = household_id
        self.option = option
