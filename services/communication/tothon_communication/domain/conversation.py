"""A conversation (issue 18, point 4): a resident's household with its group leader or with the
area police officer of its area, a group's moderated channel, or the officials of a unit among
themselves. Its messages are kept in order; a group channel's moderator hides a message with a
reason, its text staying in the events for audit; nobody edits what was said. Who reads how far
is kept per participant, for their unread counts."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_communication.domain.conversation_errors import ConversationError
from tothon_shared.kernel.text import unsafe_character

# A message is a chat line or a few paragraphs, not a document (a document goes as a PDF).
MAX_TEXT = 2000
MAX_ATTACHMENTS = 5
MAX_REASON = 500
_ALLOWED = "\n\t"  # a message may hold line breaks and tabs, nothing else invisible


class ConversationKind(StrEnum):
    """Who a conversation is between (``conversation_membership`` says who takes part)."""

    RESIDENT_LEADER = "resident-leader"  # a household and its group's leader; unit: the group
    RESIDENT_POLICE = "resident-police"  # a household and its area's police officer; unit: the area
    GROUP_CHANNEL = "group-channel"  # a group's residents and officials, moderated; unit: the group
    OFFICIALS = "officials"  # the officials of a unit and of the units below it

    @property
    def with_household(self) -> bool:
        """Whether the conversation is one household's."""
        return self in (ConversationKind.RESIDENT_LEADER, ConversationKind.RESIDENT_POLICE)


def message_text(text: str) -> str:
    """``text`` as a message keeps it: NFC, trimmed, line breaks as ``\\n``; refused when empty
    (``text_required``), longer than ``MAX_TEXT`` (``text_too_long``) or holding a control or
    invisible character (``text_unsafe``)."""
    cleaned = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not cleaned:
        raise ConversationError(code="text_required")
    if len(cleaned) > MAX_TEXT:
        raise ConversationError(code="text_too_long")
    if unsafe_character(cleaned, _ALLOWED) is not None:
        raise ConversationError(code="text_unsafe")
    return cleaned


def _reason(reason: str) -> str:
    cleaned = " ".join(unicodedata.normalize("NFC", reason).split())
    if not cleaned:
        raise ConversationError(code="reason_required")
    if len(cleaned) > MAX_REASON or unsafe_character(cleaned) is not None:
        raise ConversationError(code="reason_invalid")
    return cleaned


