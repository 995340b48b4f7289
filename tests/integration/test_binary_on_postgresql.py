"""What goes to PostgreSQL in binary (a save's events, arrays of rows) comes back as it was sent."""

from __future__ import annotations

import uuid

import pytest
from deployments import Deployment
from eventsourcing.persistence import StoredEvent
from sqlalchemy import Integer, LargeBinary, String, Uuid, create_engine, select

from tothon_shared.application import TothonApplication
from tothon_shared.eventstore import event_store_env, read_store_url
from tothon_shared.pg_recorder import BinaryInsertRecorder
from tothon_shared.pgsetup import ensure_database
from tothon_shared.sql_arrays import rows_from_arrays

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
