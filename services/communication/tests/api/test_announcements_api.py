"""Announcements through the communication API, on a ward of two groups and a second ward: an
official writes a notice for their unit's subtree (a group's or a ward's, narrowed to groups or
not) after a preview of how many households it reaches; a household's feed is worked out from the
unit tree (no row per household), follows a household's move, and says what it did; urgent
notices ask for acknowledgement, once per household; the group leader sees who has not and records
"told in person"; statistics per unit; edits keep versions, a retraction says why; another unit's
official and another household are refused; the read models rebuilt equal the live ones."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest
from conversation_ward import Ward
from photos import png
from polling import wait_for
from run_apart import run_apart
from service_harness import registry_event
from sqlalchemy import func, select

from tothon_communication.audio import spoken
from tothon_communication.readmodels.announcements import (
    announcement_audiences,
    announcement_groups,
    announcements,
    receipts,
)
from tothon_shared.auth.roles import Role
from tothon_shared.contracts.registry import HouseholdAgeBandsChanged, HouseholdTransferred, UnitMoved
from tothon_shared.contracts.schemas import SCHEMA_DIR
from tothon_shared.runtime.process import rebuild_read_models

API = "/api/v1/announcements"


def _write(w: Ward, status: int = 201, **body: Any) -> Any:
    payload = {"title": "Lịch cắt điện", "body": "Thứ Bảy, 7 giờ đến 11 giờ.", **body}
    response = w.post(API, {k: str(v) if k == "unit_id" else v for k, v in payload.items()}, status)
    return response.json()


def _feed(w: Ward, household: Any) -> list[dict[str, Any]]:
    response = w.get(f"/api/v1/households/{household}/feed")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def test_a_ward_notice_reaches_every_household_of_the_ward_and_no_other(w: Ward) -> None:
    w.as_(w.ward_official)
    assert w.get(f"{API}/preview", unit_id=str(w.ward)).json() == {"households": 3}
    narrowed = w.get(f"{API}/preview", unit_id=str(w.ward), groups=[str(w.group_18)]).json()
    assert narrowed == {"households": 1}
    notice = _write(w, unit_id=w.ward)["announcement_id"]
    with w.svc.runtime.store.engine.connect() as connection:
        assert (
            connection.execute(select(func.count()).select_from(receipts)).scalar() == 0
        )  # none per household
    for principal, household, sees in (
        (w.resident, w.household, True),
        (w.neighbour_resident, w.neighbour, True),
        (w.resident_51, w.household_51, False),
    ):
        w.as_(principal)
        assert [n["announcement_id"] for n in _feed(w, household)] == ([notice] if sees else [])
    # Another household's feed is refused.
    w.as_(w.resident)
    assert w.get(f"/api/v1/households/{w.neighbour}/feed").status_code == 403


def test_a_notice_narrowed_to_a_group_reaches_it_and_follows_a_household_that_moves(w: Ward) -> None:
    w.as_(w.ward_official)
    notice = _write(w, unit_id=w.ward, groups=[str(w.group_18)])["announcement_id"]
    w.as_(w.resident)
    assert _feed(w, w.household) == []
    moved = registry_event(
        HouseholdTransferred, w.household, w.group_18, from_unit_id=w.group, on=date(2026, 12, 1)
    )
    w.svc.receive("registry.households", moved)
    assert [n["announcement_id"] for n in _feed(w, w.household)] == [notice]


def test_an_audience_outside_the_authors_scope_and_bad_text_are_refused_and_nothing_is_stored(
    w: Ward,
) -> None:
    w.as_(w.leader)
    _write(w, 403, unit_id=w.ward)  # a group leader writes for the group, not the ward
    _write(w, 403, unit_id=w.group_51)
    _write(w, 422, unit_id=w.group, groups=[str(w.group_51)])  # a group not below the unit
    _write(w, 422, unit_id=w.group, title="   ")
    _write(w, 422, unit_id=w.group, body="x" * 10_001)
    _write(w, 422, unit_id=w.group, body="an\u202eevil")
    later = datetime.now(UTC) + timedelta(days=1)
    _write(
        w,
        422,
        unit_id=w.group,
        publish_at=later.isoformat(),
        expires_at=(later - timedelta(hours=1)).isoformat(),
    )
    assert (
        w.svc.client.post(
            API, json={"unit_id": str(w.group), "title": "t", "body": "b", "extra": 1}
        ).status_code
        == 422
    )
    with w.svc.runtime.store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(announcements)).scalar() == 0
    w.as_(w.resident)
    _write(w, 403, unit_id=w.group)  # residents do not publish


def test_an_urgent_notice_is_acknowledged_once_per_household_and_the_leader_tells_the_rest(w: Ward) -> None:
    w.as_(w.leader)
    notice = _write(w, unit_id=w.group, priority="urgent", title="Nước sinh hoạt bị cắt")
    assert notice["requires_ack"] is True
    nid = notice["announcement_id"]
    w.as_(w.resident)
    ack = {"household_id": str(w.household)}
    assert w.post(f"{API}/{nid}/acknowledgements", ack, 200).json() == {"recorded": True}
    assert w.post(f"{API}/{nid}/acknowledgements", ack, 200).json() == {"recorded": False}  # sent twice
    assert _feed(w, w.household)[0]["acknowledged_at"] is not None
    # Not for another household, not in someone else's name.
    w.post(f"{API}/{nid}/acknowledgements", {"household_id": str(w.neighbour)}, 403)
    w.as_(w.resident_51)
    w.post(f"{API}/{nid}/acknowledgements", {"household_id": str(w.household_51)}, 422)
    w.as_(w.leader)
    pending = w.get(f"{API}/{nid}/pending", unit_id=str(w.group)).json()
    assert [p["household_code"] for p in pending] == ["HO-002"]
    told = {"household_id": str(w.neighbour), "means": "in_person"}
    assert w.post(f"{API}/{nid}/acknowledgements", told, 200).json() == {"recorded": True}
    assert w.get(f"{API}/{nid}/pending", unit_id=str(w.group)).json() == []
    stats = w.get(f"{API}/{nid}/statistics").json()
    assert [(s["unit_name"], s["reached"], s["read"], s["acknowledged"], s["offline"]) for s in stats] == [
        ("Tổ 17", 2, 2, 2, 1)
    ]
    # Another group's leader sees neither the list nor the statistics, nor records for Tổ 17.
    w.as_(w.other_leader)
    assert w.get(f"{API}/{nid}/pending", unit_id=str(w.group)).status_code == 403
    assert w.get(f"{API}/{nid}/statistics").status_code == 403
    w.post(f"{API}/{nid}/acknowledgements", told, 403)
    # A resident does not record "told in person" for their own household.
    w.as_(w.resident)
    w.post(f"{API}/{nid}/acknowledgements", {"household_id": str(w.household), "means": "loudspeaker"}, 403)


def test_edits_are_versions_and_a_retraction_says_why(w: Ward) -> None:
    w.as_(w.leader)
    nid = _write(w, unit_id=w.group)["announcement_id"]
    edited = w.svc.client.put(f"{API}/{nid}", json={"title": "Lịch cắt điện (sửa)", "body": "Chủ nhật."})
    assert edited.json() == {"edition": 2}
    w.svc.project()
    w.post(f"{API}/{nid}/retraction", {"reason": "Điện lực hoãn lịch"}, 204)
    w.post(f"{API}/{nid}/retraction", {"reason": "Lần nữa"}, 409)
    w.as_(w.resident)
    shown = _feed(w, w.household)[0]
    assert (shown["title"], shown["edition"], shown["retracted_reason"]) == (
        "Lịch cắt điện (sửa)",
        2,
        "Điện lực hoãn lịch",
    )
    w.post(f"{API}/{nid}/acknowledgements", {"household_id": str(w.household)}, 409)
    w.as_(w.other_leader)
    assert w.svc.client.put(f"{API}/{nid}", json={"title": "x", "body": "y"}).status_code == 403
    assert w.get(f"{API}/{nid}").status_code == 403


def test_a_scheduled_notice_shows_from_its_time_and_an_expired_one_no_longer(w: Ward) -> None:
    w.as_(w.leader)
    now = datetime.now(UTC)
    _write(w, unit_id=w.group, title="Sắp tới", publish_at=(now + timedelta(hours=2)).isoformat())
    _write(
        w,
        unit_id=w.group,
        title="Đã hết hạn",
        publish_at=(now - timedelta(days=2)).isoformat(),
        expires_at=(now - timedelta(days=1)).isoformat(),
    )
    _write(w, unit_id=w.group, title="Hiện hành")
    w.as_(w.resident)
    assert [n["title"] for n in _feed(w, w.household)] == ["Hiện hành"]


def test_the_announcement_read_models_rebuilt_equal_the_live_ones(w: Ward) -> None:
    w.as_(w.ward_official)
    nid = _write(w, unit_id=w.ward, groups=[str(w.group)], priority="urgent")["announcement_id"]
    _write(w, unit_id=w.ward, heads_only=True, bands=["retired", "children"])
    w.as_(w.resident)
    w.post(f"{API}/{nid}/reads", {"household_id": str(w.household)}, 200)
    w.post(f"{API}/{nid}/acknowledgements", {"household_id": str(w.household)}, 200)

    def dump() -> dict[str, list[tuple[Any, ...]]]:
        with w.svc.runtime.store.engine.connect() as connection:
            return {
                t.name: [tuple(r) for r in connection.execute(select(t).order_by(*t.primary_key))]
                for t in (announcements, announcement_groups, announcement_audiences, receipts)
            }

    live = dump()
    assert live["announcement_receipts"]
    assert live["announcement_audiences"]
    run_apart(rebuild_read_models(w.svc.runtime))
    assert dump() == live


def test_a_notice_and_an_acknowledgement_are_published_without_the_text(w: Ward) -> None:
    w.as_(w.leader)
    nid = _write(w, unit_id=w.group, priority="urgent", body="Nội dung chi tiết")["announcement_id"]
    w.as_(w.resident)
    w.post(f"{API}/{nid}/acknowledgements", {"household_id": str(w.household)}, 200)
    relay = w.svc.runtime.relay
    assert relay is not None
    while run_apart(relay.run_once()):
        pass
    raw = [m.value for m in w.svc.bus.read_topic("tothon.communication.announcements.v1")]
    events = [json.loads(v) for v in raw]
    for event in events:
        schema = SCHEMA_DIR / f"{event['event_type']}.v1.json"
        jsonschema.validate(event, json.loads(schema.read_text(encoding="utf-8")))
    assert [e["event_type"] for e in events] == ["AnnouncementPublished", "AnnouncementAcknowledged"]
    assert {e["subject_id"] for e in events} == {nid}
    assert events[1]["household_id"] == str(w.household)
    assert events[1]["means"] == "app"
    assert not any("chi tiết".encode() in v for v in raw)


def test_a_notice_is_read_aloud_as_mp3_for_the_loudspeaker(w: Ward, monkeypatch: pytest.MonkeyPatch) -> None:
    w.as_(w.leader)
    text = "Ngày mai có bão số 5. Bà con chằng chống nhà cửa, không ra biển."
    nid = _write(w, unit_id=w.group, title="Bão số 5", body=text)["announcement_id"]
    answered = w.get(f"{API}/{nid}/audio.mp3")
    assert answered.status_code == 200, answered.text
    assert answered.headers["content-type"] == "audio/mpeg"
    mp3 = answered.content
    assert mp3[:3] == b"ID3" or (mp3[0] == 0xFF and mp3[1] & 0xE0 == 0xE0)  # an MP3 frame
    seconds = spoken(f"Bão số 5.\n{text}").seconds  # the same text: made once, kept
    assert 3 < seconds < 30, seconds  # about twenty words at 140 a minute
    w.as_(w.resident)
    assert w.get(f"{API}/{nid}/audio.mp3").status_code == 200  # a household it reaches
    w.as_(w.resident_51)
    assert w.get(f"{API}/{nid}/audio.mp3").status_code == 403
    # Without the speech tools the server says so (503), it does not fail.
    w.as_(w.leader)
    other = _write(w, unit_id=w.group, title="Họp tổ", body="Tối thứ Sáu họp tổ.")["announcement_id"]
    monkeypatch.setenv("PATH", "/nonexistent")
    refused = w.get(f"{API}/{other}/audio.mp3")
    assert refused.status_code == 503, refused.text
    assert refused.json()["code"] == "communication.audio.unavailable"


def _bands(w: Ward, household: Any, version: int, on: date, **counts: int) -> None:
    """The registry's count of a household's members by age band, as its relay publishes it."""
    when = SimpleNamespace(originator_id=household, originator_version=version, timestamp=datetime.now(UTC))
    event = HouseholdAgeBandsChanged.from_domain_event(
        when,
        producer="registry",
        correlation_id="c",
        unit_id=None,
        **({"children": 0, "working_age": 0, "retired": 0, "unknown": 0} | counts),
        on=on,
    )
    w.svc.receive("registry.households", event)


def test_a_notice_narrowed_to_age_bands_reaches_the_households_with_such_members_as_they_change(
    w: Ward,
) -> None:
    _bands(w, w.household, 1, date(2026, 11, 1), children=1, working_age=2)
    _bands(w, w.neighbour, 1, date(2026, 11, 1), retired=1)
    w.as_(w.ward_official)
    preview = w.get(f"{API}/preview", unit_id=str(w.ward), bands=["children"]).json()
    assert preview == {"households": 1}
    both = w.get(f"{API}/preview", unit_id=str(w.ward), bands=["children", "retired"]).json()
    assert both == {"households": 2}
    written = _write(w, unit_id=w.ward, bands=["children"], priority="urgent", title="Tiêm chủng cho trẻ")
    assert written["bands"] == ["children"]
    nid = written["announcement_id"]
    w.as_(w.resident)
    assert [n["announcement_id"] for n in _feed(w, w.household)] == [nid]
    w.as_(w.neighbour_resident)
    assert _feed(w, w.neighbour) == []
    refused = w.post(f"{API}/{nid}/acknowledgements", {"household_id": str(w.neighbour)}, 422)
    assert refused.json()["code"] == "communication.announcement.not_for_household"
    w.as_(w.ward_official)
    stats = w.get(f"{API}/{nid}/statistics").json()
    assert [(s["unit_name"], s["reached"]) for s in stats] == [("Tổ 17", 1)]
    w.as_(w.leader)
    assert [p["household_code"] for p in w.get(f"{API}/{nid}/pending", unit_id=str(w.group)).json()] == [
        "HO-001"
    ]
    # A baby is born to the neighbours: the notice reaches them now; an older count does not undo it.
    _bands(w, w.neighbour, 2, date(2026, 12, 1), children=1, retired=1)
    _bands(w, w.neighbour, 3, date(2026, 10, 1), retired=1)
    w.as_(w.neighbour_resident)
    assert [n["announcement_id"] for n in _feed(w, w.neighbour)] == [nid]
    w.post(f"{API}/{nid}/acknowledgements", {"household_id": str(w.neighbour)}, 200)


def test_a_notice_for_the_heads_of_household_reaches_every_household_and_says_so(w: Ward) -> None:
    w.as_(w.leader)
    written = _write(w, unit_id=w.group, category="meeting_notice", heads_only=True, title="Họp chủ hộ")
    assert written["heads_only"] is True
    assert w.get(f"{API}/preview", unit_id=str(w.group)).json() == {"households": 2}
    w.as_(w.resident)
    [shown] = _feed(w, w.household)
    assert (shown["title"], shown["heads_only"], shown["bands"]) == ("Họp chủ hộ", True, [])
    w.as_(w.leader)
    assert _write(w, unit_id=w.group, bands=["elders"], status=422)


def test_a_notice_carries_photos_and_pdfs_that_only_its_households_and_officials_read(w: Ward) -> None:
    w.as_(w.leader)
    uploaded = w.svc.client.post(f"{API}/attachments", files={"file": ("so-do.png", png(), "image/png")})
    assert uploaded.status_code == 201, uploaded.text
    photo = uploaded.json()["attachment_id"]
    written = _write(w, unit_id=w.group, title="Sơ đồ cắt điện", attachment_ids=[photo])
    assert written["attachment_ids"] == [photo]
    nid = written["announcement_id"]
    w.as_(w.resident)
    [shown] = _feed(w, w.household)
    assert shown["attachment_ids"] == [photo]
    got = w.get(f"{API}/{nid}/attachments/{photo}")
    assert got.status_code == 200
    assert got.headers["content-type"] == "image/png"
    assert got.content[:8] == b"\x89PNG\r\n\x1a\n"
    # Another ward's household and official do not read it; a file the notice does not carry is 404.
    w.as_(w.resident_51)
    assert w.get(f"{API}/{nid}/attachments/{photo}").status_code == 403
    w.as_(w.other_leader)
    assert w.get(f"{API}/{nid}/attachments/{photo}").status_code == 403
    w.as_(w.leader)
    assert w.get(f"{API}/{nid}/attachments/{uuid.uuid4()}").status_code == 404
    # A file someone else uploaded is not the author's to publish; six files are too many.
    w.as_(w.ward_official)
    theirs = _write(w, status=422, unit_id=w.ward, attachment_ids=[photo])
    assert theirs["code"] == "communication.announcement.attachment_unknown"
    w.as_(w.leader)
    many = [
        w.svc.client.post(
            f"{API}/attachments", files={"file": (f"{n}.png", png(10 + n), "image/png")}
        ).json()["attachment_id"]
        for n in range(6)
    ]
    assert _write(w, status=422, unit_id=w.group, attachment_ids=many)["code"] == (
        "communication.announcement.too_many_attachments"
    )
    # A resident uploads nothing for notices.
    w.as_(w.resident)
    refused = w.svc.client.post(f"{API}/attachments", files={"file": ("x.png", png(), "image/png")})
    assert refused.status_code == 403


def test_a_group_handed_to_another_ward_receives_that_wards_notices_from_then(w: Ward) -> None:
    w.as_(w.svc.principal(Role.WARD_OFFICIAL, w.other_ward))
    thanh_khe = _write(w, unit_id=w.other_ward, title="Thông báo của phường Thanh Khê")["announcement_id"]
    w.as_(w.ward_official)
    hai_chau = _write(w, unit_id=w.ward, title="Thông báo của phường Hải Châu")["announcement_id"]
    w.as_(w.svc.principal(Role.RESIDENT, w.group_18, w.household_18))
    assert [n["announcement_id"] for n in _feed(w, w.household_18)] == [hai_chau]
    # The 2025 reform hands Tổ 18 to the other ward: its households' feed follows the unit tree.
    moved = registry_event(
        UnitMoved, w.group_18, w.group_18, parent_id=w.other_ward, effective_from=date(2026, 12, 1)
    )
    w.svc.receive("registry.units", moved)
    # (Scope checks and feeds read the unit tree kept in memory: a reorganisation shows within seconds.)
    wait_for(
        lambda: [n["announcement_id"] for n in _feed(w, w.household_18)] == [thanh_khe],
        timeout=15,
        what="the other ward's notice in the moved group's feed",
    )
    w.as_(w.svc.principal(Role.WARD_OFFICIAL, w.other_ward))
    assert w.get(f"{API}/preview", unit_id=str(w.other_ward)).json() == {"households": 2}


def test_the_leader_records_a_whole_round_told_by_loudspeaker_at_once(w: Ward) -> None:
    w.as_(w.ward_official)
    nid = _write(w, unit_id=w.ward, priority="urgent")["announcement_id"]
    w.as_(w.resident)
    w.post(f"{API}/{nid}/acknowledgements", {"household_id": str(w.household)}, 200)
    w.as_(w.leader)
    batch = f"{API}/{nid}/acknowledgements/batch"
    # Tổ 18's household is not the Tổ 17 leader's: refused, naming it, and nothing recorded.
    body = {"household_ids": [str(w.neighbour), str(w.household_18)], "means": "loudspeaker"}
    refused = w.post(batch, body, 403).json()
    assert refused["item"] == 1
    assert [p["household_code"] for p in w.get(f"{API}/{nid}/pending", unit_id=str(w.group)).json()] == [
        "HO-002"
    ]
    # The group's two households: one had acknowledged on its page (kept), the other is told now.
    both = {"household_ids": [str(w.household), str(w.neighbour)], "means": "loudspeaker"}
    assert w.post(batch, both, 200).json() == {"recorded": 1}
    assert w.post(batch, both, 200).json() == {"recorded": 0}
    assert w.get(f"{API}/{nid}/pending", unit_id=str(w.group)).json() == []
    w.as_(w.ward_official)
    stats = {s["unit_name"]: s for s in w.get(f"{API}/{nid}/statistics").json()}
    assert (stats["Tổ 17"]["acknowledged"], stats["Tổ 17"]["offline"]) == (2, 1)
    assert w.post(batch, {"household_ids": [str(w.household)], "means": "app"}, 422)
    assert (
        w.post(batch, {"household_ids": [str(uuid.uuid4())], "means": "in_person"}, 404).json()["item"] == 0
    )
    # A resident records nothing for others.
    w.as_(w.resident)
    assert w.post(batch, {"household_ids": [str(w.neighbour)], "means": "in_person"}, 403)