class Conversation(Aggregate):
    """One conversation and its messages."""

    TOPIC = "communication:Conversation:v1"

    class Created(Aggregate.Created):
        """The base of the aggregate's creation events (required once TOPIC is declared)."""

        TOPIC = "communication:Conversation.Created:v1"

    @staticmethod
    def create_id(kind: str, unit_id: UUID, household_id: UUID | None) -> UUID:
        # One conversation per kind, unit and household: opening it again finds it, not a twin.
        return uuid5(NAMESPACE_URL, f"tothon:conversation:{kind}:{unit_id}:{household_id}")

    @classmethod
    def open(
        cls, kind: ConversationKind, unit_id: UUID, household_id: UUID | None, opened_by: str, at: datetime
    ) -> Conversation:
        """Open a conversation; a household's kinds name the household, the others none."""
        if kind.with_household != (household_id is not None):
            raise ConversationError(
                code="household_required" if kind.with_household else "household_unexpected"
            )
        return cls(kind=kind.value, unit_id=unit_id, household_id=household_id, opened_by=opened_by, at=at)

    class Opened(Created):
        """A conversation was opened."""

        TOPIC = "communication:Conversation.Opened:v1"
        kind: str
        unit_id: UUID
        household_id: UUID | None
        opened_by: str
        at: datetime

    @event(Opened)
    def __init__(
        self, kind: str, unit_id: UUID, household_id: UUID | None, opened_by: str, at: datetime
    ) -> None:
        self.kind = ConversationKind(kind)
        self.unit_id = unit_id
        self.household_id = household_id
        self.opened_by = opened_by
        self.opened_at = at
        self.messages: dict[UUID, int] = {}  # message id → its place (1, 2, …)
        self.authors: dict[UUID, str] = {}  # message id → the posting account
        self.hidden: set[UUID] = set()
        self.read_up_to: dict[str, int] = {}  # participant's account id → the last place read
        self.last_at: datetime | None = None

    @property
    def last(self) -> int:
        """The place of the latest message (0 when there is none)."""
        return len(self.messages)

    def unread_by(self, reader: str) -> int:
        """How many messages others wrote after the reader's marker."""
        marker = self.read_up_to.get(reader, 0)
        return sum(
            1
            for message_id, seq in self.messages.items()
            if seq > marker and self.authors[message_id] != reader
        )

    def post(
        self,
        message_id: UUID,
        text: str,
        attachments: list[UUID],
        author_account: str,
        author_household: UUID | None,
        at: datetime,
    ) -> int:
        """Post a message (its text cleaned by ``message_text``); its place. A message id posted
        before is refused (``duplicate_message``)."""
        if message_id in self.messages:
            raise ConversationError(code="duplicate_message")
        if len(attachments) > MAX_ATTACHMENTS:
            raise ConversationError(code="too_many_attachments")
        if len(set(attachments)) != len(attachments):
            raise ConversationError(code="attachment_repeated")
        cleaned = message_text(text)
        seq = self.last + 1
        self._posted(
            message_id=message_id,
            kind=self.kind.value,
            unit_id=self.unit_id,
            seq=seq,
            text=cleaned,
            attachments=[str(a) for a in attachments],
            author_account=author_account,
            author_household=author_household,
            at=at,
        )
        return seq

    class MessagePosted(Aggregate.Event):
        """A message was posted (its author by account; a resident's household too)."""

        TOPIC = "communication:Conversation.MessagePosted:v1"
        message_id: UUID
        kind: str  # the conversation's, so that its public event needs no other read
        unit_id: UUID
        seq: int
        text: str
        attachments: list[str]
        author_account: str
        author_household: UUID | None
        at: datetime

    @event(MessagePosted)
    def _posted(
        self,
        message_id: UUID,
        kind: str,
        unit_id: UUID,
        seq: int,
        text: str,
        attachments: list[str],
        author_account: str,
        author_household: UUID | None,
        at: datetime,
    ) -> None:
        self.messages[message_id] = seq
        self.authors[message_id] = author_account
        self.read_up_to[author_account] = seq  # the author has read what they wrote
        self.last_at = at

    def hide(self, message_id: UUID, moderator: str, reason: str, at: datetime) -> None:
        """Hide a message of a group's channel with a reason; only there (``not_moderated``), once
        (``hidden_already``), a message of this conversation (``message_not_found``)."""
        if self.kind is not ConversationKind.GROUP_CHANNEL:
            raise ConversationError(code="not_moderated")
        if message_id not in self.messages:
            raise ConversationError(code="message_not_found")
        if message_id in self.hidden:
            raise ConversationError(code="hidden_already")
        self._hidden(message_id=message_id, moderator=moderator, reason=_reason(reason), at=at)

    class MessageHidden(Aggregate.Event):
        """A moderator hid a message; its text stays in its ``MessagePosted`` for audit."""

        TOPIC = "communication:Conversation.MessageHidden:v1"
        message_id: UUID
        moderator: str
        reason: str
        at: datetime

    @event(MessageHidden)
    def _hidden(self, message_id: UUID, moderator: str, reason: str, at: datetime) -> None:
        self.hidden.add(message_id)

    def mark_read(self, reader: str, up_to: int) -> bool:
        """Note that ``reader`` has read up to the message at place ``up_to``; whether that moved
        their marker (a marker never goes back; past the latest message is ``beyond_last``)."""
        if up_to < 0 or up_to > self.last:
            raise ConversationError(code="beyond_last")
        if up_to <= self.read_up_to.get(reader, 0):
            return False
        self._read(reader=reader, up_to=up_to)
        return True

    class ReadUpTo(Aggregate.Event):
        """A participant read the conversation up to a message's place."""

        TOPIC = "communication:Conversation.ReadUpTo:v1"
        reader: str
        up_to: int

    @event(ReadUpTo)
    def _read(self, reader: str, up_to: int) -> None:
        self.read_up_to[reader] = up_to
