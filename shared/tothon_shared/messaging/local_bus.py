"""The embedded transport: a durable topic log in one SQLite file with per-group offsets.

It is a real transport for one machine, not a test double: messages survive restarts, each
consumer group has its own committed offset, a handler that raises gets the message again, and
a group can be rewound to rebuild a read model, exactly as with Kafka.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import structlog

from tothon_shared.messaging.message import Message
from tothon_shared.messaging.transport import OFFSET_HEADER, Handler
from tothon_shared.runtime.outage import OutageLog

log = structlog.get_logger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    key BLOB,
    value BLOB NOT NULL,
    headers TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_topic_id ON messages (topic, id);
CREATE TABLE IF NOT EXISTS group_offsets (
    grp TEXT NOT NULL,
    topic TEXT NOT NULL,
    last_id INTEGER NOT NULL,
    PRIMARY KEY (grp, topic)
);
"""


class LocalLogBus:
    """Topics as rows in SQLite; one polling task per (group, topic) subscription."""

    def __init__(self, path: Path, poll_interval: float = 0.05, batch: int = 200) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self._poll = poll_interval
        self._batch = batch
        self._subscriptions: list[tuple[str, str, Handler]] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._wakeup = asyncio.Event()
        self._stopping = asyncio.Event()

    def subscribe(self, group: str, topic: str, handler: Handler) -> None:
        self._subscriptions.append((group, topic, handler))

    async def start(self) -> None:
        self._wakeup = asyncio.Event()
        self._stopping = asyncio.Event()
        for group, topic, handler in self._subscriptions:
            self._tasks.append(asyncio.create_task(self._consume(group, topic, handler)))

    async def stop(self) -> None:
        # Let each consumer finish the message in hand and commit it, then cancel stragglers.
        self._stopping.set()
        self._wakeup.set()
        _done, pending = await asyncio.wait(self._tasks, timeout=10) if self._tasks else (set(), set())
        for task in pending:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def reachable(self) -> bool:
        return True  # a file of this machine

    def close(self) -> None:
        """Release the database file."""
        self._db.close()

    async def publish(self, messages: Sequence[Message]) -> None:
        if messages:
            await asyncio.to_thread(self._append, messages)
            self._wakeup.set()

    async def replay(self, topic: str, handler: Handler) -> int:
        delivered, after = 0, 0
        while batch := await asyncio.to_thread(self._fetch, topic, after, 1000):
            await handler(batch)
            delivered += len(batch)
            after = int(batch[-1].headers[OFFSET_HEADER])
        return delivered

    def read_topic(self, topic: str) -> list[Message]:
        """Every message of a topic, oldest first (for inspection and tests)."""
        return self._fetch(topic, 0, 1_000_000)

    def _append(self, messages: Sequence[Message]) -> None:
        rows = [(m.topic, m.key, m.value, json.dumps(dict(m.headers))) for m in messages]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT INTO messages (topic, key, value, headers) VALUES (?, ?, ?, ?)", rows
            )
            self._db.execute("COMMIT")

    def _fetch(self, topic: str, after: int, limit: int) -> list[Message]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, key, value, headers FROM messages WHERE topic = ? AND id > ? ORDER BY id LIMIT ?",
                (topic, after, limit),
            ).fetchall()
        return [
            Message(topic=topic, key=key, value=value, headers={**json.loads(h), OFFSET_HEADER: str(i)})
            for i, key, value, h in rows
        ]

    def _offset(self, group: str, topic: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT last_id FROM group_offsets WHERE grp = ? AND topic = ?", (group, topic)
            ).fetchone()
        return int(row[0]) if row else 0

    def _commit(self, group: str, topic: str, last_id: int) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO group_offsets (grp, topic, last_id) VALUES (?, ?, ?) "
                "ON CONFLICT (grp, topic) DO UPDATE SET last_id = excluded.last_id",
                (group, topic, last_id),
            )

    async def _consume(self, group: str, topic: str, handler: Handler) -> None:
        # Said once, then every 30 s at most, however many deliveries an outage fails.
        outage = OutageLog(log, "local_bus.delivery_failed", group=group, topic=topic)
        while not self._stopping.is_set():
            try:
                offset = await asyncio.to_thread(self._offset, group, topic)
                batch = await asyncio.to_thread(self._fetch, topic, offset, self._batch)
                if batch:
                    await handler(batch)
                    await asyncio.to_thread(self._commit, group, topic, int(batch[-1].headers[OFFSET_HEADER]))
            except asyncio.CancelledError:
                raise
            except Exception as error:
                # The handler could not process the message (e.g. its database is down): keep the
                # offset so the message comes again, and do not spin.
                outage.failed(error)
                await asyncio.sleep(1.0)
                continue
            outage.succeeded()
            if len(batch) < self._batch and not self._stopping.is_set():
                self._wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), timeout=self._poll)
