"""The event store on PostgreSQL: a save's events go to the server in binary and come back intact."""

from __future__ import annotations

import uuid

import pytest
from deployments import Deployment
from eventsourcing.persistence import StoredEvent

from tothon_shared.application import TothonApplication
from tothon_shared.eventstore import event_store_env
from tothon_shared.pg_recorder import BinaryInsertRecorder
from tothon_shared.pgsetup import ensure_database

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
