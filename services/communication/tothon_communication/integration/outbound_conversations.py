"""Conversations' domain events → ``communication.conversations``: that a message was posted, by
whom (an official's account or a resident's household) and where, never its text."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from tothon_communication.domain.conversation import Conversation
from tothon_shared.contracts.communication import MessagePosted
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.eventstore.context import CommandContext

PRODUCER = "communication"
CHANNEL = "communication.conversations"


def conversation_events(domain_event: object, ctx: CommandContext) -> Sequence[IntegrationEvent]:
    """``MessagePosted`` for a posted message; nothing for the conversations' other events."""
    if not isinstance(domain_event, Conversation.MessagePosted):
        return ()
    kind, unit_id = domain_event.kind, domain_event.unit_id
    resident = domain_event.author_household is not None
    return [
        MessagePosted.from_domain_event(
            domain_event,
            producer=PRODUCER,
            correlation_id=ctx.correlation_id,
            unit_id=unit_id,
            message_id=domain_event.message_id,
            kind=kind,
            seq=domain_event.seq,
            author_account_id=None if resident else _account(domain_event.author_account),
            author_household_id=domain_event.author_household,
            attachments=len(domain_event.attachments),
        )
    ]


def _account(author: str) -> UUID | None:
    """An official's account id; none for an author that is no account (the system, a seed)."""
    try:
        return UUID(author)
    except ValueError:
        return None
