"""Projections of a service's own events into its read models: the view update and the position
are committed in one transaction, so a crash never applies an event twice or skips one.

A projection receives a whole page of events at once so that it can write them in bulk (one
multi-row statement per table instead of a round trip per event)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from eventsourcing.utils import get_topic
from sqlalchemy import Table
from sqlalchemy.orm import Session

from tothon_shared.notification_log import LoggedEvent, NotificationLog
from tothon_shared.readstore import ReadStore

Apply = Callable[[Session, Sequence[LoggedEvent]], None]


class Projector:
    """Follows the notification log and applies each event to the projection's tables."""

    def __init__(
        self,
        name: str,
        log_: NotificationLog,
        store: ReadStore,
        apply: Apply,
        tables: tuple[Table, ...],
        batch_size: int = 1000,
        events: tuple[type, ...] = (),
    ) -> None:
        self.name = name
        self.topics = tuple(get_topic(cls) for cls in events)
        self.log = log_
        self.store = store
        self.apply = apply
        self.tables = tables
        self.batch_size = batch_size
        # One runner at a time in this process: the worker's rounds, a catch-up and a rebuild
        # would otherwise apply the same page twice.
        self._running = threading.Lock()

    def run_once(self) -> int:
        """Project one batch; returns how many events it covered."""
        with self._running:
            start = self.store.position(self.name)
            batch, covered = self.log.page(start, self.batch_size, self.topics)
            return len(batch) if self._apply(start, batch, covered) else 0

    def catch_up(self) -> int:
        """Project until the log is exhausted, reading the next page while writing this one."""
        with self._running:
            return self._catch_up()

    def _catch_up(self) -> int:
        total = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"read-{self.name}") as reader:
            start = self.store.position(self.name)
            reading = reader.submit(self.log.page, start, self.batch_size, self.topics)
            while True:
                batch, covered = reading.result()
                if covered <= start:
                    break
                reading = reader.submit(self.log.page, covered, self.batch_size, self.topics)
                if not self._apply(start, batch, covered):
                    break
                start = covered
                total += len(batch)
            reading.cancel()
        return total

    def _apply(self, start: int, batch: list[LoggedEvent], covered: int) -> bool:
        """Apply a page read from ``start`` that covers the log up to ``covered``, unless another
        process moved the position meanwhile (then it has applied these events, and nothing is
        written)."""
        if covered <= start:
            return True
        with self.store.transaction() as session:
            if self.store.position(self.name, session, for_update=True) != start:
                return False
            if batch:
                self.apply(session, batch)
            self.store.set_position(session, self.name, covered)
        return True

    def rebuild(self) -> int:
        """Drop the projection's tables and project everything again from the first event."""
        with self._running:
            with self.store.transaction() as session:
                for table in reversed(self.tables):
                    session.execute(table.delete())
                self.store.set_position(session, self.name, 0)
            return self._catch_up()

    async def run_once_async(self) -> int:
        """``run_once`` off the event loop (``eventsourcing`` has no async API)."""
        return await asyncio.to_thread(self.run_once)
