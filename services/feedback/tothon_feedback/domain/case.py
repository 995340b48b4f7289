"""A resident's feedback or petition (phản ánh, kiến nghị) and its way through the levels.

Every step is an event saying who took it, why and when (``at``: the caller's clock, the domain
reads none). A case starts at the lowest competent level for its category and gets that level's
deadlines; it climbs one level at a time (escalated by an official or, when a deadline passes, by
the system; reopened by a dissatisfied resident) and may be returned down, with new deadlines at
each arrival. Which step each state allows is ``workflow.ALLOWED``; where a case goes, ``routing``.
Each event applies itself (``apply``): the state it sets is read next to the fields it carries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from tothon_feedback.domain import routing, workflow
from tothon_feedback.domain.calendar import aware
from tothon_feedback.domain.categories import Category
from tothon_feedback.domain.deadlines import DeadlineRule, due_for_escalation
from tothon_feedback.domain.errors import CaseStateError, FormalProcedureError, given
from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.routing import ArrivalRecord, ParentLookup, arrival
from tothon_feedback.domain.submission import Channel, Submission
from tothon_feedback.domain.workflow import DEADLINE_PASSED, SYSTEM, CaseStatus, Step, require, written


class FeedbackCase(Aggregate):
    """One case: its handling unit and level, its deadlines there, and its outcome."""

    # Stable stored topics: events stay readable when modules move.
    TOPIC = "feedback:FeedbackCase:v1"

    def __init__(self) -> None:
        # What a case holds; ``Submitted.apply`` fills it in.
        self.resident = self.submitted_by = self.category = self.text = ""
        self.submitted_at = self.accept_by = self.resolve_by = datetime.min.replace(tzinfo=UTC)
        self.channel, self.status, self.level = Channel.ONLINE, CaseStatus.SUBMITTED, Level.GROUP
        self.origin_unit_id = self.unit_id = UUID(int=0)
        # The units that handled the case, in order, the first at its competent level.
        self.path: list[tuple[Level, UUID]] = []
        self.answer: str | None = None
        self.evidence: list[str] = []
        self.rating: int | None = None
        self.merged_into: UUID | None = None
        self.escalations = self.reopenings = 0
        self.address = ""
        self.position: tuple[float, float] | None = None
        self.attachments: list[str] = []
        self.name_public = False
        # The official the handling unit gave the case to, if any (cleared when it moves on).
        self.assignee: str | None = None

    class Created(Aggregate.Created):
        """The base of the aggregate's creation events (required once TOPIC is declared)."""

        TOPIC = "feedback:FeedbackCase.Created:v1"

    @classmethod
    def submit(
        cls,
        case_id: UUID,
        submission: Submission,
        category: Category,
        at: datetime,
        parent_unit: ParentLookup,
        deadlines: DeadlineRule,
    ) -> FeedbackCase:
        """File a case (its id chosen by the caller, so a repeated submission can be told apart) at
        the unit of its category's competent level. Complaints and denunciations are refused, to be
        redirected to their own procedure."""
        if category.formal_procedure:
            raise FormalProcedureError(category.code)
        unit_id, level = routing.competent_unit(submission.unit_id, submission.level, category, parent_unit)
        return cls._create(
            cls.Submitted,
            id=case_id,
            resident=submission.resident,
            actor=submission.actor,
            reason=submission.reason,
            at=at,
            channel=submission.channel.value,
            category=category.code,
            text=submission.text,
            origin_unit_id=submission.unit_id,
            arrival=arrival(unit_id, level, aware(at), deadlines),
            address=submission.address,
            position=list(submission.position) if submission.position is not None else None,
            attachments=list(submission.attachments),
            name_public=submission.name_public,
            public_name=submission.public_name,
            household_id=submission.household_id,
        )

    class Submitted(Created):
        """A case was filed and sent to its handling unit, with that level's deadlines."""

        TOPIC = "feedback:FeedbackCase.Submitted:v1"
        resident: str
        actor: str
        reason: str
        at: datetime
        channel: str
        category: str
        text: str
        origin_unit_id: UUID
        arrival: ArrivalRecord
        address: str
        position: list[float] | None
        attachments: list[str]
        name_public: bool
        public_name: str
        # The resident's household, when known; absent from cases filed before it was kept.
        household_id: UUID | None = None

        def apply(self, aggregate: FeedbackCase) -> None:
            aggregate.resident, aggregate.submitted_by = self.resident, self.actor
            aggregate.submitted_at, aggregate.channel = self.at, Channel(self.channel)
            aggregate.category, aggregate.text = self.category, self.text
            aggregate.origin_unit_id = self.origin_unit_id
            aggregate.address, aggregate.name_public = self.address, self.name_public
            aggregate.position = (self.position[0], self.position[1]) if self.position else None
            aggregate.attachments = list(self.attachments)
            aggregate.arrive(self.arrival)

    class Event(Aggregate.Event):
        """The base of the case's other events: who took the step, why, and when."""

        TOPIC = "feedback:FeedbackCase.Event:v1"
        actor: str
        reason: str
        at: datetime

    def arrive(self, at_unit: ArrivalRecord) -> None:
        """Be at a unit, waiting for it to accept the case (what every move ends with)."""
        self.status = CaseStatus.SUBMITTED
        self.unit_id, self.level = at_unit["unit_id"], Level(at_unit["level"])
        self.accept_by, self.resolve_by = at_unit["accept_by"], at_unit["resolve_by"]
        self.path.append((self.level, self.unit_id))
        self.assignee = None  # the new unit gives the case to one of its own

    @property
    def current_due(self) -> datetime | None:
        """The deadline the case's unit works to now: to accept it, then to resolve it."""
        if self.status is CaseStatus.SUBMITTED:
            return self.accept_by
        return self.resolve_by if self.status.is_open else None

    # --- the handling unit's work ---

    def accept(self, actor: str, at: datetime, reason: str = "") -> None:
        """The handling unit takes the case on."""
        require(Step.ACCEPT, self.status)
        self.trigger_event(self.Accepted, actor=actor, reason=reason, at=aware(at))

    class Accepted(Event):
        """The handling unit accepted the case."""

        TOPIC = "feedback:FeedbackCase.Accepted:v1"

        def apply(self, aggregate: FeedbackCase) -> None:
            aggregate.status = CaseStatus.ACCEPTED

    def start(self, actor: str, at: datetime, reason: str = "") -> None:
        """Work on the case has begun (on site, with another body, ...)."""
        require(Step.START, self.status)
        self.trigger_event(self.Started, actor=actor, reason=reason, at=aware(at))

    class Started(Event):
        """Work on the case began."""

        TOPIC = "feedback:FeedbackCase.Started:v1"

        def apply(self, aggregate: FeedbackCase) -> None:
            aggregate.status = CaseStatus.IN_PROGRESS

    def resolve(
        self, actor: str, at: datetime, answer: str, evidence: Sequence[str], reason: str = ""
    ) -> None:
        """Answer the case publicly, with evidence (references to photos or documents)."""
        require(Step.RESOLVE, self.status)
        workflow.check_answer(answer, evidence)
        self.trigger_event(
            self.Resolved, actor=actor, reason=reason, at=aware(at), answer=answer, evidence=list(evidence)
        )

    class Resolved(Event):
        """The unit answered the case, with evidence; the resident may now close or reopen it."""

        TOPIC = "feedback:FeedbackCase.Resolved:v1"
        answer: str
        evidence: list[str]

        def apply(self, aggregate: FeedbackCase) -> None:
            aggregate.status, aggregate.answer = CaseStatus.RESOLVED, self.answer
            aggregate.evidence = list(self.evidence)

    def reject(self, actor: str, reason: str, at: datetime) -> None:
        """Refuse the case (not feedback the service handles, say), with the reason."""
        require(Step.REJECT, self.status)
        self.trigger_event(self.Rejected, actor=actor, reason=given(reason), at=aware(at))

    class Rejected(Event):
        """The case was rejected."""

        TOPIC = "feedback:FeedbackCase.Rejected:v1"

        def apply(self, aggregate: FeedbackCase) -> None:
            aggregate.status = CaseStatus.REJECTED

    def merge_into(self, case_id: UUID, actor: str, reason: str, at: datetime) -> None:
        """Close this case as a duplicate of ``case_id``, which goes on."""
        require(Step.MERGE, self.status)
        if case_id == self.id:
            raise CaseStateError(code="same_case", step=Step.MERGE.value, status=self.status.value)
        self.trigger_event(self.Merged, actor=actor, reason=given(reason), at=aware(at), into=case_id)

    class Merged(Event):
        """The case was a duplicate of ``into``."""

        TOPIC = "feedback:FeedbackCase.Merged:v1"
        into: UUID

        def apply(self, aggregate: FeedbackCase) -> None:
            aggregate.status, aggregate.merged_into = CaseStatus.MERGED, self.into

    # --- the resident's answer ---

    def close(self, actor: str, at: datetime, rating: int, reason: str = "") -> None:
        """The resident confirms the resolution and rates it, 1 to 5 stars."""
        require(Step.CLOSE, self.status)
        workflow.check_rating(rating)
        self.trigger_event(self.Closed, actor=actor, reason=reason, at=aware(at), rating=rating)

    class Closed(Event):
        """The resident confirmed the resolution and rated it."""

        TOPIC = "feedback:FeedbackCase.Closed:v1"
        rating: int

        def apply(self, aggregate: FeedbackCase) -> None:
            aggregate.status, aggregate.rating = CaseStatus.CLOSED, self.rating

    def reopen(
        self, actor: str, reason: str, at: datetime, parent_unit: ParentLookup, rule: DeadlineRule
    ) -> None:
        """The resident is not satisfied: the case goes one level up (at the city, it stays)."""
        require(Step.REOPEN, self.status)
        unit_id, level = routing.reopened_at(self.unit_id, self.level, parent_unit)
        to = arrival(unit_id, level, aware(at), rule)
        self.trigger_event(self.Reopened, actor=actor, reason=given(reason), at=at, arrival=to)

    class Reopened(Event):
        """The resident was not satisfied; the case went to the level above."""

        TOPIC = "feedback:FeedbackCase.Reopened:v1"
        arrival: ArrivalRecord

        def apply(self, aggregate: FeedbackCase) -> None:
            aggregate.arrive(self.arrival)
            aggregate.reopenings += 1

    # --- moving between levels ---

    def escalate(
        self, actor: str, reason: str, at: datetime, parent_unit: ParentLookup, rule: DeadlineRule
    ) -> None:
        """Send the case to the level above, with the reason."""
        require(Step.ESCALATE, self.status)
        unit_id, level = routing.one_level_up(self.unit_id, self.level, parent_unit)
        to = arrival(unit_id, level, aware(at), rule)
        self.trigger_event(self.Escalated, actor=actor, reason=given(reason), at=at, arrival=to)

    def escalate_overdue(self, at: datetime, parent_unit: ParentLookup, rule: DeadlineRule) -> None:
        """The escalation the system makes when the case's deadline has passed at ``at``."""
        require(Step.ESCALATE, self.status)
        if not due_for_escalation(self, aware(at)):
            raise CaseStateError(code="not_due", step=Step.ESCALATE.value, status=self.status.value)
        self.escalate(SYSTEM, DEADLINE_PASSED, at, parent_unit, rule)

    class Escalated(Event):
        """The case went to the level above (``actor`` is ``system`` when a deadline passed)."""

        TOPIC = "feedback:FeedbackCase.Escalated:v1"
        arrival: ArrivalRecord

        def apply(self, aggregate: FeedbackCase) -> None:
            aggregate.arrive(self.arrival)
            aggregate.escalations += 1

    def return_to(
        self, unit_id: UUID, level: Level, actor: str, reason: str, at: datetime, rule: DeadlineRule
    ) -> None:
        """Send the case down to ``unit_id`` at a lower ``level``, with the reason (it is theirs)."""
        require(Step.RETURN, self.status)
        to = arrival(unit_id, routing.lower(self.level, level), aware(at), rule)
        self.trigger_event(self.Returned, actor=actor, reason=given(reason), at=at, arrival=to)

    class Returned(Event):
        """The case went down to a lower level."""

        TOPIC = "feedback:FeedbackCase.Returned:v1"
        arrival: ArrivalRecord

        def apply(self, aggregate: FeedbackCase) -> None:
            aggregate.arrive(self.arrival)

    # --- working the case: who has it, what the unit notes, what it tells the resident ---

    def assign(self, official: str, actor: str, at: datetime, reason: str = "") -> None:
        """Give the case to a named official of the handling unit (or take it back: ``""``)."""
        require(Step.ASSIGN, self.status)
        self.trigger_event(self.Assigned, actor=actor, reason=reason, at=aware(at), official=official)

    class Assigned(Event):
        """The handling unit gave the case to ``official`` (nobody: empty)."""

        TOPIC = "feedback:FeedbackCase.Assigned:v1"
        official: str

        def apply(self, aggregate: FeedbackCase) -> None:
            aggregate.assignee = self.official or None

    def note(self, text: str, actor: str, at: datetime) -> None:
        """An internal note of the officials, never shown to the resident or the public."""
        self.trigger_event(self.Noted, actor=actor, reason="", at=aware(at), text=written(text))

    class Noted(Event):
        """An internal note was added."""

        TOPIC = "feedback:FeedbackCase.Noted:v1"
        text: str

        def apply(self, aggregate: FeedbackCase) -> None:
            pass  # read by the timeline, not by the workflow

    def reply(self, text: str, actor: str, at: datetime) -> None:
        """A public reply to the resident while the case is worked on (a visit planned, a
        question): the resident sees it on their case page."""
        require(Step.REPLY, self.status)
        self.trigger_event(self.Replied, actor=actor, reason="", at=aware(at), text=written(text))

    class Replied(Event):
        """The handling unit replied publicly."""

        TOPIC = "feedback:FeedbackCase.Replied:v1"
        text: str

        def apply(self, aggregate: FeedbackCase) -> None:
            pass  # read by the timeline, not by the workflow
