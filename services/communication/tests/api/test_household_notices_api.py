"""Notifications from the other services: each public step of a household's feedback case, new
dues and a recorded payment become a personal notice for that household (in its reader's
language), once however often the event is delivered; a case filed for no household and dues of
nothing tell no one; a consenting contact receives the notice by e-mail on a real SMTP server;
another household is refused; the read model rebuilt equals the live one."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conversation_ward import Ward
from receivers import smtp_server
from run_apart import run_apart
from service_harness import ServiceHarness
from sqlalchemy import select

from tothon_communication.bootstrap import DEFINITION
from tothon_communication.dispatch import dispatch
from tothon_communication.readmodels.household_notices import household_notices
from tothon_shared.contracts import feedback as fb
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.funds import ContributionPaid, ObligationSet
from tothon_shared.contracts.registry import NotificationConsentChanged
from tothon_shared.runtime.process import rebuild_read_models

_versions = iter(range(1, 10_000))


def _event(
    contract: type[IntegrationEvent], subject: uuid.UUID, unit: uuid.UUID | None, **fields: Any
) -> Any:
    when = SimpleNamespace(
        originator_id=subject, originator_version=next(_versions), timestamp=datetime.now(UTC)
    )
    producer = contract.channel.split(".")[0]
    return contract.from_domain_event(when, producer=producer, correlation_id="c", unit_id=unit, **fields)


def _filed(w: Ward, case: uuid.UUID, household: uuid.UUID | None) -> Any:
    now = datetime.now(UTC)
    return _event(
        fb.FeedbackSubmitted,
        case,
        w.group,
        category="sanitation",
        level="group",
        origin_unit_id=w.group,
        via="online",
        resident_account_id=uuid.uuid4(),
        household_id=household,
        attachments=0,
        accept_by=now + timedelta(hours=8),
        resolve_by=datetime(2026, 12, 15, 3, tzinfo=UTC),
    )


@pytest.fixture
def mail() -> Iterator[tuple[Any, int]]:
    with smtp_server() as found:
        yield found


@pytest.fixture
def svc(tmp_path: Path, mail: tuple[Any, int]) -> Iterator[ServiceHarness]:
    service = ServiceHarness(DEFINITION, tmp_path, smtp_host="127.0.0.1", smtp_port=mail[1])
    yield service
    service.close()


def _notices(w: Ward, household: uuid.UUID, lang: str = "vi") -> list[str]:
    response = w.svc.client.get(
        f"/api/v1/households/{household}/notifications", headers={"Accept-Language": lang}
    )
    assert response.status_code == 200, response.text
    return [n["text"] for n in response.json()][::-1]  # oldest first, to read in order


def test_each_public_step_of_a_households_case_is_told_to_it_once(w: Ward) -> None:
    case, anonymous = uuid.uuid4(), uuid.uuid4()
    filed = _filed(w, case, w.household)
    w.svc.receive("feedback.cases", filed)
    w.svc.receive("feedback.cases", filed)  # published twice by the producer's retry: told once
    w.svc.receive("feedback.cases", _filed(w, anonymous, None))  # for no household: nobody to tell
    now = datetime.now(UTC)
    w.svc.receive("feedback.cases", _event(fb.FeedbackAccepted, case, w.group))
    w.svc.receive("feedback.cases", _event(fb.FeedbackAccepted, anonymous, w.group))
    w.svc.receive(
        "feedback.cases",
        _event(
            fb.FeedbackEscalated, case, w.ward, level="ward", accept_by=now, resolve_by=now, automatic=True
        ),
    )
    w.svc.receive("feedback.cases", _event(fb.FeedbackResolved, case, w.ward, evidence=2, resolved_at=now))
    w.as_(w.resident)
    assert _notices(w, w.household) == [
        "Phản ánh của hộ đã vào hệ thống; hạn giải quyết 15/12/2026.",
        "Phản ánh của hộ đã được tiếp nhận xử lý.",
        "Phản ánh của hộ đã được chuyển lên cấp phường, xã.",
        "Phản ánh của hộ đã được giải quyết: xem kết quả và đánh giá.",
    ]
    assert (
        _notices(w, w.household, "en")[2] == "The household's feedback went up to the ward or commune level."
    )
    w.as_(w.neighbour_resident)
    assert _notices(w, w.neighbour) == []
    assert w.get(f"/api/v1/households/{w.household}/notifications").status_code == 403
    w.as_(w.leader)  # personal: not even the group leader reads them
    assert w.get(f"/api/v1/households/{w.household}/notifications").status_code == 403


def test_new_dues_and_a_payment_are_told_and_sent_to_a_consenting_contact(
    w: Ward, mail: tuple[Any, int]
) -> None:
    mailbox, _port = mail
    head = uuid.uuid4()
    consent = _event(NotificationConsentChanged, head, None, household_id=w.household, given=True)
    w.svc.receive("registry.households", consent)
    w.as_(w.resident)
    w.svc.client.put(
        f"/api/v1/households/{w.household}/contacts",
        json={"person_id": str(head), "means": "email", "address": "nam.vo@example.vn"},
    )
    levy, fund = uuid.uuid4(), uuid.uuid4()
    account = uuid.uuid4()
    common = {"household_id": w.household, "fund_id": fund, "levy_id": levy}
    w.svc.receive("funds.ledger", _event(ObligationSet, account, w.group, amount=150_000, **common))
    w.svc.receive(
        "funds.ledger", _event(ObligationSet, account, w.group, amount=0, **common)
    )  # voluntary: nothing
    paid = _event(
        ContributionPaid,
        fund,
        w.group,
        entry_id=uuid.uuid4(),
        household_id=w.household,
        amount=150_000,
        means="cash",
        receipt_number="BL-2026-000123",
        paid_at=datetime.now(UTC),
    )
    w.svc.receive("funds.ledger", paid)
    assert _notices(w, w.household) == [
        "Hộ có khoản đóng góp mới: 150.000 đồng.",
        "Hộ đã nộp 150.000 đồng, biên lai số BL-2026-000123.",
    ]
    for _ in range(2):  # the worker's rounds: queue, then send
        dispatch(w.svc.runtime, datetime.now(UTC) + timedelta(seconds=1))
        w.svc.project()
    bodies = sorted(m.get_payload(decode=True).decode().strip() for m in mailbox.messages)
    assert bodies == [
        "Hộ có khoản đóng góp mới: 150.000 đồng.",
        "Hộ đã nộp 150.000 đồng, biên lai số BL-2026-000123.",
    ]
    live = _dump(w)
    run_apart(rebuild_read_models(w.svc.runtime))
    assert _dump(w) == live


def _dump(w: Ward) -> list[tuple[Any, ...]]:
    with w.svc.runtime.store.engine.connect() as connection:
        return [
            tuple(r)
            for r in connection.execute(select(household_notices).order_by(household_notices.c.notice_id))
        ]
