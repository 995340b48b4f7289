"""A save stores what it is given in the order given: aggregates' pending events and bare events."""

from __future__ import annotations

from eventsourcing.utils import get_topic
from notes import Note

from tothon_shared.eventstore.application import TothonApplication
from tothon_shared.eventstore.environment import ContextMapper
from tothon_shared.eventstore.notification_log import NotificationLog


def _app() -> TothonApplication:
    return TothonApplication(env={"MAPPER_TOPIC": get_topic(ContextMapper)})


def test_aggregates_and_bare_events_are_stored_in_the_order_given() -> None:
    app = _app()
    first, second, third = Note("một"), Note("hai"), Note("ba")
    first.edit("một, sửa")
    [bare] = second.collect_events()
    recordings = app.save(first, None, bare, third)
    assert [(r.domain_event.originator_id, r.domain_event.originator_version) for r in recordings] == [
        (first.id, 1),
        (first.id, 2),
        (second.id, 1),
        (third.id, 1),
    ]
    assert [e.event.originator_id for e in NotificationLog(app).read(0, 10)] == [
        first.id,
        first.id,
        second.id,
        third.id,
    ]
    assert app.repository.get(first.id).text == "một, sửa"
    assert app.repository.get(second.id).text == "hai"


def test_an_aggregate_saved_twice_in_one_save_is_stored_once() -> None:
    app = _app()
    note = Note("một")
    assert len(app.save(note, note)) == 1
    assert app.save(note) == []
    note.edit("hai")
    assert [r.domain_event.originator_version for r in app.save(note)] == [2]
