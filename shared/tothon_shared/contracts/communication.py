"""Contracts published by the communication service: announcements and their acknowledgements,
messages, polls' results and emergency check-ins, without personal data — households and accounts
by id, never a name, a phone number or a message's text."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import Field

from tothon_shared.contracts.envelope import IntegrationEvent

# --- announcements ---
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


# --- civic ---
ANNOUNCEMENT_CONTRACTS: tuple[type[IntegrationEvent], ...] = ()
CONVERSATION_CONTRACTS: tuple[type[IntegrationEvent], ...] = (MessagePosted,)
CIVIC_CONTRACTS: tuple[type[IntegrationEvent], ...] = ()
