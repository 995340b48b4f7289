"""Inbound events are applied once; poison messages go to the dead-letter topic with their error."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from events import make_household_registered
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select
from sqlalchemy.orm import Session

from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import HouseholdRegistered
from tothon_shared.messaging.inbox import Inbox
from tothon_shared.messaging.local_bus import LocalLogBus
from tothon_shared.messaging.message import Message, encode
from tothon_shared.readstore.store import ReadStore, bookkeeping_tables

TOPIC = "t.registry.households.v1"


@pytest.fixture
def parts(tmp_path: Path) -> tuple[ReadStore, Table, LocalLogBus]:
    metadata = MetaData()
    bookkeeping_tables(metadata)
    seen = Table(
        "seen",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("code", String(40), nullable=False),
    )
    store = ReadStore(f"sqlite:///{tmp_path / 'read.sqlite'}", metadata)
    store.create_all()
    return store, seen, LocalLogBus(tmp_path / "bus.sqlite")


def _message(code: str = "HO-001") -> Message:
    return encode(make_household_registered(code, member_count=2), TOPIC, {})


def _count(store: ReadStore, table: Table) -> int:
    with store.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def test_a_duplicate_delivery_changes_nothing(parts: tuple[ReadStore, Table, LocalLogBus]) -> None:
    store, seen, bus = parts

    def record(session: Session, event: IntegrationEvent) -> None:
        assert isinstance(event, HouseholdRegistered)
        session.execute(seen.insert().values(code=event.household_code))

    inbox = Inbox("funds", store, {"HouseholdRegistered": record}, bus)
    message = _message()
    asyncio.run(inbox.handle(message))
    asyncio.run(inbox.handle(message))
    assert _count(store, seen) == 1
    assert bus.read_topic(TOPIC + ".dlq") == []


def test_a_malformed_message_is_dead_lettered_and_the_next_one_still_applied(
    parts: tuple[ReadStore, Table, LocalLogBus],
) -> None:
    store, seen, bus = parts

    def record(session: Session, event: IntegrationEvent) -> None:
        session.execute(seen.insert().values(code="x"))

    inbox = Inbox("funds", store, {"HouseholdRegistered": record}, bus)
    good = _message()
    garbage = Message(TOPIC, b"k", b"{not json", dict(good.headers))
    asyncio.run(inbox.handle(garbage))
    asyncio.run(inbox.handle(good))
    [dead] = bus.read_topic(TOPIC + ".dlq")
    assert dead.value == b"{not json"
    assert dead.headers["x-dlq-error-type"] == "MalformedMessageError"
    assert dead.headers["x-dlq-consumer"] == "funds"
    assert _count(store, seen) == 1


def test_a_handler_that_keeps_failing_is_retried_then_dead_lettered_with_nothing_stored(
    parts: tuple[ReadStore, Table, LocalLogBus],
) -> None:
    store, seen, bus = parts
    calls: list[int] = []

    def half_then_fail(session: Session, event: IntegrationEvent) -> None:
        calls.append(1)
        session.execute(seen.insert().values(code="partial"))
        raise ValueError("đơn vị không tồn tại")

    inbox = Inbox("funds", store, {"HouseholdRegistered": half_then_fail}, bus, max_attempts=3)
    asyncio.run(inbox.handle(_message()))
    assert len(calls) == 3
    assert _count(store, seen) == 0  # the partial insert was rolled back each time
    assert _count(store, store.processed) == 0
    [dead] = bus.read_topic(TOPIC + ".dlq")
    assert dead.headers["x-dlq-error"] == "đơn vị không tồn tại"
    assert dead.headers["x-dlq-attempts"] == "3"


def test_event_types_the_consumer_does_not_handle_are_skipped(
    parts: tuple[ReadStore, Table, LocalLogBus],
) -> None:
    store, _seen, bus = parts
    inbox = Inbox("feedback", store, {"UnitEstablished": lambda s, e: None}, bus)
    asyncio.run(inbox.handle(_message()))
    assert bus.read_topic(TOPIC + ".dlq") == []
    assert _count(store, store.processed) == 0


def test_a_batch_with_one_bad_event_applies_the_others_and_dead_letters_the_bad_one(
    parts: tuple[ReadStore, Table, LocalLogBus],
) -> None:
    store, seen, bus = parts

    def record(session: Session, event: IntegrationEvent) -> None:
        assert isinstance(event, HouseholdRegistered)
        if event.household_code == "HO-BAD":
            raise ValueError("không hợp lệ")
        session.execute(seen.insert().values(code=event.household_code))

    inbox = Inbox("funds", store, {"HouseholdRegistered": record}, bus)
    good = [_message(f"HO-{n}") for n in range(4)]
    batch = [*good[:2], _message("HO-BAD"), *good[2:], good[0]]  # and a duplicate inside the batch
    asyncio.run(inbox.handle_batch(batch))
    with store.engine.connect() as connection:
        codes = sorted(connection.scalars(select(seen.c.code)))
    assert codes == ["HO-0", "HO-1", "HO-2", "HO-3"]
    [dead] = bus.read_topic(TOPIC + ".dlq")
    assert dead.headers["x-dlq-error"] == "không hợp lệ"


def test_a_poison_record_read_again_is_not_dead_lettered_again(
    parts: tuple[ReadStore, Table, LocalLogBus],
) -> None:
    store, _seen, bus = parts
    inbox = Inbox("funds", store, {"HouseholdRegistered": lambda s, e: None}, bus)
    good = _message()
    asyncio.run(bus.publish([Message(TOPIC, b"k", b"{not json", dict(good.headers)), good]))
    for _ in range(2):  # the live consumer, then a rebuild reading the topic from its start
        asyncio.run(bus.replay(TOPIC, inbox.handle_batch))
        with store.transaction() as session:
            session.execute(store.processed.delete())  # what a rebuild empties first
    [dead] = bus.read_topic(TOPIC + ".dlq")
    assert dead.value == b"{not json"
    other = Inbox("communication", store, {"HouseholdRegistered": lambda s, e: None}, bus)
    asyncio.run(bus.replay(TOPIC, other.handle_batch))  # another consumer's dead letters are its own
    assert len(bus.read_topic(TOPIC + ".dlq")) == 2
