"""What an outage of a dependency looks like to a process: which errors mean the database cannot
answer now, and a report of a component's failures that stays a few lines however long they last.

A consumer or worker whose database (or broker) is down fails every round, every second or
faster; logging each failure with its traceback made an outage of a few minutes thousands of
lines that buried its one cause. ``OutageLog`` says why at the first failure, then at most one
line per interval with how many failures it left out, and once that the component recovered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import psycopg
import sqlalchemy.exc
from aiokafka import errors as kafka_errors
from eventsourcing import persistence

# Errors that mean "the database cannot answer now" rather than "this request or message is
# wrong": refused or lost connections, a pool that found no connection in time, a statement past
# its timeout, a deadlock or serialisation failure, a server shutting down. psycopg's
# OperationalError covers PoolTimeout and the server's class 08, 40, 53, 57 and 58 errors;
# SQLAlchemy and eventsourcing wrap them in their own classes.
UNAVAILABLE: tuple[type[BaseException], ...] = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,  # the read store's pool found no connection in time
    persistence.OperationalError,
    persistence.InterfaceError,
)


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error``, or an error it was raised from, says the database cannot answer now."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, UNAVAILABLE):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


# Errors that mean "the broker cannot be reached now".
BROKER_UNREACHABLE: tuple[type[BaseException], ...] = (
    ConnectionError,
    kafka_errors.KafkaConnectionError,
    kafka_errors.KafkaTimeoutError,
    kafka_errors.NodeNotReadyError,
    kafka_errors.RequestTimedOutError,
)


def an_outage(error: BaseException) -> bool:
    """Whether ``error`` says a dependency (the database, the broker) cannot answer now, rather
    than that the code or the data is wrong."""
    return database_unavailable(error) or isinstance(error, BROKER_UNREACHABLE)


def reason(error: BaseException) -> str:
    """One line saying what failed: the error's type and the first line of its message."""
    message = str(error).strip().splitlines()
    return f"{type(error).__name__}: {message[0]}" if message else type(error).__name__


class OutageLog:
    """Reports one component's failures: the first at once with its reason, then at most one line
    per ``interval`` seconds with how many were left out, and its recovery once."""

    def __init__(
        self,
        logger: Any,
        event: str,
        interval: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        **fields: Any,
    ) -> None:
        self._log = logger
        self._event = event  # e.g. "worker.round_failed"; recovery is logged as "<event>.recovered"
        self._interval = interval
        self._clock = clock
        self._fields = fields
        self._since: float | None = None  # when the current outage began
        self._last_failure = 0.0
        self._last_line = 0.0
        self._failures = 0
        self._left_out = 0

    @property
    def failing(self) -> bool:
        """Whether the component's last attempt failed."""
        return self._since is not None

    def failed(self, error: BaseException) -> None:
        """Note one failure; log it unless a line was written less than ``interval`` ago."""
        now = self._clock()
        if self._since is not None and now - self._last_failure > self._interval:
            # Quiet for a whole interval (a caller that does not report successes): a new outage.
            self._since = None
            self._failures = self._left_out = 0
        self._last_failure = now
        self._failures += 1
        if self._since is not None and now - self._last_line < self._interval:
            self._left_out += 1
            return
        first = self._since is None
        if first:
            self._since = now
        self._log.error(
            self._event,
            reason=reason(error),
            failures=self._failures,
            left_out=self._left_out,
            # A bug's first failure keeps its traceback; an outage's cause is its reason.
            exc_info=error if first and not an_outage(error) else None,
            **self._fields,
        )
        self._last_line = now
        self._left_out = 0

    def succeeded(self) -> None:
        """Note a success; after failures, log the recovery once."""
        if self._since is None:
            return
        self._log.warning(
            f"{self._event}.recovered",
            failures=self._failures,
            lasted_seconds=round(self._clock() - self._since, 1),
            **self._fields,
        )
        self._since = None
        self._failures = self._left_out = 0
