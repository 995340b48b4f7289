"""The outbox relay: the event store's notification log is the outbox.

Reads from its tracked position, maps domain events to integration events, publishes them (key =
aggregate id), then records the new position. A crash between publishing and recording means the
same events are published again with the same event ids: at least once, and consumers dedupe.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence

import structlog
from opentelemetry import trace

from tothon_shared.contracts.catalog import CHANNELS
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.eventstore.context import CommandContext
from tothon_shared.eventstore.notification_log import LoggedEvent, NotificationLog
from tothon_shared.messaging.message import Message, encode
from tothon_shared.messaging.transport import Transport
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.telemetry import tracer

log = structlog.get_logger(__name__)

# Maps one domain event (with the context it was recorded in) to the public events it implies.
OutboundMapping = Callable[[object, CommandContext], Sequence[IntegrationEvent]]

RELAY_POSITION = "outbox-relay"


class OutboxRelay:
    """Publishes a service's integration events from its notification log."""

    def __init__(
        self,
        log_: NotificationLog,
        mapping: OutboundMapping,
        transport: Transport,
        store: ReadStore,
        topic_prefix: str,
        batch_size: int = 500,
        exit_after: int | None = None,
    ) -> None:
        self.log = log_
        self.mapping = mapping
        self.transport = transport
        self.store = store
        self.prefix = topic_prefix
        self.batch_size = batch_size
        self._exit_after = exit_after
        self._published = 0

    async def run_once(self) -> int:
        """Relay one batch; returns how many notifications it covered."""
        start = await asyncio.to_thread(self.store.position, RELAY_POSITION)
        batch = await asyncio.to_thread(self.log.read, start, self.batch_size)
        await self._relay(batch)
        return len(batch)

    async def drain(self) -> int:
        """Relay until the log is exhausted; returns the total relayed.

        The next page is read while the current one is being published, so the event store
        and the broker are kept busy at the same time."""
        total = 0
        start = await asyncio.to_thread(self.store.position, RELAY_POSITION)
        reading = asyncio.create_task(asyncio.to_thread(self.log.read, start, self.batch_size))
        while batch := await reading:
            reading = asyncio.create_task(
                asyncio.to_thread(self.log.read, batch[-1].position, self.batch_size)
            )
            await self._relay(batch)
            total += len(batch)
        return total

    async def _relay(self, batch: list[LoggedEvent]) -> None:
        if not batch:
            return
        with tracer(__name__).start_as_current_span(
            "relay batch", kind=trace.SpanKind.PRODUCER, attributes={"tothon.events": len(batch)}
        ):
            messages = [m for logged in batch for m in self._messages(logged)]
            await self._publish(messages)
        await asyncio.to_thread(self._record, batch[-1].position)

    def _messages(self, logged: LoggedEvent) -> list[Message]:
        # Each message carries the trace context stored with its event (the command's span), so
        # the consumers' spans join the request's trace however late the relay runs.
        return [
            encode(event, CHANNELS[event.channel].topic(self.prefix), logged.context.trace)
            for event in self.mapping(logged.event, logged.context)
        ]

    async def _publish(self, messages: list[Message]) -> None:
        if self._exit_after is not None and self._published + len(messages) >= self._exit_after:
            # Fault injection for the crash tests: publish part of the batch, then die before the
            # position is recorded, as a killed process would.
            cut = self._exit_after - self._published
            await self.transport.publish(messages[:cut])
            await self.transport.stop()
            log.warning("relay.fault_injected_exit", published=self._published + cut)
            os._exit(70)
        await self.transport.publish(messages)
        self._published += len(messages)

    def _record(self, position: int) -> None:
        with self.store.transaction() as session:
            self.store.set_position(session, RELAY_POSITION, position)
