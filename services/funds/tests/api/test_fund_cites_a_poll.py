"""A community-decided fund cites the households' poll that decided it (Law 10/2022): the poll's
result comes from the communication service's PollClosed events; a fund cites only a poll that
closed, of its own unit, and passed; delivered twice, a result is kept once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from service_harness import ServiceHarness

from tothon_shared.auth.roles import Role
from tothon_shared.contracts.communication import PollClosed

FUNDS = "/api/v1/funds"


def _closed(funds: ServiceHarness, unit: uuid.UUID, counts: list[int], eligible: int) -> uuid.UUID:
    poll = uuid.uuid4()
    winner = counts.index(max(counts))
    when = SimpleNamespace(originator_id=poll, originator_version=9, timestamp=datetime.now(UTC))
    event = PollClosed.from_domain_event(
        when,
        producer="communication",
        correlation_id="c",
        unit_id=unit,
        eligible=eligible,
        voted=sum(counts),
        counts=counts,
        winner=winner,
        passed=counts[winner] * 2 > eligible,
        closed_at=datetime(2026, 11, 30, 12, tzinfo=UTC),
    )
    funds.receive("communication.civic", event)
    funds.receive("communication.civic", event)  # delivered again: kept once
    return poll


def _open(funds: ServiceHarness, unit: uuid.UUID, status: int, **body: Any) -> Any:
    payload = {"unit_id": str(unit), "name": "Quỹ làm đường kiệt 12", "kind": "community", **body}
    response = funds.client.post(FUNDS, json=payload)
    assert response.status_code == status, response.text
    return response.json()


def test_a_community_fund_cites_a_poll_of_its_unit_that_passed(funds: ServiceHarness) -> None:
    city = funds.unit("province", "Thành phố Đà Nẵng", None)
    ward = funds.unit("ward", "Phường Hải Châu", city)
    group, other = (
        funds.unit("residential_group", "Tổ 17", ward),
        funds.unit("residential_group", "Tổ 18", ward),
    )
    passed = _closed(funds, group, [70, 20], eligible=100)
    failed = _closed(funds, group, [40, 30], eligible=100)
    elsewhere = _closed(funds, other, [90, 0], eligible=100)
    funds.as_(Role.GROUP_LEADER, group)
    made = _open(funds, group, 201, poll_id=str(passed))
    assert made["resolution"] == f"Biểu quyết của các hộ ngày 30/11/2026: 70/100 hộ tán thành (mã {passed})"
    assert _open(funds, group, 422, poll_id=str(failed))["code"] == "funds.fund.poll_not_passed"
    assert _open(funds, group, 422, poll_id=str(elsewhere))["code"] == "funds.fund.poll_other_unit"
    assert _open(funds, group, 422, poll_id=str(uuid.uuid4()))["code"] == "funds.fund.poll_unknown"
    assert (
        _open(funds, group, 422, poll_id=str(passed), kind="voluntary")["code"]
        == "funds.fund.poll_not_community"
    )
    # The old way still stands: a meeting's resolution as text; neither is refused.
    assert _open(funds, group, 201, resolution="Biên bản họp tổ ngày 05/01/2026")["resolution"].startswith(
        "Biên bản"
    )
    assert _open(funds, group, 422)["code"] == "funds.fund.resolution_required"
