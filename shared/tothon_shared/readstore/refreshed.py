"""Small read-model tables kept in memory and read again, in a thread of their own, once old.

A few tables are read by nearly every request and change seldom (the unit tree, the words of
names). Reading them per request cost more than the request's own work; reading them again
inside a request held up every request queued behind it. So the first reading is the caller's,
and each later one runs in a background thread while requests go on with what they have: what
they see may be ``seconds`` old (plus the time a reading takes).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import structlog
from sqlalchemy import Connection, Engine

from tothon_shared.runtime.outage import OutageLog

T = TypeVar("T")
log = structlog.get_logger(__name__)


class Refreshed(Generic[T]):
    """What ``read`` gives for each database, kept in memory and read again once ``seconds`` old.

    With ``version`` (a cheap query whose answer changes whenever ``read``'s would), a due
    reading first asks it, and reads only if it changed: a reading's CPU in a background thread
    still slows every request thread of the process (they wait for the interpreter lock at each
    database round trip), and a city's unit tree changes a few times a year."""

    def __init__(
        self,
        name: str,
        seconds: float,
        read: Callable[[Connection], T],
        version: Callable[[Connection], Hashable] | None = None,
    ) -> None:
        self.name = name
        self.seconds = seconds
        self._read = read
        self._version = version
        # By database: (expiry, value, its version; None when there is none to compare)
        self._kept: dict[str, tuple[float, T, Hashable]] = {}
        self._reading: set[str] = set()
        self._lock = threading.Lock()
        # A database that is down fails a reading at every request past the expiry: said once.
        self._outage = OutageLog(log, "refreshed.read_failed", table=name)

    def get(self, connection: Connection) -> T:
        """The value for the connection's database: read now on first use, else what was last
        read (a reading is started in the background when it is due)."""
        key = str(connection.engine.url)
        kept = self._kept.get(key)
        if kept is None:
            started = time.monotonic()
            return self._store(key, connection, started, self._version_of(connection))
        if kept[0] <= time.monotonic():
            with self._lock:
                start = key not in self._reading
                self._reading.add(key)
            if start:
                threading.Thread(
                    target=self._refresh, args=(connection.engine, key), name=self.name, daemon=True
                ).start()
        return kept[1]

    def expire(self, connection: Connection) -> None:
        """Read again at the next use (found out of date: a newer row was met in the table)."""
        key = str(connection.engine.url)
        kept = self._kept.get(key)
        if kept is not None:
            self._kept[key] = (0.0, kept[1], None)

    def _version_of(self, connection: Connection) -> Hashable:
        # Asked before reading: a change committed between the two is read again next time.
        return self._version(connection) if self._version is not None else None

    def _store(self, key: str, connection: Connection, started: float, version: Hashable) -> T:
        value = self._read(connection)
        # Expiry from the reading's start: a change committed while it ran is at most this old.
        self._kept[key] = (started + self.seconds, value, version)
        return value

    def _refresh(self, engine: Engine, key: str) -> None:
        started = time.monotonic()
        try:
            with engine.connect() as connection:
                self._read_if_changed(key, connection, started)
        except Exception as error:  # the old value serves on; the next use past its time tries again
            self._outage.failed(error)
        else:
            self._outage.succeeded()
        finally:
            with self._lock:
                self._reading.discard(key)

    def _read_if_changed(self, key: str, connection: Connection, started: float) -> None:
        _, value, known = self._kept[key]
        version = self._version_of(connection)
        if version is not None and version == known:  # (None: no version to compare)
            self._kept[key] = (started + self.seconds, value, version)  # unchanged: keep it
            return
        self._store(key, connection, started, version)
