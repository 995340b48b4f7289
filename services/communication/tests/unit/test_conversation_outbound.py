"""A posted message's public event: where and by whom (an official's account or a resident's
household), never its text; the conversations' other events publish nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from tothon_communication.domain.conversation import Conversation, ConversationKind
from tothon_communication.integration.outbound import to_integration_events
from tothon_shared.contracts.communication import MessagePosted
from tothon_shared.eventstore.context import CommandContext

AT = datetime(2026, 12, 5, 9, tzinfo=UTC)
CTX = CommandContext(actor="a", correlation_id="c")


def test_a_posted_message_is_published_by_account_or_household_without_text() -> None:
    group, household, official = uuid4(), uuid4(), uuid4()
    conversation = Conversation.open(ConversationKind.GROUP_CHANNEL, group, None, "seed", AT)
    conversation.post(uuid4(), "Bí mật của hộ", [uuid4()], str(uuid4()), household, AT)
    conversation.post(uuid4(), "Trả lời", [], str(official), None, AT)
    conversation.post(uuid4(), "Từ hệ thống", [], "seed", None, AT)
    conversation.mark_read(str(official), 3)
    published = [e for d in conversation.collect_events() for e in to_integration_events(d, CTX)]
    assert all(isinstance(e, MessagePosted) for e in published)
    assert [(e.seq, e.author_household_id, e.author_account_id, e.attachments) for e in published] == [  # type: ignore[attr-defined]
        (1, household, None, 1),
        (2, None, official, 0),
        (3, None, None, 0),
    ]
    assert {(e.subject_id, e.unit_id) for e in published} == {(conversation.id, group)}
    assert "Bí mật" not in "".join(e.model_dump_json() for e in published)
