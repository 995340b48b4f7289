"""Inbound events that run a use case, exactly once: the funds service opening and updating
household accounts from the registry's events, on SQLite (embedded) and on PostgreSQL.

The funds runtime consumes from the embedded log bus here (its positions are the tracking records'
numbers as Kafka offsets are); the test on Kafka and PostgreSQL with real processes is in
``test_inbound_use_cases_on_kafka.py``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from events import make_household_registered
from eventsourcing.persistence import Tracking
from run_apart import run_apart

from tothon_funds.application import FundsApplication
from tothon_funds.bootstrap import DEFINITION
from tothon_funds.domain.household_account import HouseholdAccount
from tothon_funds.readmodels.accounts import account_of
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import HouseholdMembershipChanged, HouseholdRegistered
from tothon_shared.eventstore.application import TrackingApplication
from tothon_shared.messaging.local_bus import LocalLogBus
from tothon_shared.messaging.message import Message, encode
from tothon_shared.messaging.use_cases import UseCase, tracking_of
from tothon_shared.runtime.pgsetup import drop_database
from tothon_shared.runtime.process import rebuild_read_models
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings
from tothon_shared.throughput.pg_recorder import BinaryInsertProcessRecorder

TOPIC = "tothon.registry.households.v1"  # the embedded mode's topic of the channel

STORES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(params=STORES)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """The funds service's stores: SQLite files, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield Settings(data_dir=tmp_path)
        return
    infrastructure: Settings = request.getfixturevalue("infrastructure")
    prefix = f"t{uuid.uuid4().hex[:10]}"
    chosen = infrastructure.model_copy(update={"pg_database_prefix": prefix, "data_dir": tmp_path})
    yield chosen
    drop_database(chosen, chosen.database_name("funds"))


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[LocalLogBus]:
    log_bus = LocalLogBus(tmp_path / "bus.sqlite", 0.01)
    yield log_bus
    log_bus.close()


@pytest.fixture
def runs() -> list[str]:
    """The event types of the use cases run, in order."""
    return []


def _counted(use_case: UseCase, runs: list[str]) -> UseCase:
    def run(app: TrackingApplication, event: IntegrationEvent, tracking: Tracking) -> None:
        runs.append(event.event_type)
        use_case(app, event, tracking)

    return run


@pytest.fixture
def funds(settings: Settings, bus: LocalLogBus, runs: list[str]) -> Iterator[ServiceRuntime]:
    """The funds service, its use cases counted as they run."""
    use_cases = {
        channel: {t: _counted(u, runs) for t, u in by_type.items()}
        for channel, by_type in DEFINITION.use_cases.items()
    }
    runtime = ServiceRuntime(replace(DEFINITION, use_cases=use_cases), settings, bus)
    yield runtime
    runtime.close()


def _membership_changed(registered: HouseholdRegistered, member_count: int) -> HouseholdMembershipChanged:
    domain_event = SimpleNamespace(
        originator_id=registered.subject_id, originator_version=2, timestamp=datetime.now(UTC)
    )
    return HouseholdMembershipChanged.from_domain_event(
        domain_event,
        producer="registry",
        correlation_id="c-2",
        unit_id=registered.unit_id,
        change="joined",
        reason="birth",
        member_count=member_count,
        on=date(2026, 11, 20),
    )


def _published(bus: LocalLogBus, *events: HouseholdRegistered | HouseholdMembershipChanged) -> list[Message]:
    """Publish ``events`` and return them as a consumer gets them (with their positions)."""
    before = len(bus.read_topic(TOPIC))
    run_apart(bus.publish([encode(e, TOPIC, {}) for e in events]))
    return bus.read_topic(TOPIC)[before:]


def _deliver(runtime: ServiceRuntime, messages: list[Message]) -> None:
    run_apart(runtime.inbox.handle_batch(messages))


def _account_events(runtime: ServiceRuntime, household_id: uuid.UUID) -> list[str]:
    account_id = HouseholdAccount.create_id(household_id)
    return [type(e).__name__ for e in runtime.app.events.get(account_id)]


def _funds_app(runtime: ServiceRuntime) -> FundsApplication:
    app = runtime.app
    assert isinstance(app, FundsApplication)
    return app


def test_a_registered_household_gets_an_account_kept_from_its_membership_changes(
    funds: ServiceRuntime, bus: LocalLogBus
) -> None:
    registered = make_household_registered("HO-042", member_count=3)
    _deliver(funds, _published(bus, registered, _membership_changed(registered, 4)))
    account = _funds_app(funds).account(registered.subject_id)
    assert account is not None
    assert (account.unit_id, account.household_code, account.member_count) == (
        registered.unit_id,
        "HO-042",
        4,
    )
    funds.projectors[0].run_once()
    row = account_of(funds.store, registered.subject_id)
    assert row is not None
    assert row["member_count"] == 4


