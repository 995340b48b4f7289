"""Conversations' use cases: open one (or find it open), post, hide with a reason, mark read.
Who may do each is decided before (``api/conversations.py`` with ``conversation_membership``);
these keep the conversation's own rules."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from tothon_communication.domain.conversation import Conversation, ConversationKind
from tothon_communication.domain.conversation_errors import ConversationError
from tothon_shared.eventstore.application import TrackingApplication

F = TypeVar("F", bound=Callable[..., Any])
_ATTEMPTS = 8


def _retried(use_case: F) -> F:
    """Run a use case again when another write to the same conversation got there first: two
    members posting at once both get their message in, in some order."""

    def run(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(1, _ATTEMPTS):
            try:
                return use_case(*args, **kwargs)
            except IntegrityError:
                time.sleep(random.uniform(0, 0.002 * attempt))  # noqa: S311  # not a secret
        return use_case(*args, **kwargs)

    run.__name__ = use_case.__name__
    run.__doc__ = use_case.__doc__
    return cast(F, run)


class ConversationUseCases(TrackingApplication):
    """Conversations on the communication service's event store."""

    def conversation(self, conversation_id: UUID) -> Conversation:
        """A conversation (``ConversationError`` ``not_found`` if there is none)."""
        try:
            found: object = self.repository.get(conversation_id)
        except AggregateNotFoundError:
            raise ConversationError(code="not_found") from None
        if not isinstance(found, Conversation):
            raise ConversationError(code="not_found")
        return found

    @_retried
    def open_conversation(
        self, kind: ConversationKind, unit_id: UUID, household_id: UUID | None, opened_by: str, at: datetime
    ) -> tuple[UUID, bool]:
        """Open a conversation, or find it open; its id and whether it was opened now."""
        conversation_id = Conversation.create_id(kind.value, unit_id, household_id)
        try:
            self.conversation(conversation_id)
            return conversation_id, False
        except ConversationError:
            pass
        conversation = Conversation.open(kind, unit_id, household_id, opened_by, at)
        self.save(conversation)
        return conversation.id, True

    @_retried
    def post_message(
        self,
        conversation_id: UUID,
        message_id: UUID,
        text: str,
        attachments: list[UUID],
        author_account: str,
        author_household: UUID | None,
        at: datetime,
    ) -> int:
        """Post a message; its place in the conversation."""
        conversation = self.conversation(conversation_id)
        seq = conversation.post(message_id, text, attachments, author_account, author_household, at)
        self.save(conversation)
        return seq

    @_retried
    def hide_message(
        self, conversation_id: UUID, message_id: UUID, moderator: str, reason: str, at: datetime
    ) -> None:
        """Hide a message of a group's channel, with the reason members will see."""
        conversation = self.conversation(conversation_id)
        conversation.hide(message_id, moderator, reason, at)
        self.save(conversation)

    @_retried
    def mark_read(self, conversation_id: UUID, reader: str, up_to: int) -> bool:
        """Move a participant's read marker forward; whether it moved."""
        conversation = self.conversation(conversation_id)
        if conversation.mark_read(reader, up_to):
            self.save(conversation)
            return True
        return False
