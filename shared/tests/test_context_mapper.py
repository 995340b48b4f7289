"""Every stored event carries who did it, why, and the trace; the domain never sees that metadata."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic

from tothon_shared.eventstore.application import TothonApplication
from tothon_shared.eventstore.context import acting_as
from tothon_shared.eventstore.environment import ContextMapper
from tothon_shared.eventstore.notification_log import NotificationLog


class Note(Aggregate):
    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text


class Notes(TothonApplication):
    def write(self, text: str) -> UUID:
        note = Note(text)
        self.save(note)
        return note.id


def _app() -> Notes:
    return Notes(env={"MAPPER_TOPIC": get_topic(ContextMapper)})


def test_the_actor_reason_and_correlation_id_are_stored_with_the_event() -> None:
    app = _app()
    with acting_as("ward-official-1", correlation_id="corr-7", reason="sửa lỗi chính tả"):
        app.write("xin chào")
    [logged] = NotificationLog(app).read(0, 10)
    assert logged.context.actor == "ward-official-1"
    assert logged.context.correlation_id == "corr-7"
    assert logged.context.reason == "sửa lỗi chính tả"


def test_the_domain_event_does_not_see_the_metadata() -> None:
    app = _app()
    note_id = app.write("xin chào")
    note: Note = app.repository.get(note_id)
    assert note.text == "xin chào"
    [logged] = NotificationLog(app).read(0, 10)
    assert "__meta__" not in vars(logged.event)


def test_events_recorded_outside_a_command_are_attributed_to_the_system() -> None:
    app = _app()
    app.write("tự động")
    [logged] = NotificationLog(app).read(0, 10)
    assert logged.context.actor == "system"


def test_the_log_reads_past_the_libraries_page_size_of_ten() -> None:
    app = _app()
    for i in range(25):
        app.write(str(i))
    log = NotificationLog(app)
    assert [e.position for e in log.read(0, 100)] == list(range(1, 26))
    assert [e.position for e in log.read(20, 100)] == [21, 22, 23, 24, 25]
    assert log.last_position() == 25
