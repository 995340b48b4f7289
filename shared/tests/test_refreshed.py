"""Values kept in memory from a database: read once, then again in the background once old."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Connection, create_engine, text

from tothon_shared.readstore.refreshed import Refreshed


def _eventually(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_the_first_use_reads_later_ones_keep_then_read_again_in_the_background(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'kept.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (v INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
    readers: list[str] = []

    def read(connection: Connection) -> int:
        readers.append(threading.current_thread().name)
        return int(connection.execute(text("SELECT max(v) FROM t")).scalar_one())

    kept = Refreshed("numbers", 0.2, read)
    with engine.begin() as connection:
        assert kept.get(connection) == 1
        connection.execute(text("INSERT INTO t VALUES (2)"))
    with engine.connect() as connection:
        assert kept.get(connection) == 1  # still young: not read again
        assert readers == [threading.current_thread().name]
        time.sleep(0.25)
        assert kept.get(connection) == 1  # old: answered at once, read again elsewhere
        assert _eventually(lambda: kept.get(connection) == 2)
        assert readers[1:] == ["numbers"]  # in a thread of its own


def test_expired_values_are_read_again_and_a_failed_reading_keeps_the_old_one(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'kept.db'}")
    answers: Iterator[int | Exception] = iter([1, RuntimeError("database gone"), 3])

    def read(_connection: Connection) -> int:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    kept = Refreshed("numbers", 60.0, read)
    with engine.connect() as connection:
        assert kept.get(connection) == 1
        kept.expire(connection)  # found out of date
        assert kept.get(connection) == 1
        time.sleep(0.2)  # the reading failed: the old value serves on
        assert kept.get(connection) == 1
        kept.expire(connection)
        assert _eventually(lambda: kept.get(connection) == 3)


def test_with_a_version_an_unchanged_value_is_not_read_again(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'kept.db'}")
    version, reads = [1], [0]

    def read(_connection: Connection) -> int:
        reads[0] += 1
        return version[0] * 10

    kept = Refreshed("numbers", 0.05, read, lambda _connection: version[0])
    with engine.connect() as connection:
        assert kept.get(connection) == 10
        for _ in range(5):  # due again and again, never changed: asked, not read
            time.sleep(0.06)
            kept.get(connection)
        time.sleep(0.1)
        assert reads == [1]
        version[0] = 2
        assert _eventually(lambda: kept.get(connection) == 20)
        assert reads == [2]
