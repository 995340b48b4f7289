"""Inbound use cases exactly once on Kafka and PostgreSQL, the funds worker as its own process:
killed (SIGKILL) between its commit and the offset commit, restarted, fed duplicates, rebuilt."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from deployments import Deployment
from events import make_household_registered
from kafka import KafkaProducer

from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import HouseholdMembershipChanged, HouseholdRegistered
from tothon_shared.messaging.message import encode

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

Eventually = Callable[..., Any]


def _publish(deployment: Deployment, topic: str, events: list[IntegrationEvent]) -> None:
    producer = KafkaProducer(bootstrap_servers=deployment.settings.kafka_bootstrap, acks="all")
    try:
        for event in events:
            message = encode(event, topic, {})
            headers = [(k, v.encode()) for k, v in message.headers.items()]
            producer.send(topic, key=message.key, value=message.value, headers=headers)
        producer.flush()
    finally:
        producer.close()


def _stored(deployment: Deployment) -> dict[str, int]:
    """How many events of each kind the funds event store holds."""
    with deployment.database("funds") as connection:
        rows = connection.execute("SELECT topic, count(*) FROM funds_events GROUP BY topic").fetchall()
    return {str(topic).split(".")[-1].split(":")[0]: int(n) for topic, n in rows}


def _tracked(deployment: Deployment, topic: str) -> int:
    """How many records of ``topic`` the funds event store's tracking records say were applied
    (one record a partition: ``<topic>:<partition>`` -> the last offset applied, plus one)."""
    with deployment.database("funds") as connection:
        rows = connection.execute("SELECT application_name, notification_id FROM funds_tracking").fetchall()
    applied = {str(name): int(position) for name, position in rows}
    return sum(1 for r in deployment.read_topic(topic) if applied.get(f"{topic}:{r.partition}", 0) > r.offset)


def _accounts(deployment: Deployment) -> dict[str, int]:
    """The accounts' read model: household code -> member count."""
    with deployment.database("funds") as connection:
        rows = connection.execute("SELECT household_code, member_count FROM household_accounts").fetchall()
    return {str(code): int(count) for code, count in rows}


def _membership_changed(registered: HouseholdRegistered, member_count: int) -> HouseholdMembershipChanged:
    domain_event = SimpleNamespace(
        originator_id=registered.subject_id, originator_version=2, timestamp=datetime.now(UTC)
    )
    return HouseholdMembershipChanged.from_domain_event(
        domain_event,
        producer="registry",
        correlation_id=str(uuid.uuid4()),
        unit_id=registered.unit_id,
        change="joined",
        reason="birth",
        member_count=member_count,
        on=date(2026, 11, 20),
    )


def test_a_funds_worker_killed_after_its_commit_applies_each_event_once(
    deployment: Deployment, eventually: Eventually
) -> None:
    topic = deployment.topic("registry.households")
    households = [make_household_registered(f"HO-{n:03d}") for n in range(5)]
    _publish(deployment, topic, [*households, _membership_changed(households[0], 7)])

    # Killed right after the second use case's commit, before the batch's offset is committed.
    crashing = deployment.start("funds", "worker", wait=False, TOTHON_FAULT_INBOUND_EXIT_AFTER="2")
    assert crashing.process.wait(timeout=60) == -9, crashing.output()[-3000:]
    # Two use cases applied: which two depends on the partitions the households hash to (the
    # first household's registration and its change share one).
    assert sum(_stored(deployment).values()) == 2
    assert _tracked(deployment, topic) == 2  # recorded with the events they stored
    assert deployment.lag("funds", "registry.households") == 6  # nothing committed

    deployment.start("funds", "worker")  # restarted: the whole batch comes again
    eventually(
        lambda: deployment.lag("funds", "registry.households") == 0, timeout=60, what="funds to catch up"
    )
    assert _stored(deployment) == {"Opened": 5, "MembersCounted": 1}
    assert _tracked(deployment, topic) == 6

    # The same records again (a duplicate delivery): nothing more is stored.
    records = deployment.read_topic(topic)
    producer = KafkaProducer(bootstrap_servers=deployment.settings.kafka_bootstrap, acks="all")
    for record in records:
        producer.send(topic, key=record.key, value=record.value, headers=record.headers)
    producer.flush()
    producer.close()
    eventually(lambda: deployment.lag("funds", "registry.households") == 0, timeout=60, what="the duplicates")
    assert _stored(deployment) == {"Opened": 5, "MembersCounted": 1}
    eventually(lambda: len(_accounts(deployment)) == 5, timeout=30, what="the accounts' projection")

    # A rebuild replays every record of the topic: the accounts are rebuilt, no event is stored.
    for process in deployment.processes:
        process.stop()
    rebuilt = deployment.run("funds", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]
    assert _stored(deployment) == {"Opened": 5, "MembersCounted": 1}
    assert _accounts(deployment) == {"HO-000": 7, "HO-001": 3, "HO-002": 3, "HO-003": 3, "HO-004": 3}
