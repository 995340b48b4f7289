"""A projection that uses a few kinds of event reads only those from the store, and its position
still moves past the events it skipped, so it never scans them again."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic
from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.orm import Session

from tothon_shared.eventstore.application import TothonApplication
from tothon_shared.eventstore.environment import event_store_env
from tothon_shared.eventstore.notification_log import LoggedEvent, NotificationLog
from tothon_shared.privacy.keys import new_master_key
from tothon_shared.readstore.projection import Projector
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.settings import Settings


class Lamp(Aggregate):
    class Installed(Aggregate.Created):
        TOPIC = "test:LampInstalled:v1"
        street: str

    @event(Installed)
    def __init__(self, street: str) -> None:
        self.street = street

    class Switched(Aggregate.Event):
        TOPIC = "test:LampSwitched:v1"

    @event(Switched)
    def switch(self) -> None:
        pass


class Streets(TothonApplication):
    pass


metadata = MetaData()
lamps = Table(
    "lamps", metadata, Column("n", Integer, primary_key=True, autoincrement=True), Column("street", String)
)


def _installed(session: Session, batch: Sequence[LoggedEvent]) -> None:
    for logged in batch:
        assert isinstance(logged.event, Lamp.Installed)  # the others never reach the projection
        session.execute(lamps.insert().values(street=logged.event.street))


def _streets(tmp_path: Path) -> Streets:
    settings = Settings(data_dir=tmp_path, personal_data_key=new_master_key())
    return Streets(env=event_store_env(settings, "streets"))


def _install(app: Streets, street: str, switches: int) -> Any:
    lamp = Lamp(street)
    for _ in range(switches):
        lamp.switch()
    app.save(lamp)


def test_only_the_events_used_are_read_and_the_position_passes_the_rest(tmp_path: Path) -> None:
    app = _streets(tmp_path)
    store = ReadStore(f"sqlite:///{tmp_path / 'read.sqlite'}", metadata)
    store.create_all()
    projector = Projector("lamps", NotificationLog(app), store, _installed, (lamps,), 2, (Lamp.Installed,))
    _install(app, "Bạch Đằng", 5)
    _install(app, "Trần Phú", 0)
    _install(app, "Lê Lợi", 3)
    assert projector.catch_up() == 3  # three events applied out of eleven stored
    assert store.position("lamps") == 11  # every event up to the newest counts as read
    assert projector.run_once() == 0
    _install(app, "Hùng Vương", 2)
    assert projector.run_once() == 1
    assert store.position("lamps") == 14
    with store.engine.connect() as connection:
        streets = connection.scalars(select(lamps.c.street).order_by(lamps.c.n)).all()
    assert streets == ["Bạch Đằng", "Trần Phú", "Lê Lợi", "Hùng Vương"]
    # A rebuild reads the same three-in-eleven again, from the first event.
    assert projector.rebuild() == 4
    app.close()


def test_a_page_of_only_skipped_events_still_moves_the_position(tmp_path: Path) -> None:
    app = _streets(tmp_path)
    log = NotificationLog(app)
    _install(app, "Bạch Đằng", 4)
    events, covered = log.page(1, 10, (get_topic(Lamp.Installed),))
    assert (events, covered) == ([], 5)
    events, covered = log.page(0, 10, (get_topic(Lamp.Installed),))
    assert [e.position for e in events] == [1]
    assert covered == 5
    everything, covered = log.page(0, 3)
    assert ([e.position for e in everything], covered) == ([1, 2, 3], 3)
    app.close()
