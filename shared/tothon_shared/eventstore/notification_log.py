"""Reading a service's own event store in order: the outbox of the relay and the feed of projections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from tothon_shared.eventstore.context import CommandContext
from tothon_shared.eventstore.environment import ContextMapper


@dataclass(frozen=True)
class LoggedEvent:
    """A domain event with its position in the log and the context it was recorded in."""

    position: int
    event: Any
    context: CommandContext


class NotificationLog:
    """Pages through ``app.recorder.select_notifications`` (not ``notification_log.select``,
    whose section size caps each page at 10)."""

    def __init__(self, app: Application[UUID]) -> None:
        self.app = app
        mapper = app.mapper
        if not isinstance(mapper, ContextMapper):
            raise TypeError("the application must store events through ContextMapper")
        self.mapper: ContextMapper = mapper

    def read(self, after: int, limit: int) -> list[LoggedEvent]:
        """Up to ``limit`` events after position ``after``."""
        notifications = self.app.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        return self._decode(notifications)

    def page(self, after: int, limit: int, topics: Sequence[str] = ()) -> tuple[list[LoggedEvent], int]:
        """Up to ``limit`` events after position ``after`` (only those of ``topics``, if given),
        and the position the page covers: with topics, the events skipped count as read, so a
        reader never scans past them again."""
        if not topics:
            logged = self.read(after, limit)
            return logged, logged[-1].position if logged else after
        # Positions commit in order (the recorders lock the table), so every event up to the
        # newest position seen now is visible, and none before it can appear later.
        newest = self.last_position()
        notifications = self.app.recorder.select_notifications(
            start=after, limit=limit, stop=newest, topics=topics, inclusive_of_start=False
        )
        logged = self._decode(notifications)
        covered = notifications[-1].id if len(notifications) == limit else max(newest, after)
        return logged, covered

    def _decode(self, notifications: Sequence[Notification]) -> list[LoggedEvent]:
        self.mapper.prefetch_keys(notifications)
        logged = []
        for notification in notifications:
            event, context = self.mapper.to_event_and_context(notification)
            logged.append(LoggedEvent(notification.id, event, context))
        return logged

    def last_position(self) -> int:
        """The newest position in the log (0 for an empty log)."""
        return self.app.recorder.max_notification_id() or 0
