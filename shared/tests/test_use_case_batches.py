"""A batch of inbound use cases belongs to the thread that runs it: the API's requests and other
consumers share the application meanwhile, and what they save is stored at once, not gathered
into the batch (a poll opened beside a consumer's batch was once answered 201 and then lost)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic
from notes import Note

from tothon_shared.eventstore.application import TrackingApplication
from tothon_shared.eventstore.environment import ContextMapper


def _app() -> TrackingApplication:
    return TrackingApplication(env={"MAPPER_TOPIC": get_topic(ContextMapper)})


def _stored(app: TrackingApplication, note: Note) -> list[str]:
    return [type(e).__name__ for e in app.events.get(note.id)]


def _in_a_batch(app: TrackingApplication, inside: Callable[[], None], log: str = "log:0") -> Note:
    """A note saved by a batch, which runs ``inside`` (in another thread) before it ends."""
    note = Note("batch")
    with app.batch():
        app.save(note, tracking=Tracking(log, 1))
        with ThreadPoolExecutor(1) as other:
            other.submit(inside).result()
        assert _stored(app, note) == []  # the batch's own save waits for its end
    return note


def test_a_save_from_another_thread_during_a_batch_is_stored_at_once() -> None:
    app = _app()
    request = Note("request")

    def saved_by_a_request() -> None:
        assert app.save(request) != []
        assert _stored(app, request) == ["Written"]

    note = _in_a_batch(app, saved_by_a_request)
    assert _stored(app, note) == ["Written"]
    assert _stored(app, request) == ["Written"]


def test_a_save_from_another_thread_survives_a_batch_that_fails() -> None:
    app = _app()
    request = Note("request")

    def failing_batch() -> None:
        with app.batch():
            app.save(Note("lost"), tracking=Tracking("log:0", 1))
            with ThreadPoolExecutor(1) as other:
                other.submit(app.save, request).result()
            raise RuntimeError("a use case failed")

    with pytest.raises(RuntimeError):
        failing_batch()
    assert _stored(app, request) == ["Written"]
    assert app.tracking.max_tracking_id("log:0") is None


def test_another_thread_does_not_see_what_a_batch_has_not_stored() -> None:
    app = _app()
    note = Note("stored")
    app.save(note)
    seen: list[str] = []
    with app.batch():
        changed: Note = app.repository.get(note.id)
        changed.edit("not yet stored")
        app.save(changed, tracking=Tracking("log:0", 1))
        assert app.repository.get(note.id).text == "not yet stored"  # the batch sees its own change
        with ThreadPoolExecutor(1) as other:
            seen.append(other.submit(lambda: app.repository.get(note.id).text).result())
    assert seen == ["stored"]
    assert app.repository.get(note.id).text == "not yet stored"


def test_two_consumers_batch_at_once_on_one_application() -> None:
    app = _app()
    both_inside = threading.Barrier(2, timeout=10)

    def consumer(log: str) -> Note:
        note = Note(log)
        with app.batch():
            app.save(note, tracking=Tracking(log, 1))
            both_inside.wait()  # each is inside its own batch while the other is
        return note

    with ThreadPoolExecutor(2) as consumers:
        notes = list(consumers.map(consumer, ["a:0", "b:0"]))
    assert [_stored(app, n) for n in notes] == [["Written"], ["Written"]]
    assert app.tracking.max_tracking_id("a:0") == app.tracking.max_tracking_id("b:0") == 1


def test_a_batch_still_does_not_nest_in_its_own_thread() -> None:
    app = _app()
    with app.batch(), pytest.raises(AssertionError, match="batches do not nest"), app.batch():
        pass
