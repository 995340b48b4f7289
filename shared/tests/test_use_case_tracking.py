"""Where an inbound message is in its log, as the tracking record of the use case it runs."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import Tracking

from tothon_shared.messaging.message import Message
from tothon_shared.messaging.transport import OFFSET_HEADER
from tothon_shared.messaging.use_cases import UntrackedMessageError, tracking_of

TOPIC = "t.registry.households.v1"


def _at(place: str | None) -> Message:
    return Message(TOPIC, b"k", b"{}", {} if place is None else {OFFSET_HEADER: place})


def test_a_kafka_record_is_tracked_by_its_partition_and_offset() -> None:
    assert tracking_of(_at("3:41")) == Tracking(f"{TOPIC}:3", 42)
    assert tracking_of(_at("0:0")) == Tracking(f"{TOPIC}:0", 1)  # the library's positions start at 1


def test_a_record_of_the_embedded_bus_is_tracked_in_its_topics_one_log() -> None:
    assert tracking_of(_at("17")) == Tracking(f"{TOPIC}:0", 18)


def test_a_message_without_its_place_cannot_run_a_use_case() -> None:
    with pytest.raises(UntrackedMessageError):
        tracking_of(_at(None))
