"""Outbound delivery against real receivers: a resident gives contacts only for members whose
consent the registry records; city IT configures the SMS gateway (https outside the demo, the
secret never shown); an urgent notice goes out by e-mail to a real SMTP server and by a signed
webhook to a real HTTP receiver, each refusing the first time and taking the retry after the
back-off, and is never sent twice; a consent withdrawn stops what was queued; the delivery log
shows each attempt; the read models rebuilt equal the live ones."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conversation_ward import Ward
from receivers import smtp_server, webhook_server
from run_apart import run_apart
from service_harness import ServiceHarness
from sqlalchemy import select

from tothon_communication.application import CommunicationApplication
from tothon_communication.bootstrap import DEFINITION
from tothon_communication.dispatch import dispatch, fan_out
from tothon_communication.domain.outbound import (
    Means,
    OutboundError,
    check_webhook_url,
    clean_address,
    wait_after,
)
from tothon_communication.readmodels.outbound import attempts, contacts, deliveries, gateways
from tothon_shared.auth.roles import Role
from tothon_shared.contracts.registry import NotificationConsentChanged
from tothon_shared.runtime.process import rebuild_read_models
from tothon_shared.runtime.settings import Mode

SECRET = "bí-mật-của-cổng-sms-đủ-dài-2026"


def _consent(w: Ward, person: uuid.UUID, household: uuid.UUID, given: bool, version: int = 1) -> None:
    """The registry's word on a person's consent to notifications."""
    when = SimpleNamespace(originator_id=person, originator_version=version, timestamp=datetime.now(UTC))
    event = NotificationConsentChanged.from_domain_event(
        when, producer="registry", correlation_id="c", unit_id=None, household_id=household, given=given
    )
    w.svc.receive("registry.households", event)


@pytest.fixture
def receivers() -> Iterator[tuple[Any, int, Any, str]]:
    with smtp_server(refuse=1) as (mailbox, port), webhook_server(SECRET, fail=1) as (hook, url):
        yield mailbox, port, hook, url


@pytest.fixture
def mailbox(receivers: tuple[Any, int, Any, str]) -> Any:
    """The SMTP server's mailbox, taking every message the first time."""
    box = receivers[0]
    box.refuse = 0
    return box


@pytest.fixture
def svc(tmp_path: Path, receivers: tuple[Any, int, Any, str]) -> Iterator[ServiceHarness]:
    service = ServiceHarness(DEFINITION, tmp_path, smtp_host="127.0.0.1", smtp_port=receivers[1])
    yield service
    service.close()


def _dispatch(w: Ward, at: datetime) -> int:
    """The worker's rounds at ``at``: the first queues what was published, the next tries it
    (the deliveries reach the read model the dispatcher reads in between)."""
    done = dispatch(w.svc.runtime, at)
    w.svc.project()
    done += dispatch(w.svc.runtime, at)
    w.svc.project()
    return done


