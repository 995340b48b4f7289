"""A conversation's own rules: messages cleaned and bounded, kept in order, hidden only in a
group's channel and only once with a reason (the text staying in the events), read markers that
only go forward; and who takes part, from the household's unit and the role assignments."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from tothon_communication.application import CommunicationApplication
from tothon_communication.domain.conversation import MAX_TEXT, Conversation, ConversationKind
from tothon_communication.domain.conversation_errors import ConversationError
from tothon_communication.domain.conversation_membership import Caller, Place, moderates, takes_part
from tothon_shared.auth.roles import Role

AT = datetime(2026, 12, 5, 9, tzinfo=UTC)
LEADER, RESIDENT = "account:leader", "account:resident"
CITY, WARD, GROUP, OTHER_GROUP = uuid4(), uuid4(), uuid4(), uuid4()
HOUSEHOLD = uuid4()


def _channel() -> Conversation:
    return Conversation.open(ConversationKind.GROUP_CHANNEL, GROUP, None, LEADER, AT)


def _posted(conversation: Conversation, text: str = "Chào tổ", author: str = RESIDENT) -> UUID:
    message_id = uuid4()
    conversation.post(message_id, text, [], author, HOUSEHOLD if author == RESIDENT else None, AT)
    return message_id


def test_a_message_is_kept_in_nfc_trimmed_and_in_order() -> None:
    conversation = _channel()
    decomposed = unicodedata.normalize("NFD", "  Họp tổ tối nay  ")
    first = uuid4()
    assert conversation.post(first, decomposed, [], RESIDENT, HOUSEHOLD, AT) == 1
    assert conversation.post(uuid4(), "Vâng", [], LEADER, None, AT) == 2
    posted = [e for e in conversation.collect_events() if isinstance(e, Conversation.MessagePosted)]
    assert [e.text for e in posted] == ["Họp tổ tối nay", "Vâng"]
    assert posted[0].text == unicodedata.normalize("NFC", "Họp tổ tối nay")
    assert (posted[0].kind, posted[0].unit_id, posted[0].seq) == ("group-channel", GROUP, 1)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "text_required"),
        ("  \n\t ", "text_required"),
        ("a" * (MAX_TEXT + 1), "text_too_long"),
        ("a\u202eb", "text_unsafe"),
    ],
)
def test_an_empty_oversize_or_unsafe_message_is_refused_and_nothing_kept(text: str, code: str) -> None:
    conversation = _channel()
    with pytest.raises(ConversationError) as refused:
        conversation.post(uuid4(), text, [], RESIDENT, HOUSEHOLD, AT)
    assert refused.value.code == code
    assert conversation.last == 0


def test_a_message_at_the_limit_is_taken_with_its_line_breaks() -> None:
    conversation = _channel()
    conversation.post(uuid4(), "a\r\nb" + "c" * (MAX_TEXT - 3), [], RESIDENT, HOUSEHOLD, AT)
    assert conversation.last == 1


def test_attachments_are_bounded_and_not_repeated() -> None:
    conversation = _channel()
    photo = uuid4()
    with pytest.raises(ConversationError, match="attachment_repeated"):
        conversation.post(uuid4(), "Ảnh", [photo, photo], RESIDENT, HOUSEHOLD, AT)
    with pytest.raises(ConversationError, match="too_many_attachments"):
        conversation.post(uuid4(), "Ảnh", [uuid4() for _ in range(6)], RESIDENT, HOUSEHOLD, AT)


def test_a_message_id_is_posted_once() -> None:
    conversation = _channel()
    message_id = _posted(conversation)
    with pytest.raises(ConversationError, match="duplicate_message"):
        conversation.post(message_id, "Lại", [], RESIDENT, HOUSEHOLD, AT)


def test_a_household_conversation_names_its_household_and_the_others_none() -> None:
    with pytest.raises(ConversationError, match="household_required"):
        Conversation.open(ConversationKind.RESIDENT_LEADER, GROUP, None, RESIDENT, AT)
    with pytest.raises(ConversationError, match="household_unexpected"):
        Conversation.open(ConversationKind.GROUP_CHANNEL, GROUP, HOUSEHOLD, LEADER, AT)


def test_the_same_conversation_has_the_same_id() -> None:
    one = Conversation.open(ConversationKind.RESIDENT_LEADER, GROUP, HOUSEHOLD, RESIDENT, AT)
    assert one.id == Conversation.create_id("resident-leader", GROUP, HOUSEHOLD)
    assert one.id != Conversation.create_id("resident-police", GROUP, HOUSEHOLD)


def test_a_moderator_hides_a_channel_message_once_with_a_reason() -> None:
    conversation = _channel()
    message_id = _posted(conversation, "Quảng cáo bán hàng")
    with pytest.raises(ConversationError, match="reason_required"):
        conversation.hide(message_id, LEADER, "  ", AT)
    conversation.hide(message_id, LEADER, "Quảng cáo", AT)
    assert message_id in conversation.hidden
    with pytest.raises(ConversationError, match="hidden_already"):
        conversation.hide(message_id, LEADER, "Lại", AT)
    with pytest.raises(ConversationError, match="message_not_found"):
        conversation.hide(uuid4(), LEADER, "Không có", AT)


def test_only_a_group_channel_is_moderated() -> None:
    conversation = Conversation.open(ConversationKind.RESIDENT_LEADER, GROUP, HOUSEHOLD, RESIDENT, AT)
    message_id = _posted(conversation)
    with pytest.raises(ConversationError, match="not_moderated"):
        conversation.hide(message_id, LEADER, "Không phù hợp", AT)


def test_read_markers_go_forward_only_and_not_past_the_last_message() -> None:
    conversation = _channel()
    _posted(conversation)
    _posted(conversation, author=LEADER)
    assert conversation.read_up_to == {RESIDENT: 1, LEADER: 2}  # an author has read what they wrote
    assert conversation.mark_read(RESIDENT, 2)
    assert not conversation.mark_read(RESIDENT, 1)
    with pytest.raises(ConversationError, match="beyond_last"):
        conversation.mark_read(RESIDENT, 3)
    assert conversation.read_up_to[RESIDENT] == 2


def test_the_stored_conversation_keeps_a_hidden_messages_text_for_audit() -> None:
    app = CommunicationApplication()
    try:
        conversation_id, opened = app.open_conversation(
            ConversationKind.GROUP_CHANNEL, GROUP, None, LEADER, AT
        )
        assert opened
        assert app.open_conversation(ConversationKind.GROUP_CHANNEL, GROUP, None, LEADER, AT) == (
            conversation_id,
            False,
        )
        message_id = uuid4()
        app.post_message(conversation_id, message_id, "Lời lẽ xúc phạm", [], RESIDENT, HOUSEHOLD, AT)
        app.hide_message(conversation_id, message_id, LEADER, "Xúc phạm", AT)
        events = list(app.events.get(conversation_id))
        assert [type(e).__name__ for e in events] == ["Opened", "MessagePosted", "MessageHidden"]
        posted = events[1]
        assert isinstance(posted, Conversation.MessagePosted)
        assert posted.text == "Lời lẽ xúc phạm"
        assert app.conversation(conversation_id).hidden == {message_id}
        with pytest.raises(ConversationError, match="not_found"):
            app.conversation(uuid4())
    finally:
        app.close()


# --- who takes part ---


def _resident(group: UUID = GROUP, household: UUID = HOUSEHOLD) -> Caller:
    return Caller(household, [group, WARD, CITY], (), ())


def _official(role: Role, unit: UUID, moderate: bool = False) -> Caller:
    return Caller(None, [], [(role, unit)], [unit] if moderate else [])


def _place(kind: ConversationKind, unit: UUID = GROUP, household: UUID | None = None) -> Place:
    lineage = {GROUP: [GROUP, WARD, CITY], OTHER_GROUP: [OTHER_GROUP, WARD, CITY], WARD: [WARD, CITY]}[unit]
    return Place(kind, unit, household, lineage)


def test_a_households_conversation_with_its_leader_is_the_household_and_the_groups_leader() -> None:
    place = _place(ConversationKind.RESIDENT_LEADER, GROUP, HOUSEHOLD)
    assert takes_part(_resident(), place, [])
    assert takes_part(_official(Role.GROUP_LEADER, GROUP), place, [])
    assert not takes_part(_resident(household=uuid4()), place, [])  # a neighbour
    assert not takes_part(_official(Role.GROUP_LEADER, OTHER_GROUP), place, [])
    assert not takes_part(_official(Role.WARD_OFFICIAL, WARD), place, [])  # private to the two
    assert not takes_part(_official(Role.AREA_POLICE, GROUP), place, [])


def test_a_households_conversation_with_the_police_is_the_household_and_the_areas_officer() -> None:
    place = _place(ConversationKind.RESIDENT_POLICE, WARD, HOUSEHOLD)
    assert takes_part(_resident(), place, [])
    assert takes_part(_official(Role.AREA_POLICE, WARD), place, [])
    assert not takes_part(_official(Role.GROUP_LEADER, WARD), place, [])


def test_a_group_channel_follows_where_the_household_lives_now() -> None:
    place = _place(ConversationKind.GROUP_CHANNEL, GROUP)
    assert takes_part(_resident(GROUP), place, [])
    assert not takes_part(_resident(OTHER_GROUP), place, [])  # moved away: out of the old channel
    assert takes_part(_official(Role.WARD_OFFICIAL, WARD), place, [])
    assert not takes_part(_official(Role.GROUP_LEADER, OTHER_GROUP), place, [])
    assert moderates(_official(Role.GROUP_LEADER, GROUP, moderate=True), place)
    assert not moderates(_resident(), place)
    assert not moderates(
        _official(Role.GROUP_LEADER, GROUP, moderate=True),
        _place(ConversationKind.RESIDENT_LEADER, GROUP, HOUSEHOLD),
    )


def test_a_units_officials_are_those_serving_it_or_below_and_never_residents() -> None:
    place = _place(ConversationKind.OFFICIALS, WARD)
    below = [WARD, GROUP, OTHER_GROUP]
    assert takes_part(_official(Role.WARD_OFFICIAL, WARD), place, below)
    assert takes_part(_official(Role.GROUP_LEADER, GROUP), place, below)
    assert not takes_part(_official(Role.CITY_OFFICIAL, CITY), place, below)
    assert not takes_part(_official(Role.WARD_OFFICIAL, uuid4()), place, below)
    assert not takes_part(_resident(), place, below)
