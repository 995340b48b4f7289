"""Concurrent saves share transactions, and each caller still gets exactly its own outcome."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent

from tothon_shared.throughput.group_commit import GroupCommitter


class SlowLog:
    """A fake recorder: inserts take a while, ids are sequential, a 'poison' topic conflicts."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def insert(self, stored: Sequence[StoredEvent]) -> list[int]:
        time.sleep(0.005)
        with self._lock:
            if any(s.topic == "poison" for s in stored):
                raise IntegrityError("conflict")
            self.calls.append(len(stored))
            return [next(self._ids) for _ in stored]


def _event(topic: str = "t") -> StoredEvent:
    return StoredEvent(originator_id=uuid.uuid4(), originator_version=1, topic=topic, state=b"{}")


def test_concurrent_saves_are_committed_together_and_each_gets_its_ids() -> None:
    log = SlowLog()
    committer = GroupCommitter(log.insert)
    saves = [[_event() for _ in range(n % 3 + 1)] for n in range(60)]
    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(committer.insert, saves))
    assert [len(r or ()) for r in results] == [len(s) for s in saves]
    every_id = [i for r in results for i in (r or ())]
    assert sorted(every_id) == list(range(1, len(every_id) + 1))  # no id given twice
    assert len(log.calls) < len(saves)  # some transactions carried several saves


def test_a_conflicting_save_fails_alone() -> None:
    log = SlowLog()
    committer = GroupCommitter(log.insert)
    saves = [[_event("poison" if n == 7 else "t")] for n in range(20)]

    def attempt(stored: list[StoredEvent]) -> str:
        try:
            committer.insert(stored)
        except IntegrityError:
            return "conflict"
        return "ok"

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(attempt, saves))
    assert outcomes[7] == "conflict"
    assert outcomes.count("ok") == 19


def test_a_lone_save_goes_straight_through() -> None:
    log = SlowLog()
    assert GroupCommitter(log.insert).insert([_event(), _event()]) == [1, 2]
    assert log.calls == [2]
    with pytest.raises(IntegrityError):
        GroupCommitter(log.insert).insert([_event("poison")])


def test_saves_meeting_an_unavailable_database_all_fail_within_one_wait() -> None:
    # Each insert waits for a pool that finds no connection (0.2 s here, seconds in production);
    # a failed combined insert used to be tried again save by save: the last caller waited one
    # pool timeout per save queued with it.
    attempts: list[int] = []

    def unavailable(stored: Sequence[StoredEvent]) -> list[int]:
        attempts.append(len(stored))
        time.sleep(0.2)
        raise OperationalError("couldn't get a connection after 0.20 sec")

    committer = GroupCommitter(unavailable)

    def attempt(stored: list[StoredEvent]) -> float:
        began = time.monotonic()
        with pytest.raises(OperationalError):
            committer.insert(stored)
        return time.monotonic() - began

    with ThreadPoolExecutor(max_workers=12) as pool:
        waited = list(pool.map(attempt, [[_event()] for _ in range(12)]))
    assert max(waited) < 0.2 * 2 + 0.15  # the batch in hand, then its own: not twelve waits
    assert len(attempts) <= 3