def test_a_duplicate_delivery_runs_the_use_case_once(
    funds: ServiceRuntime, bus: LocalLogBus, runs: list[str]
) -> None:
    registered = make_household_registered()
    [opened] = _published(bus, registered)
    [counted] = _published(bus, _membership_changed(registered, 5))
    _deliver(funds, [opened, counted])
    _deliver(funds, [opened, counted])  # the batch again: its offsets were not committed
    _deliver(funds, [counted, counted])  # and a message twice within a batch
    assert runs == ["HouseholdRegistered", "HouseholdMembershipChanged"]
    assert _account_events(funds, registered.subject_id) == ["Opened", "MembersCounted"]
    assert bus.read_topic(TOPIC + ".dlq") == []


def test_an_event_published_twice_changes_the_account_once(funds: ServiceRuntime, bus: LocalLogBus) -> None:
    # A relay that crashed before recording its position publishes again: the same event at a
    # new offset, which the tracking record cannot recognise; the account does.
    registered = make_household_registered()
    change = _membership_changed(registered, 2)
    _deliver(funds, _published(bus, registered, change, registered, change))
    assert _account_events(funds, registered.subject_id) == ["Opened", "MembersCounted"]


def test_a_replay_for_a_rebuild_applies_nothing_twice(
    funds: ServiceRuntime, bus: LocalLogBus, runs: list[str]
) -> None:
    households = [make_household_registered(f"HO-{n:03d}") for n in range(3)]
    _deliver(funds, _published(bus, *households, _membership_changed(households[0], 6)))
    stored = _funds_app(funds).recorder.max_notification_id()

    counts = run_apart(rebuild_read_models(funds))

    assert counts[TOPIC] == 4  # every message was delivered again
    assert len(runs) == 4  # but ran its use case only the first time
    assert _funds_app(funds).recorder.max_notification_id() == stored  # and stored nothing
    assert _account_events(funds, households[0].subject_id) == ["Opened", "MembersCounted"]
    rebuilt = account_of(funds.store, households[0].subject_id)
    assert rebuilt is not None
    assert rebuilt["member_count"] == 6


def test_a_use_case_that_fails_stores_nothing_and_is_dead_lettered(
    settings: Settings, bus: LocalLogBus
) -> None:
    # A household without a unit cannot have an account: refused, with neither events nor
    # tracking. (The funds use cases alone: the directory would refuse it first.)
    funds = ServiceRuntime(replace(DEFINITION, inbound={}), settings, bus)
    try:
        registered = make_household_registered().model_copy(update={"unit_id": None})
        [message] = _published(bus, registered)
        _deliver(funds, [message])
        assert _account_events(funds, registered.subject_id) == []
        assert _funds_app(funds).recorder.max_notification_id() is None
        assert not _funds_app(funds).already_applied(tracking_of(message))
        [dead] = bus.read_topic(TOPIC + ".dlq")
        assert dead.headers["x-dlq-error"] == "a household is registered in a unit"
        assert dead.headers["x-dlq-attempts"] == "3"
    finally:
        funds.close()


