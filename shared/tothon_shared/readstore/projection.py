"""Projections of a service's own events into its read models: the view update and the position
are committed in one transaction, so a crash never applies an event twice or skips one.

A projection receives a whole page of events at once so that it can write them in bulk (one
multi-row statement per table instead of a round trip per event). A page that fails is applied
event by event to find the event at fault; an event that keeps failing is parked and the events
of its aggregate held behind it (``projection_failures``), so that one bad event cannot stop the
read model for good, nor be silently left out.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from enum import Enum

import structlog
from eventsourcing.utils import get_topic
from sqlalchemy import Table
from sqlalchemy.orm import Session

from tothon_shared.eventstore.notification_log import LoggedEvent, NotificationLog
from tothon_shared.readstore.projection_admin import FailureAdministration, about_failure
from tothon_shared.readstore.projection_admin import NotParkedError as NotParkedError  # the CLI's import
from tothon_shared.readstore.projection_failures import (
    FAILING,
    HELD,
    PARKED,
    REBUILT,
    RELEASED,
    SKIPPED,
    Failure,
    FailureLog,
    error_text,
    is_transient,
)
from tothon_shared.readstore.store import ReadStore

log = structlog.get_logger(__name__)
Apply = Callable[[Session, Sequence[LoggedEvent]], None]
MAX_DELAY = 30.0  # seconds between rounds, at most, while an event or the database keeps failing


class _Outcome(Enum):
    DONE = "done"  # the page is projected
    MOVED = "moved"  # another process moved the position: it projected these events
    STUCK = "stuck"  # an event failed and will be tried again after a pause


class Projector(FailureAdministration):
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
        *,
        service: str = "",
        max_attempts: int = 3,
        retry_delay: float = 0.5,
    ) -> None:
        self.name = name
        self.topics = tuple(get_topic(cls) for cls in events)
        self.log = log_
        self.store = store
        self.apply = apply
        self.tables = tables
        self.batch_size = batch_size
        self.failures = FailureLog(store.failures, service, name)
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay  # the first pause after a failure; it doubles up to MAX_DELAY
        self._delay = 0.0
        self._not_before = 0.0
        # One runner at a time in this process: the worker's rounds, a catch-up and a rebuild
        # would otherwise apply the same page twice.
        self._running = threading.Lock()

    def run_once(self) -> int:
        """Project one batch; returns how many events it covered (0 while pausing after a failure)."""
        if time.monotonic() < self._not_before:
            return 0
        with self._running:
            try:
                released, stuck = self._release_held()
                start = self.store.position(self.name)
                batch, covered = self.log.page(start, self.batch_size, self.topics)
                done, outcome = self._project(start, batch, covered)
                stuck = stuck or outcome is _Outcome.STUCK
            except Exception as error:
                if not is_transient(error):
                    raise
                log.warning("projection.database_failed", projection=self.name, error=error_text(error))
                released, done, stuck = 0, 0, True
        self._pace(stuck)
        return 0 if stuck else released + done

    def catch_up(self) -> int:
        """Project until the log is exhausted, reading the next page while writing this one."""
        with self._running:
            released, _ = self._release_held()
            return released + self._catch_up()

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
                done, outcome = self._project(start, batch, covered)
                total += done
                if outcome is _Outcome.MOVED:
                    break
                if outcome is _Outcome.STUCK:
                    # Tried again (attempts are bounded) from where the projection got to.
                    reading.result()
                    time.sleep(self.retry_delay)
                    start = self.store.position(self.name)
                    reading = reader.submit(self.log.page, start, self.batch_size, self.topics)
                    continue
                start = covered
            reading.cancel()
        return total

    def _project(self, start: int, batch: list[LoggedEvent], covered: int) -> tuple[int, _Outcome]:
        """Apply a page in one transaction or, if that fails, event by event."""
        try:
            return (len(batch), _Outcome.DONE) if self._apply(start, batch, covered) else (0, _Outcome.MOVED)
        except Exception as error:
            if is_transient(error) or len(batch) == 0:
                raise
            log.warning("projection.page_failed", projection=self.name, start=start, error=error_text(error))
        return self._isolate(start, batch, covered)

    def _isolate(self, start: int, batch: list[LoggedEvent], covered: int) -> tuple[int, _Outcome]:
        done, at = 0, start
        for logged in batch:
            try:
                if not self._apply(at, [logged], logged.position):
                    return done, _Outcome.MOVED
                done += 1
            except Exception as error:
                if is_transient(error):
                    raise
                outcome = self._failed(at, logged, error)
                if outcome is not _Outcome.DONE:
                    return done, outcome
            at = logged.position
        return done, _Outcome.DONE if self._apply(at, [], covered) else _Outcome.MOVED

    def _apply(self, start: int, batch: list[LoggedEvent], covered: int) -> bool:
        """Apply a page read from ``start`` that covers the log up to ``covered``, unless another
        process moved the position meanwhile (then it has applied these events, and nothing is
        written). Events of an aggregate with a parked event are held, not applied."""
        if covered <= start:
            return True
        with self.store.transaction() as session:
            if self.store.position(self.name, session, for_update=True) != start:
                return False
            batch = self._hold_blocked(session, batch, covered)
            if batch:
                self.apply(session, batch)
            self.store.set_position(session, self.name, covered)
        return True

    def _hold_blocked(self, session: Session, batch: list[LoggedEvent], covered: int) -> list[LoggedEvent]:
        marks = self.failures.marks(session)
        if not marks:
            return batch
        if any(status == FAILING for _, status in marks):
            self.failures.recovered(session, covered)
        blocked = {originator for originator, status in marks if status in (PARKED, HELD)}
        kept = []
        for logged in batch:
            if str(getattr(logged.event, "originator_id", "")) in blocked:
                self.failures.hold(session, logged.event, logged.position)
                log.warning("projection.event_held", projection=self.name, position=logged.position)
            else:
                kept.append(logged)
        return kept

    def _failed(self, at: int, logged: LoggedEvent, error: Exception) -> _Outcome:
        """Count a failed attempt at the event after ``at``; park it after the last attempt."""
        with self.store.transaction() as session:
            if self.store.position(self.name, session, for_update=True) != at:
                return _Outcome.MOVED
            row = self.failures.attempt_failed(session, logged.event, logged.position, error)
            if row.attempts < self.max_attempts:
                log.warning("projection.attempt_failed", projection=self.name, **about_failure(row))
                return _Outcome.STUCK
            self._park(session, row)
            self.store.set_position(session, self.name, logged.position)
        return _Outcome.DONE

    def _park(self, session: Session, row: Failure) -> None:
        earlier = self.failures.skipped_before(session, row.position)
        if earlier is not None:
            # An operator skipped this event before a rebuild; the decision stands.
            reason = f"#{earlier.failure_id}: {earlier.reason}"
            self.failures.resolve(session, row.failure_id, row.status, SKIPPED, earlier.resolved_by, reason)
            log.warning("projection.event_skipped_again", projection=self.name, **about_failure(row))
            return
        self.failures.set_status(session, row.failure_id, PARKED)
        log.error("projection.event_parked", service=row.service, projection=self.name, **about_failure(row))

    def _release_held(self) -> tuple[int, bool]:
        """Apply, oldest first, the held events whose aggregate has nothing parked any more;
        whether one of them failed (it is counted, and parked after its last attempt)."""
        done = 0
        while True:
            with self.store.transaction() as session:
                row = self.failures.next_held(session)
            if row is None:
                return done, False
            logged = self._event_at(row.position)
            try:
                with self.store.transaction() as session:
                    if self.failures.resolve(session, row.failure_id, HELD, RELEASED, None, None):
                        self.apply(session, [logged])
                        done += 1
            except Exception as error:
                if is_transient(error):
                    raise
                with self.store.transaction() as session:
                    row = self.failures.attempt_failed(session, logged.event, row.position, error)
                    if row.attempts < self.max_attempts:
                        return done, True
                    self._park(session, row)

    def _pace(self, stuck: bool) -> None:
        """After a failed round, wait before the next: twice as long each time, up to a limit."""
        self._delay = min(MAX_DELAY, max(self.retry_delay, 2 * self._delay)) if stuck else 0.0
        self._not_before = time.monotonic() + self._delay

    def rebuild(self) -> int:
        """Drop the projection's tables and project everything again from the first event;
        events parked or held before are tried again (and parked again if they still fail)."""
        with self._running:
            with self.store.transaction() as session:
                for table in reversed(self.tables):
                    session.execute(table.delete())
                self.failures.resolve_all_open(session, REBUILT, "the read model was rebuilt")
                self.store.set_position(session, self.name, 0)
            return self._catch_up()

    async def run_once_async(self) -> int:
        """``run_once`` off the event loop (``eventsourcing`` has no async API)."""
        return await asyncio.to_thread(self.run_once)
