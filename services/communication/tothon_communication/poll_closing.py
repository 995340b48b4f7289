"""The worker closes each poll whose time is up, with the votes counted on the poll itself; its
result is published (``PollClosed``). Safe in several workers at once: a second closing of the
same poll is refused by the event store, or finds it closed."""

from __future__ import annotations

from datetime import datetime

from eventsourcing.persistence import IntegrityError

from tothon_communication.application import CommunicationApplication
from tothon_communication.domain.poll import PollError
from tothon_communication.readmodels.polls import due_to_close
from tothon_shared.eventstore.context import acting_as
from tothon_shared.runtime.definition import Runtime, Schedule

EVERY_SECONDS = 30.0


def close_due_polls(runtime: Runtime, now: datetime) -> int:
    """Close the polls past their closing time; how many were closed."""
    app = runtime.app
    assert isinstance(app, CommunicationApplication)  # the communication service's schedule
    closed = 0
    for poll_id in due_to_close(runtime.store, now):
        with acting_as("system", reason="poll_closing"):
            try:
                app.close_poll(poll_id, "system", now)
                closed += 1
            except (IntegrityError, PollError):
                continue  # another worker closed it meanwhile
    return closed


SCHEDULE = Schedule("close_polls", EVERY_SECONDS, close_due_polls)
