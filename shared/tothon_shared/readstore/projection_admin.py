"""What an operator does about a projection's failures (``tothon-<service> projections``): list
them, replay a parked event once its cause is fixed, or skip it for good with a reason; either
way the events held behind it are applied next."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import structlog
from sqlalchemy.orm import Session

from tothon_shared.eventstore.notification_log import LoggedEvent, NotificationLog
from tothon_shared.readstore.projection_failures import (
    PARKED,
    REPLAYED,
    SKIPPED,
    Failure,
    FailureLog,
    is_transient,
)
from tothon_shared.readstore.store import ReadStore

# Logged under the projection's name, as before this module was split from it.
log = structlog.get_logger("tothon_shared.readstore.projection")


class NotParkedError(Exception):
    """The failure is not parked in this projection (resolved already, or another one's)."""


class FailureAdministration:
    """Mixed into ``Projector``, which sets these attributes and releases the held events."""

    name: str
    log: NotificationLog
    store: ReadStore
    apply: Callable[[Session, Sequence[LoggedEvent]], None]
    failures: FailureLog
    _running: threading.Lock

    def _release_held(self) -> tuple[int, bool]:
        raise NotImplementedError  # the projector's

    def replay(self, failure_id: int, by: str, reason: str | None = None) -> int:
        """Apply a parked event again (its cause fixed), then the events held behind it; how
        many were applied. If it fails again it stays parked, with the new error."""
        with self._running:
            row = self._parked(failure_id)
            logged = self._event_at(row.position)
            try:
                with self.store.transaction() as session:
                    if not self.failures.resolve(session, failure_id, PARKED, REPLAYED, by, reason):
                        raise NotParkedError(failure_id)
                    self.apply(session, [logged])
            except NotParkedError:
                raise
            except Exception as error:
                if not is_transient(error):
                    with self.store.transaction() as session:
                        self.failures.attempt_failed(session, logged.event, row.position, error)
                raise
            log.info("projection.event_replayed", projection=self.name, by=by, **about_failure(row))
            return 1 + self._release_held()[0]

    def skip(self, failure_id: int, by: str, reason: str) -> int:
        """Leave a parked event out of the read model for good, with the reason; then apply the
        events held behind it; how many were applied."""
        with self._running:
            row = self._parked(failure_id)
            with self.store.transaction() as session:
                if not self.failures.resolve(session, failure_id, PARKED, SKIPPED, by, reason):
                    raise NotParkedError(failure_id)
            log.warning(
                "projection.event_skipped", projection=self.name, by=by, reason=reason, **about_failure(row)
            )
            return self._release_held()[0]

    def listed(self, everything: bool = False) -> list[Failure]:
        """The events this projection set aside and still waits on (or ``everything`` it did)."""
        with self.store.transaction() as session:
            return self.failures.every(session) if everything else self.failures.open(session)

    def failure(self, failure_id: int) -> Failure | None:
        """One of this projection's failures."""
        with self.store.transaction() as session:
            return self.failures.get(session, failure_id)

    def _parked(self, failure_id: int) -> Failure:
        row = self.failure(failure_id)
        if row is None or row.status != PARKED:
            raise NotParkedError(failure_id)
        return row

    def _event_at(self, position: int) -> LoggedEvent:
        logged = self.log.read(position - 1, 1)
        if not logged or logged[0].position != position:
            raise LookupError(f"no event at position {position}")
        return logged[0]


def about_failure(row: Failure) -> dict[str, object]:
    return {
        "failure_id": row.failure_id,
        "position": row.position,
        "topic": row.topic,
        "originator_id": row.originator_id,
        "attempts": row.attempts,
        "error": row.error,
    }
