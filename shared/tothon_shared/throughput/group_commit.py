"""Group commit: concurrent saves share one event-store transaction.

PostgreSQL recorders lock the events table for each insert (so notification ids commit in order)
and every commit waits for the disk; one save per transaction caps a service near a few hundred
commands a second. Here the first caller to arrive becomes the leader and inserts, in one
transaction, every save queued meanwhile; the others wait for their share of the result. If a
combined insert fails (e.g. one save conflicts), each save of that group is retried alone, so a
caller only ever sees its own outcome.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from eventsourcing.persistence import StoredEvent

from tothon_shared.runtime.outage import database_unavailable

Insert = Callable[[Sequence[StoredEvent]], Sequence[int] | None]


@dataclass
class _Slot:
    stored: Sequence[StoredEvent]
    done: threading.Event = field(default_factory=threading.Event)
    ids: Sequence[int] | None = None
    error: BaseException | None = None


class GroupCommitter:
    """Batches concurrent ``insert`` calls into one ``insert_events`` call (leader/follower)."""

    def __init__(self, insert: Insert, max_events: int = 1000) -> None:
        self._insert = insert
        self._max_events = max_events
        self._lock = threading.Lock()
        self._queue: list[_Slot] = []
        self._leader_active = False

    def insert(self, stored: Sequence[StoredEvent]) -> Sequence[int] | None:
        """Insert ``stored`` (one caller's save) and return its notification ids."""
        slot = _Slot(stored)
        with self._lock:
            self._queue.append(slot)
            lead = not self._leader_active
            self._leader_active = True
        if lead:
            self._lead()
        else:
            slot.done.wait()
        if slot.error is not None:
            raise slot.error
        return slot.ids

    def _lead(self) -> None:
        # The leader keeps committing until nobody is waiting, so no follower is left behind.
        while True:
            with self._lock:
                batch = self._take()
                if not batch:
                    self._leader_active = False
                    return
            self._commit(batch)

    def _take(self) -> list[_Slot]:
        batch: list[_Slot] = []
        events = 0
        while self._queue and (not batch or events + len(self._queue[0].stored) <= self._max_events):
            slot = self._queue.pop(0)
            batch.append(slot)
            events += len(slot.stored)
        return batch

    def _commit(self, batch: list[_Slot]) -> None:
        try:
            if len(batch) == 1:
                self._run(batch[0])
                return
            try:
                ids = self._insert([event for slot in batch for event in slot.stored])
            except Exception as error:
                if database_unavailable(error):
                    # Nobody's save is at fault: trying each again would make the last caller
                    # wait a pool timeout per save, and the saves queued meanwhile would fare
                    # no better. They all fail now, within one timeout.
                    self._fail_queued(error)
                    for slot in batch:
                        slot.error = error
                    return
                for slot in batch:  # somebody's save is at fault: find out whose
                    self._run(slot)
                return
            start = 0
            for slot in batch:
                end = start + len(slot.stored)
                slot.ids = ids[start:end] if ids is not None else None
                start = end
        finally:
            for slot in batch:
                slot.done.set()

    def _fail_queued(self, error: BaseException) -> None:
        with self._lock:
            queued, self._queue = self._queue, []
        for slot in queued:
            slot.error = error
            slot.done.set()

    def _run(self, slot: _Slot) -> None:
        try:
            slot.ids = self._insert(slot.stored)
        except BaseException as error:
            slot.error = error
