"""The read model's row of an aggregate written a moment ago.

A command answers once its events are stored; the read models are projected from them after that
(in the embedded mode by a thread of the same process, distributed by the worker). So a client
that writes a notice and retracts it at once (a script, another system) could be told the notice
did not exist. A route that finds no row asks the event store whether the aggregate is there and,
if it is, waits a little for its projection; only an aggregate that was never written is not found.
The wait costs nothing on the usual path (the row is there) and one indexed read on a miss."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder
from eventsourcing.utils import resolve_topic

T = TypeVar("T")

# How long a route waits for a projection before answering 503 (the worker's lag under load is well
# below a second; a longer one is an outage the client should hear of, and retry).
PROJECTION_WAIT_SECONDS = 3.0


class ProjectionBehindError(Exception):
    """The aggregate is stored but its read model did not show it within the wait."""


def stored_as(recorder: AggregateRecorder, aggregate_id: UUID, aggregate: type) -> bool:
    """Whether the event store holds an aggregate of class ``aggregate`` under ``aggregate_id``
    (its first event only is read; an id of another kind of aggregate is not this one)."""
    first = recorder.select_events(aggregate_id, limit=1)
    if not first:
        return False
    # Topics may be registered names ("communication:Announcement.Written:v1"): the class decides.
    created: type = resolve_topic(first[0].topic)
    return created.__module__ == aggregate.__module__ and created.__qualname__.startswith(
        aggregate.__qualname__ + "."
    )


def projected(find: Callable[[], T | None], stored: Callable[[], bool]) -> T | None:
    """``find()``'s row; when it has none and ``stored()`` says the aggregate was written, the row
    once its projection has run (``ProjectionBehindError`` if not within
    ``PROJECTION_WAIT_SECONDS``). None only for an aggregate that was never written."""
    row = find()
    if row is not None or not stored():
        return row
    deadline = time.monotonic() + PROJECTION_WAIT_SECONDS
    pause = 0.01
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(2 * pause, 0.2)
        row = find()
        if row is not None:
            return row
    raise ProjectionBehindError


def row_of(
    find: Callable[[], T | None], recorder: AggregateRecorder, aggregate_id: UUID, aggregate: type
) -> T | None:
    """``projected`` for the row of ``aggregate_id``, an aggregate of class ``aggregate``."""
    return projected(find, lambda: stored_as(recorder, aggregate_id, aggregate))
