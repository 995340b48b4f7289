"""The inbound side's second kind of handler: an integration event runs one of the receiving
service's use cases, exactly once.

A use case stores events in the service's own event store. Where the inbound message was is
recorded with them, in the same transaction, as an ``eventsourcing`` tracking record (the
library's process recorder; see ``eventstore.application.TrackingApplication``). So a duplicate
delivery, a redelivery after a crash between that commit and the transport's offset commit, and a
replay for a rebuild find the message tracked and store nothing; two consumers racing on the same
message collide on the tracking record and one of them stores nothing.

The identity of a message is its place in its log, not its event id: ``eventsourcing`` tracks an
application's progress through a log as one increasing number a log (``Tracking(name,
notification_id)``, a single row per name), which is exactly what a Kafka partition is. So the
tracking name is ``"<topic>:<partition>"`` and the number is the offset plus one (the library's
positions start at 1). The embedded bus has one log a topic, whose row ids increase: partition 0.
An event published twice (a relay that crashed before recording its position) sits at two
offsets; a use case therefore also refuses a second effect of the same event id itself (as the
funds account does), which the tracking record cannot see.

A batch of messages runs its use cases together (``run_batch``): the messages of one log, in
order, in one transaction whose tracking record is the last message's (one position a log
covers all the earlier ones). If any of them fails, nothing of the batch is stored and the
caller runs the messages one at a time (``run``), so one bad message holds back no other.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Mapping, Sequence

import structlog
from eventsourcing.persistence import IntegrityError, Tracking

from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.eventstore.application import TrackingApplication
from tothon_shared.messaging.message import Message
from tothon_shared.messaging.transport import OFFSET_HEADER

log = structlog.get_logger(__name__)

# A use case run from an inbound event, given the service's application: it must end in one
# ``app.save(..., tracking=tracking)``, with no aggregate when it has nothing to change (the
# tracking record alone is then stored, so the message is not run again).
UseCase = Callable[[TrackingApplication, IntegrationEvent, Tracking], None]


class UntrackedMessageError(ValueError):
    """A message without its place in its log: a use case cannot be run for it exactly once."""


def tracking_of(message: Message) -> Tracking:
    """Where ``message`` is in its log, as the tracking record of a use case run for it."""
    place = message.headers.get(OFFSET_HEADER)
    if place is None:
        raise UntrackedMessageError(f"a message of {message.topic} without {OFFSET_HEADER}")
    partition, _, offset = place.rpartition(":")
    return Tracking(f"{message.topic}:{partition or '0'}", int(offset) + 1)


class UseCaseRunner:
    """Runs the use cases of one service for the inbound events they take, each message once."""

    def __init__(
        self,
        app: TrackingApplication,
        use_cases: Mapping[str, UseCase],
        exit_after: int | None = None,
    ) -> None:
        self.app = app
        self.use_cases = dict(use_cases)
        # Fault injection for the crash tests (``Settings.fault_inbound_exit_after``).
        self._exit_after = exit_after
        self._applied = 0

    def takes(self, event_type: str) -> bool:
        """Whether an event of this type runs a use case."""
        return event_type in self.use_cases

    def run(self, message: Message, event: IntegrationEvent) -> bool:
        """Run the use case for ``event`` unless its message was applied; whether it ran now."""
        tracking = tracking_of(message)
        if self.app.already_applied(tracking):
            # Debug only: a rebuild's replay meets every message of the topic again.
            log.debug(
                "use_case.already_applied", tracking=tracking.application_name, at=tracking.notification_id
            )
            return False
        try:
            self.use_cases[event.event_type](self.app, event, tracking)
        except IntegrityError:
            # The tracking record's conflict: another consumer (a rebalance, a replay running
            # beside the worker) applied this message meanwhile, and nothing of ours was stored.
            if self.app.already_applied(tracking):
                return False
            raise
        self._count_applied(1)
        return True

    def run_batch(self, batch: Sequence[tuple[Message, IntegrationEvent]]) -> int:
        """Run the use cases of a batch's messages not applied yet, one transaction for each log
        they come from; how many ran. Raises (nothing of that log stored) when one of them fails:
        the caller then runs them one by one."""
        logs: dict[str, list[tuple[Tracking, IntegrationEvent]]] = {}
        for message, event in batch:
            if self.takes(event.event_type):
                tracking = tracking_of(message)
                logs.setdefault(tracking.application_name, []).append((tracking, event))
        ran = 0
        for name, runs in logs.items():
            applied_up_to = self.app.tracking.max_tracking_id(name) or 0
            pending = [(t, e) for t, e in runs if t.notification_id > applied_up_to]
            if not pending:
                continue
            for part in self._parts(pending):
                with self.app.batch():
                    for tracking, event in part:
                        self.use_cases[event.event_type](self.app, event, tracking)
                ran += len(part)
                self._count_applied(len(part))
        return ran

    def _parts(
        self, pending: list[tuple[Tracking, IntegrationEvent]]
    ) -> list[list[tuple[Tracking, IntegrationEvent]]]:
        """The whole batch at once, except under fault injection: then the part up to the
        message after whose commit the process is killed, and the rest."""
        if self._exit_after is None or self._exit_after - self._applied >= len(pending):
            return [pending]
        cut = max(1, self._exit_after - self._applied)
        return [pending[:cut], pending[cut:]]

    def _count_applied(self, count: int) -> None:
        self._applied += count
        if self._exit_after is not None and self._applied >= self._exit_after:
            # Killed after the use case's commit and before the transport commits the offset.
            os.kill(os.getpid(), signal.SIGKILL)
