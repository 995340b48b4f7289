"""Conversations through the communication API, on a ward of two groups and a second ward: a
resident opens their household's conversation with their own group's leader or their area's police
officer (never another group's), members post and read with unread counts, a group's channel is
moderated with a reason shown to members, files are shown only to members, new messages are polled
with ``after``; whoever is not a member gets 403; membership follows the registry's role
assignments and household moves; the read models rebuilt equal the live ones; ``MessagePosted`` is
published without text or names."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import jsonschema
import pytest
from conversation_ward import API, Ward, dump, open_conversation
from photos import png
from run_apart import run_apart
from service_harness import ServiceHarness, registry_event
from sqlalchemy import select

from tothon_communication.readmodels.conversations import messages
from tothon_shared.auth.roles import Role
from tothon_shared.contracts.registry import HouseholdTransferred, RoleRevoked
from tothon_shared.contracts.schemas import SCHEMA_DIR
from tothon_shared.runtime.process import rebuild_read_models


def test_a_resident_talks_with_their_group_leader_and_nobody_else_reads_it(w: Ward) -> None:
    w.as_(w.resident)
    opened = open_conversation(w, "resident-leader")
    assert (opened["unit_id"], opened["household_id"]) == (str(w.group), str(w.household))
    assert opened["officials"] == [str(w.leader.account_id)]  # from the registry's RoleAssigned
    conversation = opened["conversation_id"]
    assert (
        open_conversation(w, "resident-leader", status=200)["conversation_id"] == conversation
    )  # found, not a twin
    posted = w.post(f"{API}/{conversation}/messages", {"text": "Xin chào tổ trưởng"}, 201).json()
    assert (posted["seq"], posted["author_household"]) == (1, str(w.household))
    w.as_(w.leader)
    listed = w.get(API).json()
    assert [(c["conversation_id"], c["unread"]) for c in listed] == [(conversation, 1)]
    w.post(f"{API}/{conversation}/messages", {"text": "Chào anh, tôi nghe đây"}, 201)
    for outsider in (w.neighbour_resident, w.ward_official, w.police, w.other_leader, w.resident_51):
        w.as_(outsider)
        assert w.get(f"{API}/{conversation}").status_code == 403
        assert w.get(f"{API}/{conversation}/messages").status_code == 403
        assert w.post(f"{API}/{conversation}/messages", {"text": "Chen vào"}).status_code == 403
        assert conversation not in [c["conversation_id"] for c in w.get(API).json()]
    w.as_(w.resident)
    again = open_conversation(w, "resident-leader", status=200)  # opened again: found, as it stands
    assert (again["conversation_id"], again["last_seq"], again["unread"]) == (conversation, 2, 1)
    assert again["last_at"] is not None
    page = w.get(f"{API}/{conversation}/messages").json()
    assert [m["text"] for m in page["messages"]] == ["Xin chào tổ trưởng", "Chào anh, tôi nghe đây"]
    assert w.get(f"{API}/{conversation}").json()["unread"] == 1
    read = w.post(f"{API}/{conversation}/read", {"up_to": 2}, 200).json()
    assert read == {"read_up_to": 2, "unread": 0}
    assert w.get(f"{API}/{conversation}").json()["unread"] == 0


def test_a_resident_opens_only_with_their_own_groups_leader_or_areas_officer(w: Ward) -> None:
    w.as_(w.resident)
    assert w.post(API, {"kind": "resident-leader", "unit_id": str(w.group_18)}).status_code == 403
    assert w.post(API, {"kind": "resident-leader", "unit_id": str(w.group_51)}).status_code == 403
    assert w.post(API, {"kind": "resident-police", "unit_id": str(w.other_ward)}).status_code == 403
    other = {"kind": "resident-leader", "household_id": str(w.neighbour)}
    assert w.post(API, other).status_code == 403  # a neighbour's conversation
    police = open_conversation(w, "resident-police", unit_id=w.ward)
    assert police["officials"] == [str(w.police.account_id)]
    # Without naming a unit: the nearest of the household's units with an officer (the ward).
    found = w.post(API, {"kind": "resident-police"}, 200).json()
    assert (found["conversation_id"], found["unit_id"]) == (police["conversation_id"], str(w.ward))
    # Tổ 51's ward has no officer: its resident is told so.
    w.as_(w.resident_51)
    assert w.post(API, {"kind": "resident-police"}).status_code == 422
    w.as_(w.resident)
    # Tổ 18 has no leader: its resident is told so.
    w.as_(w.svc.principal(Role.RESIDENT, w.group_18, w.household_18))
    refused = w.post(API, {"kind": "resident-leader"})
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("Đơn vị này hiện chưa có cán bộ phụ trách")
    w.as_(w.police)
    assert w.get(f"{API}/{police['conversation_id']}").status_code == 200
    # An officer opens one with a household of their area, not of another ward.
    assert open_conversation(w, "resident-police", unit_id=w.ward, household_id=w.household_18)[
        "household_id"
    ]
    assert (
        w.post(
            API, {"kind": "resident-police", "unit_id": str(w.ward), "household_id": str(w.household_51)}
        ).status_code
        == 403
    )


def test_the_leader_answers_as_long_as_the_registry_says_they_lead(w: Ward) -> None:
    w.as_(w.resident)
    conversation = open_conversation(w, "resident-leader")["conversation_id"]
    revoked = registry_event(
        RoleRevoked, w.leader.account_id, w.group, role="group_leader", revoked_by="a", reason="Hết nhiệm kỳ"
    )
    w.svc.receive("registry.accounts", revoked)
    assert w.get(f"{API}/{conversation}").json()["officials"] == []
    refused = w.post(API, {"kind": "resident-leader", "unit_id": str(w.group_18)})
    assert refused.status_code == 403


def test_the_group_channel_is_moderated_with_a_reason_and_follows_household_moves(w: Ward) -> None:
    w.as_(w.resident)
    channel = open_conversation(w, "group-channel")["conversation_id"]
    assert open_conversation(w, "group-channel", status=200)["moderator"] is False
    rude = w.post(f"{API}/{channel}/messages", {"text": "Quảng cáo bán hàng"}, 201).json()
    assert w.post(f"{API}/{channel}/messages/{rude['message_id']}/hide", {"reason": "x"}).status_code == 403
    w.as_(w.neighbour_resident)
    w.post(f"{API}/{channel}/messages", {"text": "Tối nay họp tổ"}, 201)
    w.as_(w.ward_official)  # takes part over the group's ward, moderates there
    assert w.get(f"{API}/{channel}").json()["moderator"] is True
    w.post(f"{API}/{channel}/messages/{rude['message_id']}/hide", {"reason": "Quảng cáo"}, 204)
    assert w.post(f"{API}/{channel}/messages/{rude['message_id']}/hide", {"reason": "Lại"}).status_code == 409
    w.as_(w.neighbour_resident)
    shown = w.get(f"{API}/{channel}/messages").json()["messages"]
    assert shown[0]["text"] is None
    assert shown[0]["hidden_notice"] == "Tin nhắn đã bị người kiểm duyệt ẩn: Quảng cáo"
    assert shown[1]["text"] == "Tối nay họp tổ"
    # The read model keeps no hidden text (the events do, for audit).
    with w.svc.runtime.store.engine.connect() as connection:
        kept = connection.execute(
            select(messages.c.text).where(messages.c.message_id == uuid.UUID(rude["message_id"]))
        )
        assert kept.scalar_one() is None
    english = w.svc.client.get(f"{API}/{channel}/messages", headers={"Accept-Language": "en"}).json()
    assert english["messages"][0]["hidden_notice"] == "Hidden by moderator: Quảng cáo"
    # The author edits nothing: there is no route to change a message.
    w.as_(w.resident)
    assert w.svc.client.put(
        f"{API}/{channel}/messages/{rude['message_id']}", json={"text": "x"}
    ).status_code in (404, 405)
    # Another ward's leader and resident are not members.
    for outsider in (w.other_leader, w.resident_51):
        w.as_(outsider)
        assert w.get(f"{API}/{channel}/messages").status_code == 403
    # The neighbour's household moves to Tổ 18: out of Tổ 17's channel.
    moved = registry_event(
        HouseholdTransferred, w.neighbour, w.group_18, from_unit_id=w.group, on=date(2026, 12, 1)
    )
    w.svc.receive("registry.households", moved)
    w.as_(w.neighbour_resident)
    assert w.get(f"{API}/{channel}/messages").status_code == 403


def test_officials_of_a_ward_talk_among_themselves(w: Ward) -> None:
    w.as_(w.ward_official)
    not_a_group = w.post(API, {"kind": "group-channel", "unit_id": str(w.ward)})
    assert not_a_group.status_code == 422
    assert not_a_group.json()["detail"] == "Kênh trao đổi chỉ mở cho một tổ dân phố hoặc thôn."
    room = open_conversation(w, "officials", unit_id=w.ward)["conversation_id"]
    w.post(f"{API}/{room}/messages", {"text": "Chuẩn bị ứng phó bão"}, 201)
    for member in (w.leader, w.police):
        w.as_(member)
        assert w.get(f"{API}/{room}/messages").json()["messages"][0]["text"] == "Chuẩn bị ứng phó bão"
    for outsider in (w.resident, w.other_leader):
        w.as_(outsider)
        assert w.get(f"{API}/{room}").status_code == 403
        assert w.post(API, {"kind": "officials", "unit_id": str(w.ward)}).status_code == 403


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("   ", "Tin nhắn không được để trống."),
        ("a" * 2001, "Tin nhắn quá dài"),
        ("xin\u200bchào", "Tin nhắn có ký tự điều khiển"),
    ],
)
def test_a_bad_message_is_a_clear_problem_and_nothing_is_stored(w: Ward, text: str, key: str) -> None:
    w.as_(w.resident)
    conversation = open_conversation(w, "resident-leader")["conversation_id"]
    refused = w.post(f"{API}/{conversation}/messages", {"text": text})
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["detail"].startswith(key)
    assert w.get(f"{API}/{conversation}/messages").json() == {"messages": [], "last_seq": 0}


def test_messages_are_paged_and_new_ones_polled_after_the_last_seen(w: Ward) -> None:
    w.as_(w.resident)
    conversation = open_conversation(w, "resident-leader")["conversation_id"]
    for n in range(1, 8):
        w.post(f"{API}/{conversation}/messages", {"text": f"Tin {n}"}, 201)
    latest = w.get(f"{API}/{conversation}/messages", limit=3).json()
    assert [m["seq"] for m in latest["messages"]] == [5, 6, 7]
    earlier = w.get(f"{API}/{conversation}/messages", limit=3, before=5).json()
    assert [m["seq"] for m in earlier["messages"]] == [2, 3, 4]
    assert w.get(f"{API}/{conversation}/messages", after=7).json()["messages"] == []
    w.as_(w.leader)
    w.post(f"{API}/{conversation}/messages", {"text": "Tin mới"}, 201)
    w.as_(w.resident)
    new = w.get(f"{API}/{conversation}/messages", after=7).json()
    assert [(m["seq"], m["text"]) for m in new["messages"]] == [(8, "Tin mới")]
    seventh = latest["messages"][-1]["message_id"]
    assert w.get(f"{API}/{conversation}/messages", after=seventh).json() == new  # by the last id seen
    assert w.get(f"{API}/{conversation}/messages", after=str(uuid.uuid4())).status_code == 404
    assert w.get(f"{API}/{conversation}/messages", after=-1).status_code == 422
    assert w.post(f"{API}/{conversation}/read", {"up_to": 9}).status_code == 422


def test_a_photo_is_shown_to_the_conversations_members_only(w: Ward) -> None:
    w.as_(w.resident)
    conversation = open_conversation(w, "resident-leader")["conversation_id"]
    uploaded = w.svc.client.post(f"{API}/attachments", files={"file": ("anh.png", png(), "image/png")})
    assert uploaded.status_code == 201, uploaded.text
    photo = uploaded.json()["attachment_id"]
    file = f"{API}/{conversation}/attachments/{photo}"
    assert w.get(file).status_code == 404  # not cited yet
    w.post(f"{API}/{conversation}/messages", {"text": "Ảnh ổ gà", "attachment_ids": [photo]}, 201)
    assert w.get(file).status_code == 200
    w.as_(w.leader)
    assert w.get(file).headers["content-type"].startswith("image/")
    w.as_(w.neighbour_resident)
    assert w.get(file).status_code == 403
    # Someone else's upload is not theirs to cite.
    w.as_(w.leader)
    refused = w.post(f"{API}/{conversation}/messages", {"text": "Của người khác", "attachment_ids": [photo]})
    assert refused.status_code == 422
    not_a_photo = w.svc.client.post(
        f"{API}/attachments", files={"file": ("x.png", b"plain text", "image/png")}
    )
    assert not_a_photo.status_code == 415


def test_nothing_without_signing_in(w: Ward) -> None:
    w.svc.client.headers.pop("Authorization", None)
    assert w.get(API).status_code == 401
    assert w.svc.client.post(API, json={"kind": "group-channel"}).status_code == 401


def test_the_conversation_read_models_rebuilt_equal_the_live_ones(w: Ward) -> None:
    w.as_(w.resident)
    private = open_conversation(w, "resident-leader")["conversation_id"]
    channel = open_conversation(w, "group-channel")["conversation_id"]
    w.post(f"{API}/{private}/messages", {"text": "Chào"}, 201)
    hidden = w.post(f"{API}/{channel}/messages", {"text": "Rác"}, 201).json()["message_id"]
    w.as_(w.leader)
    w.post(f"{API}/{private}/messages", {"text": "Chào anh"}, 201)
    w.post(f"{API}/{channel}/messages/{hidden}/hide", {"reason": "Spam"}, 204)
    w.post(f"{API}/{private}/read", {"up_to": 2}, 200)
    live = dump(w.svc)
    assert len(live["conversation_messages"]) == 3
    assert len(live["conversation_role_holders"]) == 3
    run_apart(rebuild_read_models(w.svc.runtime))
    assert dump(w.svc) == live


def test_message_posted_is_published_without_text_or_names(w: Ward) -> None:
    w.as_(w.resident)
    conversation = open_conversation(w, "resident-leader")["conversation_id"]
    w.post(f"{API}/{conversation}/messages", {"text": "Nội dung riêng tư"}, 201)
    w.as_(w.leader)
    w.post(f"{API}/{conversation}/messages", {"text": "Trả lời riêng tư"}, 201)
    relay = w.svc.runtime.relay
    assert relay is not None
    while run_apart(relay.run_once()):
        pass
    raw = [m.value for m in w.svc.bus.read_topic("tothon.communication.conversations.v1")]
    events = [json.loads(v) for v in raw]
    schema = json.loads((SCHEMA_DIR / "MessagePosted.v1.json").read_text(encoding="utf-8"))
    for event in events:
        jsonschema.validate(event, schema)
    assert [(e["kind"], e["seq"], e["author_household_id"], e["author_account_id"]) for e in events] == [
        ("resident-leader", 1, str(w.household), None),
        ("resident-leader", 2, None, str(w.leader.account_id)),
    ]
    assert {e["subject_id"] for e in events} == {conversation}
    assert {e["unit_id"] for e in events} == {str(w.group)}
    assert not any(b"ri\xc3\xaang t\xc6\xb0" in v for v in raw)


def test_a_hidden_messages_photo_is_hidden_with_it(w: Ward) -> None:
    w.as_(w.resident)
    channel = open_conversation(w, "group-channel")["conversation_id"]
    photo = w.svc.client.post(f"{API}/attachments", files={"file": ("anh.png", png(), "image/png")}).json()
    posted = w.post(
        f"{API}/{channel}/messages", {"text": "Ảnh", "attachment_ids": [photo["attachment_id"]]}, 201
    )
    file = f"{API}/{channel}/attachments/{photo['attachment_id']}"
    w.as_(w.neighbour_resident)
    assert w.get(file).status_code == 200
    w.as_(w.leader)
    w.post(f"{API}/{channel}/messages/{posted.json()['message_id']}/hide", {"reason": "Ảnh riêng tư"}, 204)
    w.as_(w.neighbour_resident)
    assert w.get(file).status_code == 404
    assert w.get(f"{API}/{channel}/messages").json()["messages"][0]["attachment_ids"] == []


def test_the_asyncapi_document_describes_message_posted_and_the_role_assignments_received(
    svc: ServiceHarness,
) -> None:
    document = svc.client.get("/asyncapi.json").json()
    addresses = {c["address"] for c in document["channels"].values()}
    assert {"tothon.communication.conversations.v1", "tothon.registry.accounts.v1"} <= addresses
    assert "MessagePosted" in json.dumps(document)
    assert "RoleAssigned" in json.dumps(document)


def test_each_lists_the_conversations_they_take_part_in_latest_first_a_page_at_a_time(w: Ward) -> None:
    w.as_(w.resident)
    private = open_conversation(w, "resident-leader")["conversation_id"]
    police = open_conversation(w, "resident-police", unit_id=w.ward)["conversation_id"]
    channel = open_conversation(w, "group-channel")["conversation_id"]
    w.as_(w.ward_official)
    room = open_conversation(w, "officials", unit_id=w.ward)["conversation_id"]
    w.as_(w.resident)
    w.post(f"{API}/{private}/messages", {"text": "Mới nhất"}, 201)

    def listed(**params: Any) -> list[str]:
        return [c["conversation_id"] for c in w.get(API, **params).json()]

    assert listed() == [private, channel, police]
    assert listed(limit=1, offset=1) == [channel]
    w.as_(w.leader)
    assert listed() == [private, room, channel]
    w.as_(w.police)
    assert listed() == [room, channel, police]
    w.as_(w.ward_official)
    assert listed() == [room, channel]
    for outsider in (w.other_leader, w.resident_51):
        w.as_(outsider)
        assert listed() == []