def test_a_batch_runs_its_use_cases_in_one_transaction_tracked_by_its_last_message(
    funds: ServiceRuntime, bus: LocalLogBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One commit a message kept the funds worker ten seconds behind registrations at 200 a
    # second; a batch of one log is one transaction, whose tracking record (the log's highest
    # position) covers every message of it.
    recorder = _funds_app(funds).recorder
    inserts: list[int] = []
    insert_events = recorder.insert_events

    def counted(stored_events: Any, **kwargs: Any) -> Any:
        inserts.append(len(stored_events))
        return insert_events(stored_events, **kwargs)

    monkeypatch.setattr(recorder, "insert_events", counted)
    households = [make_household_registered(f"HO-{n:03d}") for n in range(4)]
    messages = _published(bus, *households, _membership_changed(households[1], 7))
    _deliver(funds, messages)

    assert inserts == [5]  # four accounts opened and one counted, in one insert
    assert [_account_events(funds, h.subject_id) for h in households] == [
        ["Opened"],
        ["Opened", "MembersCounted"],  # opened and counted within the same batch
        ["Opened"],
        ["Opened"],
    ]
    assert all(_funds_app(funds).already_applied(tracking_of(m)) for m in messages)
    _deliver(funds, messages)  # the batch again: nothing runs, nothing is stored
    assert inserts == [5]


def test_a_use_case_failing_in_a_batch_holds_back_no_other_message(
    settings: Settings, bus: LocalLogBus
) -> None:
    # The batch's transaction stores nothing; its messages then run one by one: the good ones
    # are applied, the bad one is dead-lettered. (The funds use cases alone: the directory
    # would refuse a household without a unit first.)
    funds = ServiceRuntime(replace(DEFINITION, inbound={}), settings, bus)
    try:
        good = [make_household_registered(f"HO-{n:03d}") for n in range(2)]
        bad = make_household_registered("HO-BAD").model_copy(update={"unit_id": None})
        _deliver(funds, _published(bus, good[0], bad, good[1]))
        assert [_account_events(funds, h.subject_id) for h in (*good, bad)] == [["Opened"], ["Opened"], []]
        [dead] = bus.read_topic(TOPIC + ".dlq")
        assert dead.headers["x-dlq-error"] == "a household is registered in a unit"
    finally:
        funds.close()


def _worker(data_dir: Path, **env: str) -> subprocess.Popen[bytes]:
    """``tothon-funds worker`` in the embedded mode on ``data_dir``, as its own process."""
    environment = {
        **os.environ,
        "TOTHON_MODE": "embedded",
        "TOTHON_DATA_DIR": str(data_dir),
        "TOTHON_POLL_INTERVAL_SECONDS": "0.05",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tothon_funds", "worker"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


@contextmanager
def _funds_on(data_dir: Path) -> Iterator[tuple[ServiceRuntime, LocalLogBus]]:
    """The embedded funds service's stores on ``data_dir``, opened from this process."""
    bus = LocalLogBus(data_dir / "bus.sqlite")
    runtime = ServiceRuntime(DEFINITION, Settings(data_dir=data_dir), bus)
    try:
        yield runtime, bus
    finally:
        runtime.close()
        bus.close()


def _accounts_opened(data_dir: Path, households: list[HouseholdRegistered]) -> list[list[str]]:
    with _funds_on(data_dir) as (runtime, _):
        return [_account_events(runtime, h.subject_id) for h in households]


def _tracked(data_dir: Path) -> list[bool]:
    """Whether each message of the topic is recorded as applied in the funds event store."""
    with _funds_on(data_dir) as (runtime, bus):
        return [_funds_app(runtime).already_applied(tracking_of(m)) for m in bus.read_topic(TOPIC)]


def test_a_consumer_killed_between_the_store_and_the_offset_commit_applies_each_event_once(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "embedded"
    bus = LocalLogBus(data_dir / "bus.sqlite")
    households = [make_household_registered(f"HO-{n:03d}") for n in range(5)]
    try:
        _published(bus, *households)
    finally:
        bus.close()

    # Killed (SIGKILL) right after the second account's commit, before the batch's offset commit.
    crashing = _worker(data_dir, TOTHON_FAULT_INBOUND_EXIT_AFTER="2")
    _, errors = crashing.communicate(timeout=120)
    assert crashing.returncode == -signal.SIGKILL, errors.decode()[-2000:]
    assert _accounts_opened(data_dir, households) == [["Opened"]] * 2 + [[]] * 3
    assert _tracked(data_dir) == [True, True, False, False, False]

    restarted = _worker(data_dir)  # the whole batch comes again
    try:
        deadline = time.monotonic() + 60
        while _accounts_opened(data_dir, households) != [["Opened"]] * 5:
            assert time.monotonic() < deadline, "the restarted worker did not open every account"
            assert restarted.poll() is None
            time.sleep(0.2)
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=30)
    assert _tracked(data_dir) == [True] * 5


@pytest.mark.postgres
def test_on_postgresql_the_use_cases_store_through_the_binary_process_recorder(
    infrastructure: Settings, tmp_path: Path, bus: LocalLogBus
) -> None:
    # The event store's insert stays the binary one (throughput.pg_recorder) with tracking records.
    settings = infrastructure.model_copy(
        update={"pg_database_prefix": f"t{uuid.uuid4().hex[:10]}", "data_dir": tmp_path}
    )
    funds = ServiceRuntime(DEFINITION, settings, bus)
    try:
        assert type(funds.app.recorder) is BinaryInsertProcessRecorder
        registered = make_household_registered()
        _deliver(funds, _published(bus, registered))
        assert _account_events(funds, registered.subject_id) == ["Opened"]
    finally:
        funds.close()
        drop_database(settings, settings.database_name("funds"))