def test_an_urgent_notice_reaches_consenting_contacts_by_email_and_signed_webhook_with_a_retry(
    w: Ward, receivers: tuple[Any, int, Any, str]
) -> None:
    mailbox, _port, hook, url = receivers
    head, spouse = uuid.uuid4(), uuid.uuid4()
    _consent(w, head, w.household, True)
    _consent(w, spouse, w.household, False)
    # The resident gives the head's e-mail and phone; the spouse has not consented in the registry.
    w.as_(w.resident)
    base = f"/api/v1/households/{w.household}/contacts"
    w.svc.client.put(base, json={"person_id": str(head), "means": "email", "address": "nam.vo@example.vn"})
    w.svc.client.put(base, json={"person_id": str(head), "means": "sms", "address": "0905 123 456"})
    refused = w.svc.client.put(
        base, json={"person_id": str(spouse), "means": "sms", "address": "0905 999 888"}
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "communication.outbound.no_consent"
    bad = w.svc.client.put(base, json={"person_id": str(head), "means": "sms", "address": "12345"})
    assert bad.json()["code"] == "communication.outbound.address_invalid"
    w.svc.project()
    shown = w.get(base).json()
    assert {(c["means"], c["address"], c["consent"]) for c in shown} == {
        ("email", "nam.vo@example.vn", True),
        ("sms", "+84905123456", True),
    }
    # Another household's contacts are not the resident's to read or give.
    assert w.get(f"/api/v1/households/{w.neighbour}/contacts").status_code == 403
    # City IT configures the SMS gateway; its secret is never shown.
    w.as_(w.svc.principal(Role.CITY_IT_ADMIN, w.ward))
    assert w.svc.client.put("/api/v1/gateways/sms", json={"url": url, "secret": SECRET}).status_code == 204
    w.svc.project()
    assert [(g["means"], g["url"]) for g in w.get("/api/v1/gateways").json()] == [("sms", url)]
    assert SECRET not in w.get("/api/v1/gateways").text
    # An urgent notice of the group: queued for the two contacts, both refused once, then taken.
    w.as_(w.leader)
    w.post(
        "/api/v1/announcements",
        {"unit_id": str(w.group), "title": "Cắt nước", "body": "Sáng mai.", "priority": "urgent"},
        201,
    )
    now = datetime.now(UTC) + timedelta(seconds=1)
    _dispatch(w, now)
    assert (mailbox.refused, hook.failed) == (1, 1)
    assert (len(mailbox.messages), len(hook.taken)) == (0, 0)
    log = w.get(f"/api/v1/units/{w.group}/deliveries").json()
    assert {(d["means"], d["status"], d["attempts"]) for d in log} == {
        ("email", "retrying", 1),
        ("sms", "retrying", 1),
    }
    _dispatch(w, now + timedelta(seconds=30))  # not due yet: the back-off holds
    assert (len(mailbox.messages), len(hook.taken)) == (0, 0)
    _dispatch(w, now + wait_after(1) + timedelta(seconds=1))
    [mail] = mailbox.messages
    assert mail["To"] == "nam.vo@example.vn"
    assert "Cắt nước" in mail.get_payload(decode=True).decode()
    [sms] = hook.taken
    assert (sms["to"], sms["means"]) == ("+84905123456", "sms")
    assert sms["text"].startswith("Cắt nước")
    assert hook.forged == 0
    # Never again: later rounds send nothing more.
    _dispatch(w, now + timedelta(hours=2))
    assert (len(mailbox.messages), len(hook.taken)) == (1, 1)
    log = w.get(f"/api/v1/units/{w.group}/deliveries").json()
    assert {(d["means"], d["status"], d["attempts"]) for d in log} == {
        ("email", "delivered", 2),
        ("sms", "delivered", 2),
    }
    assert all([t["outcome"] for t in d["tries"]] == ["failed", "delivered"] for d in log)
    # Another ward's leader does not read this ward's log.
    w.as_(w.other_leader)
    assert w.get(f"/api/v1/units/{w.group}/deliveries").status_code == 403
    assert w.get("/api/v1/deliveries").status_code == 403


URGENT = {"title": "Họp tổ", "body": "Tối thứ Sáu.", "priority": "urgent"}


def _queued_by_email(w: Ward, person: uuid.UUID, address: str) -> datetime:
    """A consenting member of the household gives an e-mail address and an urgent notice of the
    group is queued for it (not yet sent); when the worker may send it."""
    _consent(w, person, w.household, True)
    w.as_(w.resident)
    given = {"person_id": str(person), "means": "email", "address": address}
    assert w.svc.client.put(f"/api/v1/households/{w.household}/contacts", json=given).status_code == 204
    w.svc.project()
    w.as_(w.leader)
    w.post("/api/v1/announcements", URGENT | {"unit_id": str(w.group)}, 201)
    now = datetime.now(UTC) + timedelta(seconds=1)
    app = w.svc.runtime.app
    assert isinstance(app, CommunicationApplication)
    fan_out(w.svc.runtime, app, now)
    w.svc.project()
    return now


def _dropped_and_not_queued_again(w: Ward, mailbox: Any, now: datetime) -> None:
    """The worker drops what was queued, and a new urgent notice is not queued for it at all."""
    _dispatch(w, now)
    assert mailbox.messages == []
    w.as_(w.leader)
    [dropped] = w.get(f"/api/v1/units/{w.group}/deliveries").json()
    assert dropped["status"] == "dropped"
    w.post("/api/v1/announcements", URGENT | {"unit_id": str(w.group), "title": "Lần hai"}, 201)
    _dispatch(w, now + timedelta(seconds=5))
    assert len(w.get(f"/api/v1/units/{w.group}/deliveries").json()) == 1
    assert mailbox.messages == []


def test_a_withdrawn_consent_or_a_removed_contact_stops_what_was_queued(w: Ward, mailbox: Any) -> None:
    head = uuid.uuid4()
    now = _queued_by_email(w, head, "nam.vo@example.vn")
    # Queued, then the registry says the consent was withdrawn before the worker sends it.
    _consent(w, head, w.household, False, version=2)
    _dispatch(w, now)
    assert [d["status"] for d in w.get(f"/api/v1/units/{w.group}/deliveries").json()] == ["dropped"]
    # Consent given again and the address removed: a new notice is not queued for it at all.
    _consent(w, head, w.household, True, version=3)
    w.as_(w.resident)
    base = f"/api/v1/households/{w.household}/contacts"
    assert w.svc.client.delete(f"{base}/{head}/email").status_code == 204
    assert w.svc.client.delete(f"{base}/{head}/email").status_code == 404
    w.svc.project()
    _dropped_and_not_queued_again(w, mailbox, now)


def test_a_person_who_left_the_household_is_not_sent_its_news_any_more(w: Ward, mailbox: Any) -> None:
    son = uuid.uuid4()
    now = _queued_by_email(w, son, "con.trai@example.vn")
    # Queued, then the registry: the son moved to a household split off (his consent goes with him).
    _consent(w, son, w.neighbour, True, version=2)
    _dropped_and_not_queued_again(w, mailbox, now)
    # His old household sees the contact without consent; the new one gives its own.
    w.as_(w.resident)
    [listed] = w.svc.client.get(f"/api/v1/households/{w.household}/contacts").json()
    assert listed["consent"] is False


def test_a_webhook_must_be_https_outside_the_demo_and_the_secret_long(w: Ward) -> None:
    with pytest.raises(OutboundError, match="url_not_https"):
        check_webhook_url("http://sms.example.vn/hook", plain_http_allowed=False)
    assert check_webhook_url("https://sms.example.vn/hook", plain_http_allowed=False)
    w.svc.runtime.settings = w.svc.runtime.settings.model_copy(update={"mode": Mode.DISTRIBUTED})
    w.as_(w.svc.principal(Role.CITY_IT_ADMIN, w.ward))
    plain = w.svc.client.put(
        "/api/v1/gateways/zalo", json={"url": "http://zalo.example.vn/hook", "secret": SECRET}
    )
    assert plain.status_code == 422
    assert plain.json()["code"] == "communication.outbound.url_not_https"
    assert "https" in plain.json()["detail_vi"]
    short = w.svc.client.put(
        "/api/v1/gateways/zalo", json={"url": "https://zalo.example.vn/hook", "secret": "ngắn"}
    )
    assert short.json()["code"] == "communication.outbound.secret_too_short"
    assert (
        w.svc.client.put(
            "/api/v1/gateways/email", json={"url": "https://x.vn/h", "secret": SECRET}
        ).status_code
        == 422
    )
    # Only city IT configures gateways.
    w.as_(w.ward_official)
    assert (
        w.svc.client.put(
            "/api/v1/gateways/zalo", json={"url": "https://zalo.example.vn/h", "secret": SECRET}
        ).status_code
        == 403
    )
    assert clean_address(Means.SMS, "+84 (905) 123-456") == "+84905123456"


def test_the_outbound_read_models_rebuilt_equal_the_live_ones(
    w: Ward, receivers: tuple[Any, int, Any, str]
) -> None:
    _mailbox, _port, _hook, url = receivers
    head = uuid.uuid4()
    _consent(w, head, w.household, True)
    w.as_(w.resident)
    w.svc.client.put(
        f"/api/v1/households/{w.household}/contacts",
        json={"person_id": str(head), "means": "email", "address": "a@b.vn"},
    )
    w.as_(w.svc.principal(Role.CITY_IT_ADMIN, w.ward))
    w.svc.client.put("/api/v1/gateways/sms", json={"url": url, "secret": SECRET})
    w.as_(w.leader)
    w.post(
        "/api/v1/announcements",
        {"unit_id": str(w.group), "title": "T", "body": "B", "priority": "urgent"},
        201,
    )
    _dispatch(w, datetime.now(UTC) + timedelta(seconds=1))

    def dump() -> dict[str, list[tuple[Any, ...]]]:
        with w.svc.runtime.store.engine.connect() as connection:
            return {
                t.name: [tuple(r) for r in connection.execute(select(t).order_by(*t.primary_key))]
                for t in (contacts, gateways, deliveries, attempts)
            }

    live = dump()
    assert live["notification_attempts"]
    run_apart(rebuild_read_models(w.svc.runtime))
    assert dump() == live
