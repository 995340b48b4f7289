"""The embedded transport keeps messages and offsets on disk, per consumer group, like Kafka."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from tothon_shared.messaging.local_bus import LocalLogBus
from tothon_shared.messaging.message import Message


def _msg(topic: str, n: int) -> Message:
    return Message(topic, f"k{n}".encode(), f"v{n}".encode(), {"n": str(n)})


async def _run_until(bus: LocalLogBus, done: asyncio.Event) -> None:
    await bus.start()
    try:
        await asyncio.wait_for(done.wait(), timeout=10)
    finally:
        await bus.stop()


def test_each_group_gets_every_message_in_order(tmp_path: Path) -> None:
    bus = LocalLogBus(tmp_path / "bus.sqlite", poll_interval=0.01)
    got: dict[str, list[str]] = {"a": [], "b": []}
    done = asyncio.Event()

    def collect(group: str) -> Callable[[Sequence[Message]], Awaitable[None]]:
        async def handle(batch: Sequence[Message]) -> None:
            got[group].extend(m.headers["n"] for m in batch)
            if all(len(v) == 5 for v in got.values()):
                done.set()

        return handle

    bus.subscribe("a", "t", collect("a"))
    bus.subscribe("b", "t", collect("b"))

    async def scenario() -> None:
        await bus.publish([_msg("t", n) for n in range(5)] + [_msg("other", 9)])
        await _run_until(bus, done)

    asyncio.run(scenario())
    assert got == {"a": ["0", "1", "2", "3", "4"], "b": ["0", "1", "2", "3", "4"]}


def test_a_restarted_consumer_resumes_after_its_committed_offset(tmp_path: Path) -> None:
    path = tmp_path / "bus.sqlite"
    seen: list[str] = []

    async def first_life() -> None:
        bus = LocalLogBus(path, poll_interval=0.01)
        done = asyncio.Event()

        async def handle(batch: Sequence[Message]) -> None:
            seen.extend(m.headers["n"] for m in batch)
            if len(seen) == 3:
                done.set()

        bus.subscribe("g", "t", handle)
        await bus.publish([_msg("t", n) for n in range(3)])
        await _run_until(bus, done)
        bus.close()

    async def second_life() -> None:
        bus = LocalLogBus(path, poll_interval=0.01)
        done = asyncio.Event()

        async def handle(batch: Sequence[Message]) -> None:
            seen.extend(m.headers["n"] for m in batch)
            done.set()

        bus.subscribe("g", "t", handle)
        await bus.publish([_msg("t", 3)])
        await _run_until(bus, done)
        bus.close()

    asyncio.run(first_life())
    asyncio.run(second_life())
    assert seen == ["0", "1", "2", "3"]


def test_a_message_whose_handler_raises_is_delivered_again(tmp_path: Path) -> None:
    bus = LocalLogBus(tmp_path / "bus.sqlite", poll_interval=0.01)
    attempts: list[str] = []
    done = asyncio.Event()

    async def flaky(batch: Sequence[Message]) -> None:
        attempts.append(",".join(m.headers["n"] for m in batch))
        if len(attempts) == 1:
            raise ConnectionError("database restarting")
        done.set()

    bus.subscribe("g", "t", flaky)

    async def scenario() -> None:
        await bus.publish([_msg("t", 0), _msg("t", 1)])
        await _run_until(bus, done)

    asyncio.run(scenario())
    assert attempts == ["0,1", "0,1"]


def test_replay_delivers_a_topics_whole_history(tmp_path: Path) -> None:
    bus = LocalLogBus(tmp_path / "bus.sqlite")
    replayed: list[str] = []

    async def handle(batch: Sequence[Message]) -> None:
        replayed.extend(m.headers["n"] for m in batch)

    async def scenario() -> int:
        await bus.publish([_msg("t", n) if n % 2 else _msg("u", n) for n in range(2500)])
        return await bus.replay("t", handle)

    assert asyncio.run(scenario()) == 1250
    assert replayed == [str(n) for n in range(2500) if n % 2]
