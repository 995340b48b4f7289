"""Named refusals of conversations, each with a code the error map turns into a message."""

from __future__ import annotations

from tothon_shared.kernel.errors import CodedError


class ConversationError(CodedError):
    """A message or a step a conversation refuses: ``text_required``, ``text_too_long``,
    ``text_unsafe``, ``too_many_attachments``, ``attachment_repeated``, ``duplicate_message``,
    ``household_required``, ``household_unexpected``, ``not_moderated``, ``message_not_found``,
    ``hidden_already``, ``reason_required``, ``reason_invalid``, ``beyond_last``, ``not_found``."""
