"""The inbound side: apply each integration event once, in one transaction with its event id.

A message that cannot be parsed, or whose handler keeps failing, goes to ``<topic>.dlq`` with the
error and the consumer carries on. A failure of the consumer's own database is not the message's
fault: the handler raises and the transport delivers the message again later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

import structlog
from opentelemetry import propagate, trace
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.messaging.message import MalformedMessageError, Message, decode, event_type_of
from tothon_shared.messaging.transport import Transport, dead_letter_topic
from tothon_shared.readstore import ReadStore
from tothon_shared.telemetry import tracer

log = structlog.get_logger(__name__)

EventHandler = Callable[[Session, IntegrationEvent], None]


def _is_infrastructure_failure(error: Exception) -> bool:
    return (isinstance(error, DBAPIError) and error.connection_invalidated) or (
        isinstance(error, DBAPIError) and "connect" in str(error.orig).lower()
    )


class Inbox:
    """Dispatches inbound messages of a consumer to its event handlers, idempotently."""

    def __init__(
        self,
        consumer: str,
        store: ReadStore,
        handlers: Mapping[str, EventHandler],
        transport: Transport,
        max_attempts: int = 3,
    ) -> None:
        self.consumer = consumer
        self.store = store
        self.handlers = dict(handlers)
        self.transport = transport
        self.max_attempts = max_attempts

    async def handle(self, message: Message) -> None:
        """Apply one message, skip a duplicate, or dead-letter a poison message."""
        parent = propagate.extract(dict(message.headers))
        name = f"{self.consumer} consume {message.topic}"
        with tracer(__name__).start_as_current_span(name, context=parent, kind=trace.SpanKind.CONSUMER):
            try:
                if event_type_of(message) not in self.handlers:
                    return  # a type this consumer does not need; channels carry several
                event = decode(message)
            except MalformedMessageError as error:
                await self._dead_letter(message, error, attempts=0)
                return
            last: Exception | None = None
            for attempt in range(1, self.max_attempts + 1):
                try:
                    applied = await asyncio.to_thread(self._apply, event, message.topic)
                    log.debug(
                        "inbox.applied" if applied else "inbox.duplicate",
                        consumer=self.consumer,
                        event_id=str(event.event_id),
                    )
                    return
                except Exception as error:
                    if _is_infrastructure_failure(error):
                        raise
                    last = error
                    log.warning(
                        "inbox.attempt_failed",
                        consumer=self.consumer,
                        event_id=str(event.event_id),
                        attempt=attempt,
                        error=str(error),
                    )
            assert last is not None  # the loop ran at least once and did not return
            await self._dead_letter(message, last, attempts=self.max_attempts)

    def _apply(self, event: IntegrationEvent, topic: str) -> bool:
        with self.store.transaction() as session:
            if not self.store.mark_processed(session, self.consumer, str(event.event_id), topic):
                return False
            self.handlers[event.event_type](session, event)
            return True

    async def _dead_letter(self, message: Message, error: Exception, attempts: int) -> None:
        log.error("inbox.dead_lettered", consumer=self.consumer, topic=message.topic, error=str(error))
        headers = {
            **message.headers,
            "x-dlq-consumer": self.consumer,
            "x-dlq-original-topic": message.topic,
            "x-dlq-error-type": type(error).__name__,
            "x-dlq-error": str(error)[:2000],
            "x-dlq-attempts": str(attempts),
        }
        await self.transport.publish(
            [Message(dead_letter_topic(message.topic), message.key, message.value, headers)]
        )
