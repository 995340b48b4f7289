"""The case's domain events → the contracts of ``feedback.cases``: the public steps, without the
resident's words or the officials' reasons (``tothon_shared.contracts.feedback``). Internal steps
(assignment, notes) are not published."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar
from uuid import UUID

from tothon_feedback.domain.case import FeedbackCase
from tothon_feedback.domain.workflow import SYSTEM
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.feedback import (
    FeedbackAccepted,
    FeedbackClosed,
    FeedbackEscalated,
    FeedbackMerged,
    FeedbackRejected,
    FeedbackReopened,
    FeedbackReplied,
    FeedbackResolved,
    FeedbackReturned,
    FeedbackSubmitted,
    FeedbackWorkStarted,
)
from tothon_shared.eventstore.context import CommandContext

PRODUCER = "feedback"
CHANNELS = ("feedback.cases",)
E = TypeVar("E", bound=IntegrationEvent)
C = FeedbackCase
# Steps that publish an envelope only: who took them and why stays on the case page.
_BARE: dict[type, type[IntegrationEvent]] = {
    C.Accepted: FeedbackAccepted,
    C.Started: FeedbackWorkStarted,
    C.Replied: FeedbackReplied,
    C.Rejected: FeedbackRejected,
}
_MOVES: dict[type, type[IntegrationEvent]] = {
    C.Returned: FeedbackReturned,
    C.Reopened: FeedbackReopened,
}


def _identified(resident: str, prefix: str) -> UUID | None:
    """The id in a case's ``resident`` when it is of that kind (an account, ``household:<id>``)."""
    kind, _, rest = resident.rpartition(":") if ":" in resident else ("", "", resident)
    if kind != prefix:
        return None
    try:
        return UUID(rest)
    except ValueError:
        return None


def to_integration_events(domain_event: object, ctx: CommandContext) -> Sequence[IntegrationEvent]:
    """The public events a case's domain event implies (none for the internal ones)."""
    event: Any = domain_event

    def public(contract: type[E], unit_id: UUID | None, **fields: object) -> list[IntegrationEvent]:
        return [
            contract.from_domain_event(
                event, producer=PRODUCER, correlation_id=ctx.correlation_id, unit_id=unit_id, **fields
            )
        ]

    def moved(contract: type[E], **fields: object) -> list[IntegrationEvent]:
        arrival = event.arrival
        return public(
            contract,
            arrival["unit_id"],
            level=arrival["level"],
            accept_by=arrival["accept_by"],
            resolve_by=arrival["resolve_by"],
            **fields,
        )

    kind = type(domain_event)
    if kind in _BARE:
        return public(_BARE[kind], None)
    if kind in _MOVES:
        return moved(_MOVES[kind])
    match domain_event:
        case C.Submitted():
            arrival = event.arrival
            return public(
                FeedbackSubmitted,
                arrival["unit_id"],
                category=event.category,
                level=arrival["level"],
                origin_unit_id=event.origin_unit_id,
                via=event.channel,
                resident_account_id=_identified(event.resident, "") if event.channel == "online" else None,
                household_id=event.household_id or _identified(event.resident, "household"),
                attachments=len(event.attachments),
                accept_by=arrival["accept_by"],
                resolve_by=arrival["resolve_by"],
            )
        case C.Escalated():
            return moved(FeedbackEscalated, automatic=event.actor == SYSTEM)
        case C.Resolved():
            return public(FeedbackResolved, None, evidence=len(event.evidence), resolved_at=event.at)
        case C.Closed():
            return public(FeedbackClosed, None, rating=event.rating)
        case C.Merged():
            return public(FeedbackMerged, None, into=event.into)
    return []
