"""What goes to PostgreSQL in binary (a save's events, arrays of rows) comes back as it was sent."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from deployments import Deployment
from eventsourcing.persistence import IntegrityError, StoredEvent
from sqlalchemy import Integer, LargeBinary, String, Uuid, create_engine, select

from tothon_shared.eventstore.application import TothonApplication
from tothon_shared.eventstore.environment import event_store_env, read_store_url
from tothon_shared.runtime.pgsetup import ensure_database
from tothon_shared.throughput.pg_recorder import BinaryInsertRecorder
from tothon_shared.throughput.sql_arrays import rows_from_arrays

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


def test_every_byte_of_a_stored_state_comes_back_and_ids_follow_the_order_of_insertion(
    deployment: Deployment,
) -> None:
    settings = deployment.settings
    ensure_database(settings, settings.database_name("registry"))
    app = TothonApplication(env=event_store_env(settings, "registry"))
    try:
        recorder = app.recorder
        assert isinstance(recorder, BinaryInsertRecorder)
        # Bytes that text escaping has to treat specially (NUL, quotes, backslashes, braces, commas,
        # high bytes), Vietnamese text in a topic, and an empty state.
        states = [bytes(range(256)), b"\\\"'{},()\x00\xff", "Nguyễn Thị Bê".encode(), b""]
        stored = [
            StoredEvent(uuid.uuid4(), version, f"chủ đề:Sự kiện.{version}", state)
            for version, state in enumerate(states, start=1)
        ]
        ids = recorder.insert_events(stored)
        assert ids is not None
        assert len(ids) == len(stored)
        assert list(ids) == sorted(ids)
        for sent, position in zip(stored, ids, strict=True):
            [back] = recorder.select_events(sent.originator_id)
            assert (back.originator_version, back.topic, back.state) == (
                sent.originator_version,
                sent.topic,
                sent.state,
            )
            [notified] = recorder.select_notifications(position, 1)
            assert notified.originator_id == sent.originator_id
    finally:
        app.close()


def test_arrays_bound_in_binary_carry_nulls_empty_arrays_and_every_byte(deployment: Deployment) -> None:
    settings = deployment.settings
    ensure_database(settings, settings.database_name("registry"))
    engine = create_engine(read_store_url(settings, "registry"))
    rows = rows_from_arrays("row", id=Uuid(), data=LargeBinary(), text=String(), number=Integer())
    query = select(rows.c.id, rows.c.data, rows.c.text, rows.c.number)
    first, last = uuid.uuid4(), uuid.uuid4()
    try:
        with engine.connect() as connection:
            sent = {
                "id": [first, None, last],
                "data": [bytes(range(256)), None, b""],
                "text": ["Nguyễn Thị Bê", None, '\\"{},'],
                "number": [-(2**31), None, 2**31 - 1],
            }
            back = [tuple(r) for r in connection.execute(query, sent)]
            assert back == list(zip(*sent.values(), strict=True))
            assert connection.execute(query, {key: [] for key in sent}).all() == []
            nulls = [tuple(r) for r in connection.execute(query, {key: [None] for key in sent})]
            assert nulls == [(None,) * 4]
    finally:
        engine.dispose()


def test_saves_committing_at_once_never_show_a_notification_id_below_one_already_read(
    deployment: Deployment,
) -> None:
    # A save is one call of a database function on an autocommit connection; its table lock must
    # still hold through the commit, or a follower tailing the log could read id n+1 before id n
    # commits, and never read id n.
    settings = deployment.settings
    ensure_database(settings, settings.database_name("registry"))
    app = TothonApplication(env=event_store_env(settings, "registry"))
    recorder = app.recorder
    assert isinstance(recorder, BinaryInsertRecorder)
    start = (recorder.max_notification_id() or 0) + 1
    saves, writers = 60, 6
    done = threading.Event()

    def write(worker: int) -> None:
        for n in range(saves):
            stored = [StoredEvent(uuid.uuid4(), 1, "t:E", f"{worker}-{n}".encode()) for _ in range(1 + n % 3)]
            recorder.insert_events(stored)

    def follow() -> list[int]:
        seen: list[int] = []
        position = start
        while True:
            finished = done.is_set()
            for notification in recorder.select_notifications(position, 500):
                seen.append(notification.id)
                position = notification.id + 1
            if finished:
                return seen

    try:
        with ThreadPoolExecutor(writers + 1) as pool:
            follower = pool.submit(follow)
            for future in [pool.submit(write, w) for w in range(writers)]:
                future.result()
            done.set()
            seen = follower.result()
        everything = [n.id for n in recorder.select_notifications(start, 10_000)]
        assert seen == everything  # the follower missed none
        assert len(everything) == sum(1 + n % 3 for n in range(saves)) * writers
    finally:
        app.close()


def test_a_save_with_a_conflicting_event_stores_none_of_its_events(deployment: Deployment) -> None:
    settings = deployment.settings
    ensure_database(settings, settings.database_name("registry"))
    app = TothonApplication(env=event_store_env(settings, "registry"))
    recorder = app.recorder
    try:
        taken = uuid.uuid4()
        recorder.insert_events([StoredEvent(taken, 1, "t:E", b"first")])
        fresh = uuid.uuid4()
        with pytest.raises(IntegrityError):
            recorder.insert_events(
                [StoredEvent(fresh, 1, "t:E", b""), StoredEvent(taken, 1, "t:E", b"again")]
            )
        assert recorder.select_events(fresh) == []
        assert [e.state for e in recorder.select_events(taken)] == [b"first"]
    finally:
        app.close()
