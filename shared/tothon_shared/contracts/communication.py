"""Contracts published by the communication service: announcements and their acknowledgements,
messages, polls' results and emergency check-ins, without personal data — households and accounts
by id, never a name, a phone number or a message's text."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import AwareDatetime, Field

from tothon_shared.contracts.envelope import IntegrationEvent

# --- announcements ---
ANNOUNCEMENTS_CHANNEL = "communication.announcements"


class AnnouncementPublished(IntegrationEvent):
    """A notice (``subject_id``) was written for the subtree of ``unit_id``: its title, category
    and priority, the groups it is narrowed to (none: the whole subtree), when it shows and
    expires. Its households are never listed: a subscriber works them out from the unit tree."""

    channel = ANNOUNCEMENTS_CHANNEL
    event_type: Literal["AnnouncementPublished"] = "AnnouncementPublished"
    title: str = Field(max_length=200)
    category: Literal["policy_law", "local_notice", "meeting_notice", "emergency"]
    priority: Literal["normal", "urgent"]
    requires_ack: bool
    groups: list[uuid.UUID] = Field(default_factory=list, max_length=200)
    publish_at: AwareDatetime
    expires_at: AwareDatetime | None = None
    bands: list[Literal["children", "working_age", "retired"]] = Field(
        default_factory=list,
        max_length=3,
        description="Only households with a member in one of these age bands (none: every household).",
    )
    heads_only: bool = Field(default=False, description="Addressed to the heads of household.")


class AnnouncementAcknowledged(IntegrationEvent):
    """A household (``household_id``, in ``unit_id``) acknowledged a notice (``subject_id``): on
    its own page, or told by the group leader in person or by loudspeaker."""

    channel = ANNOUNCEMENTS_CHANNEL
    event_type: Literal["AnnouncementAcknowledged"] = "AnnouncementAcknowledged"
    household_id: uuid.UUID
    means: Literal["app", "in_person", "loudspeaker"]


# --- conversations ---
CONVERSATIONS_CHANNEL = "communication.conversations"


class MessagePosted(IntegrationEvent):
    """A message was posted in a conversation (``subject_id``; ``unit_id`` its unit): who wrote it
    by account (an official) or by household (a resident), never its text or a name."""

    channel = CONVERSATIONS_CHANNEL
    event_type: Literal["MessagePosted"] = "MessagePosted"
    message_id: uuid.UUID
    kind: Literal["resident-leader", "resident-police", "group-channel", "officials"]
    seq: int = Field(ge=1, description="The message's place in its conversation.")
    author_account_id: uuid.UUID | None = Field(
        description="An official author's account; none for a resident."
    )
    author_household_id: uuid.UUID | None = Field(
        description="A resident author's household; none for an official."
    )
    attachments: int = Field(ge=0, description="How many files the message carries.")


# --- emergencies ---
EMERGENCIES_CHANNEL = "communication.emergencies"


class CheckInReported(IntegrationEvent):
    """A household (``household_id``, in ``unit_id``) answered an emergency (``subject_id``): safe
    or needing help — its first answer or a change of it. Never its note."""

    channel = EMERGENCIES_CHANNEL
    event_type: Literal["CheckInReported"] = "CheckInReported"
    household_id: uuid.UUID
    status: Literal["safe", "needs_help"]
    first: bool = Field(description="The household's first answer (a change of it: false).")


# --- civic ---
CIVIC_CHANNEL = "communication.civic"


class PollClosed(IntegrationEvent):
    """A poll of the households of ``unit_id`` (``subject_id``) closed (Law 10/2022): how many
    households were eligible when it opened, how many voted, how many chose each option (in the
    poll's order), the leading option (none on a tie or no vote) and whether it passed — chosen by
    more than the poll's threshold of the eligible households. Never who voted what."""

    channel = CIVIC_CHANNEL
    event_type: Literal["PollClosed"] = "PollClosed"
    eligible: int = Field(ge=0)
    voted: int = Field(ge=0)
    counts: list[int] = Field(min_length=2, max_length=10)
    winner: int | None = Field(default=None, ge=0, le=9)
    passed: bool
    closed_at: AwareDatetime


ANNOUNCEMENT_CONTRACTS: tuple[type[IntegrationEvent], ...] = (AnnouncementPublished, AnnouncementAcknowledged)
CONVERSATION_CONTRACTS: tuple[type[IntegrationEvent], ...] = (MessagePosted,)
EMERGENCY_CONTRACTS: tuple[type[IntegrationEvent], ...] = (CheckInReported,)
CIVIC_CONTRACTS: tuple[type[IntegrationEvent], ...] = (PollClosed,)
