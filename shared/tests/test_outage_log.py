"""An outage is reported in a few lines however long it lasts: its cause at once, then at most a
line every 30 s with how many failures were left out, and its end once; the Kafka clients' own
lines are one of a kind every 30 s."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy.exc
from events import make_household_registered
from polling import wait_for
from sqlalchemy import Connection, MetaData, create_engine

from tothon_shared.messaging import inbox as inbox_module
from tothon_shared.messaging.inbox import Inbox
from tothon_shared.messaging.message import Message, encode
from tothon_shared.messaging.transport import Handler
from tothon_shared.readstore import refreshed as refreshed_module
from tothon_shared.readstore.refreshed import Refreshed
from tothon_shared.readstore.store import ReadStore, bookkeeping_tables
from tothon_shared.runtime.outage import OutageLog
from tothon_shared.runtime.telemetry import RepeatsLeftOut


class _Lines:
    """Stands in for a structlog logger: keeps the lines written."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, dict[str, Any]]] = []

    def _line(self, event: str, **fields: Any) -> None:
        self.lines.append((event, fields))

    error = warning = info = _line

    def events(self) -> list[str]:
        return [event for event, _ in self.lines]


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_long_outage_is_a_few_lines_with_its_cause_counts_and_end() -> None:
    lines, clock = _Lines(), _Clock()
    outage = OutageLog(lines, "worker.round_failed", clock=clock, service="funds")
    for _ in range(1000):  # ten failures a second for 100 s
        outage.failed(ConnectionRefusedError("connection refused"))
        clock.now += 0.1
    outage.succeeded()
    outage.succeeded()
    assert lines.events() == ["worker.round_failed"] * 4 + ["worker.round_failed.recovered"]
    first = lines.lines[0][1]
    assert first["reason"] == "ConnectionRefusedError: connection refused"
    assert first["service"] == "funds"
    left_out = [fields["left_out"] for _, fields in lines.lines[1:4]]
    assert all(298 <= n <= 301 for n in left_out)  # each line says how many it stands for
    assert lines.lines[-1][1]["failures"] == 1000
    assert lines.lines[-1][1]["lasted_seconds"] == pytest.approx(100, abs=0.5)


def test_a_new_outage_after_a_quiet_while_is_reported_at_once() -> None:
    lines, clock = _Lines(), _Clock()
    outage = OutageLog(lines, "http.database_unavailable", clock=clock)
    outage.failed(TimeoutError("pool"))
    clock.now += 5
    outage.failed(TimeoutError("pool"))  # the same outage: left out
    clock.now += 120  # no success reported (requests are not), but quiet since
    outage.failed(TimeoutError("pool"))
    assert [fields["failures"] for _, fields in lines.lines] == [1, 1]


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again: nothing listens there


def test_a_consumer_whose_database_is_unreachable_says_why_once_and_lets_the_message_come_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = _Lines()
    monkeypatch.setattr(inbox_module, "log", lines)
    monkeypatch.setattr(inbox_module, "RETRY_DELAY_SECONDS", 0)
    metadata = MetaData()
    bookkeeping_tables(metadata)
    url = f"postgresql+psycopg://tothon:x@127.0.0.1:{_dead_port()}/tothon_funds?connect_timeout=2"
    store = ReadStore(url, metadata)
    inbox = Inbox("funds", store, {"HouseholdRegistered": lambda s, e: None}, _NoBus())
    message = encode(make_household_registered("HO-1", member_count=1), "t.registry.households.v1", {})
    for _ in range(50):  # the transport delivers the message again and again
        with pytest.raises(Exception, match="refused"):
            asyncio.run(inbox.handle(message))
    assert lines.events() == ["inbox.delivery_failed"]  # once, not fifty times
    assert "refused" in lines.lines[0][1]["reason"]
    assert lines.lines[0][1]["consumer"] == "funds"
    assert lines.lines[0][1]["exc_info"] is None  # the cause, not a traceback


class _NoBus:
    """A transport the inbox must not use: nothing is dead-lettered for a database outage."""

    async def start(self) -> None:
        raise AssertionError("not started in this test")

    async def stop(self) -> None:
        raise AssertionError("not started in this test")

    async def reachable(self) -> bool:
        raise AssertionError("not probed in this test")

    async def publish(self, messages: Sequence[Message]) -> None:
        raise AssertionError("nothing is dead-lettered for a database outage")

    async def replay(self, topic: str, handler: Handler) -> int:
        raise AssertionError("nothing is replayed in this test")

    def subscribe(self, group: str, topic: str, handler: Handler) -> None:
        raise AssertionError("nothing is subscribed in this test")


def _record(name: str, msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, None)


def test_a_kafka_clients_reconnection_lines_are_one_of_a_kind_every_30_seconds() -> None:
    clock = _Clock()
    repeats = RepeatsLeftOut(clock=clock)
    passed = []
    for n in range(1000):  # aiokafka tries again every 0.1 s: 1,000 lines in 100 s
        record = _record("aiokafka.conn", "Unable connect to node with id %s: %s", 1, f"refused {n}")
        if repeats.filter(record):
            passed.append(record.getMessage())
        clock.now += 0.1
    assert len(passed) == 4
    assert passed[0] == "Unable connect to node with id 1: refused 0"
    assert passed[1].endswith("like it left out]")
    assert repeats.filter(_record("kafka.net.manager", "Bootstrap failed: %s", "timeout"))  # another kind
    assert all(repeats.filter(_record("tothon_shared.messaging.relay", "relay.published")) for _ in range(10))


def test_a_table_kept_in_memory_that_cannot_be_read_again_says_so_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lines = _Lines()
    monkeypatch.setattr(refreshed_module, "log", lines)
    readings: list[int] = []

    def read(connection: Connection) -> str:
        readings.append(1)
        if len(readings) > 1:  # the database went away after the first reading
            raise sqlalchemy.exc.OperationalError("SELECT", {}, Exception("connection refused"))
        return "the unit tree"

    kept = Refreshed("units", 0.0, read)  # due again at every use
    engine = create_engine(f"sqlite:///{tmp_path / 'read.sqlite'}")
    with engine.connect() as connection:
        for _ in range(20):
            assert kept.get(connection) == "the unit tree"  # the old value serves on
            wait_for(lambda: not kept._reading, 5, "the reading in the background")
    assert len(readings) == 20  # the first by the caller, then one in the background at each use
    assert lines.events() == ["refreshed.read_failed"]  # once, not twenty tracebacks
