"""Contracts published by the feedback service: each public step of a case, without personal data.

Never the resident's words, address, position, name or photos, and never the officials' free-text
reasons (they may name people): the step, the levels and units, the deadlines, and counts. The
submission names whose case it is by identifiers only (the resident's account, or the household
an official filed it for), so that the communication service can tell the resident of each step
(issue 18) without the feedback service sending a message itself."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, Field

from tothon_shared.contracts.envelope import IntegrationEvent

Level = Literal["group", "ward", "city"]
CHANNEL = "feedback.cases"


class FeedbackSubmitted(IntegrationEvent):
    """A case was filed; ``unit_id`` is the unit that handles it, at its category's competent level."""

    channel = CHANNEL
    event_type: Literal["FeedbackSubmitted"] = "FeedbackSubmitted"
    category: str = Field(max_length=60)
    level: Level
    origin_unit_id: uuid.UUID = Field(description="The unit the case came from (the resident's group).")
    via: Literal["online", "walk_in", "phone", "system"] = Field(description="How the case came in.")
    resident_account_id: uuid.UUID | None = Field(description="The resident who filed it online, if so.")
    household_id: uuid.UUID | None = Field(
        description="The household it is for, when known: the resident's own online, "
        "or the one an official filed it for."
    )
    attachments: int = Field(ge=0, le=20, description="How many photos or files came with it.")
    accept_by: AwareDatetime
    resolve_by: AwareDatetime


class _Moved(IntegrationEvent):
    """The case is now at ``unit_id`` (``level``), waiting for it to accept, with its deadlines."""

    level: Level
    accept_by: AwareDatetime
    resolve_by: AwareDatetime


class FeedbackEscalated(_Moved):
    """The case went one level up: by an official, or by itself when a deadline passed."""

    channel = CHANNEL
    event_type: Literal["FeedbackEscalated"] = "FeedbackEscalated"
    automatic: bool = Field(description="Escalated by the service because a deadline passed.")


class FeedbackReturned(_Moved):
    """The case went down to a lower level, which can settle it."""

    channel = CHANNEL
    event_type: Literal["FeedbackReturned"] = "FeedbackReturned"


class FeedbackReopened(_Moved):
    """The resident was not satisfied with the resolution: the case went one level up."""

    channel = CHANNEL
    event_type: Literal["FeedbackReopened"] = "FeedbackReopened"


class FeedbackAccepted(IntegrationEvent):
    """The handling unit accepted the case."""

    channel = CHANNEL
    event_type: Literal["FeedbackAccepted"] = "FeedbackAccepted"


class FeedbackWorkStarted(IntegrationEvent):
    """Work on the case began."""

    channel = CHANNEL
    event_type: Literal["FeedbackWorkStarted"] = "FeedbackWorkStarted"


class FeedbackReplied(IntegrationEvent):
    """The handling unit replied publicly to the resident (the text is on the case page)."""

    channel = CHANNEL
    event_type: Literal["FeedbackReplied"] = "FeedbackReplied"


class FeedbackResolved(IntegrationEvent):
    """The case was answered publicly with evidence; the resident may confirm or reopen it."""

    channel = CHANNEL
    event_type: Literal["FeedbackResolved"] = "FeedbackResolved"
    evidence: int = Field(ge=1, le=20, description="How many pieces of evidence the answer has.")
    resolved_at: datetime


class FeedbackClosed(IntegrationEvent):
    """The resident confirmed the resolution and rated it."""

    channel = CHANNEL
    event_type: Literal["FeedbackClosed"] = "FeedbackClosed"
    rating: int = Field(ge=1, le=5)


class FeedbackRejected(IntegrationEvent):
    """The case was rejected (the reason is on the case page)."""

    channel = CHANNEL
    event_type: Literal["FeedbackRejected"] = "FeedbackRejected"


class FeedbackMerged(IntegrationEvent):
    """The case was a duplicate of ``into``, which goes on."""

    channel = CHANNEL
    event_type: Literal["FeedbackMerged"] = "FeedbackMerged"
    into: uuid.UUID


FEEDBACK_CONTRACTS: tuple[type[IntegrationEvent], ...] = (
    FeedbackSubmitted,
    FeedbackAccepted,
    FeedbackWorkStarted,
    FeedbackReplied,
    FeedbackResolved,
    FeedbackClosed,
    FeedbackReopened,
    FeedbackEscalated,
    FeedbackReturned,
    FeedbackRejected,
    FeedbackMerged,
)
