"""Feedback's and funds' events → personal notices to the households they concern, run once per
message (messaging.use_cases): each public step of a household's feedback case, new dues, and a
payment recorded with its receipt. Steps of a case filed for no household, a resident's own
closing of a case and dues of nothing (a voluntary fund) are seen and told to no one."""

from __future__ import annotations

from eventsourcing.persistence import Tracking

from tothon_communication.application import CommunicationApplication
from tothon_communication.domain.household_notice import Kind
from tothon_shared.contracts import feedback as fb
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.funds import ContributionPaid, ObligationSet
from tothon_shared.eventstore.application import TrackingApplication
from tothon_shared.messaging.use_cases import UseCase


def _app(app: TrackingApplication) -> CommunicationApplication:
    assert isinstance(app, CommunicationApplication)  # the communication service's use cases
    return app


def case_filed(app: TrackingApplication, event: IntegrationEvent, tracking: Tracking) -> None:
    """A case was filed: followed, and told to its household, when it is for one."""
    assert isinstance(event, fb.FeedbackSubmitted)  # dispatched by event type
    if event.household_id is None:
        _app(app).save(tracking=tracking)  # seen; nobody to tell
        return
    _app(app).tell_household(
        event.event_id,
        event.household_id,
        event.origin_unit_id,
        Kind.FEEDBACK_SUBMITTED,
        event.subject_id,
        {"resolve_by": event.resolve_by.isoformat()},
        event.occurred_at,
        tracking,
        follow_case=True,
    )


_STEPS: dict[type[IntegrationEvent], Kind] = {
    fb.FeedbackAccepted: Kind.FEEDBACK_ACCEPTED,
    fb.FeedbackWorkStarted: Kind.FEEDBACK_WORK_STARTED,
    fb.FeedbackReplied: Kind.FEEDBACK_REPLIED,
    fb.FeedbackResolved: Kind.FEEDBACK_RESOLVED,
    fb.FeedbackRejected: Kind.FEEDBACK_REJECTED,
    fb.FeedbackMerged: Kind.FEEDBACK_MERGED,
    fb.FeedbackEscalated: Kind.FEEDBACK_ESCALATED,
    fb.FeedbackReturned: Kind.FEEDBACK_RETURNED,
    fb.FeedbackReopened: Kind.FEEDBACK_REOPENED,
}


def case_step(app: TrackingApplication, event: IntegrationEvent, tracking: Tracking) -> None:
    """A public step of a case: told to the household it is for (if it is followed)."""
    kind = _STEPS[type(event)]
    level = getattr(event, "level", None)
    facts = {"level": str(level)} if level is not None else {}
    _app(app).tell_case_household(event.event_id, event.subject_id, kind, facts, event.occurred_at, tracking)


def dues_set(app: TrackingApplication, event: IntegrationEvent, tracking: Tracking) -> None:
    """A household owes something new for a levy: told, with the amount (nothing for 0)."""
    assert isinstance(event, ObligationSet)  # dispatched by event type
    if event.amount == 0 or event.unit_id is None:
        _app(app).save(tracking=tracking)
        return
    _app(app).tell_household(
        event.event_id,
        event.household_id,
        event.unit_id,
        Kind.DUES_SET,
        event.levy_id,
        {"amount": event.amount},
        event.occurred_at,
        tracking,
    )


def contribution_paid(app: TrackingApplication, event: IntegrationEvent, tracking: Tracking) -> None:
    """A household's payment was recorded: told, with its receipt's number."""
    assert isinstance(event, ContributionPaid)  # dispatched by event type
    if event.unit_id is None:
        _app(app).save(tracking=tracking)
        return
    _app(app).tell_household(
        event.event_id,
        event.household_id,
        event.unit_id,
        Kind.CONTRIBUTION_PAID,
        event.entry_id,
        {"amount": event.amount, "receipt_number": event.receipt_number},
        event.occurred_at,
        tracking,
    )


# Channel -> event type -> use case (``ServiceDefinition.use_cases``).
USE_CASES: dict[str, dict[str, UseCase]] = {
    "feedback.cases": {
        "FeedbackSubmitted": case_filed,
        **{contract.type_name(): case_step for contract in _STEPS},
    },
    "funds.ledger": {"ObligationSet": dues_set, "ContributionPaid": contribution_paid},
}
