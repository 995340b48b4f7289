"""The inbound side: apply each integration event once, in one transaction with its event id.

Messages arrive in batches; a batch is applied in one transaction (duplicates, inside the batch or
already processed, are skipped). If that transaction fails, the batch is applied message by
message so that one bad message cannot hold back the others: a message that cannot be parsed, or
whose handler keeps failing, goes to ``<topic>.dlq`` with the error and the consumer carries on.
A failure of the consumer's own database is not the messages' fault: the handler raises and the
transport delivers the batch again later.

Besides handlers of read-model tables, an event type may run a use case of the service's own
application (``messaging.use_cases``): after the batch's read-model transaction, the batch's
messages run their use cases, tracked in the service's event store so that each runs once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence

import structlog
from opentelemetry import propagate, trace
from sqlalchemy.orm import Session

from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.messaging.message import MalformedMessageError, Message, decode, event_type_of
from tothon_shared.messaging.transport import OFFSET_HEADER, Transport, dead_letter_topic
from tothon_shared.messaging.use_cases import UseCaseRunner
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.outage import OutageLog, database_unavailable
from tothon_shared.runtime.telemetry import tracer

log = structlog.get_logger(__name__)

EventHandler = Callable[[Session, IntegrationEvent], None]
Decoded = tuple[Message, IntegrationEvent]


# How long a consumer whose database is down waits before the batch is delivered again: the
# transport delivers it again at once (Kafka seeks back), which was a busy loop for the outage.
RETRY_DELAY_SECONDS = 1.0


class Inbox:
    """Dispatches inbound messages of a consumer to its event handlers, idempotently."""

    def __init__(
        self,
        consumer: str,
        store: ReadStore,
        handlers: Mapping[str, EventHandler],
        transport: Transport,
        max_attempts: int = 3,
        use_cases: UseCaseRunner | None = None,
    ) -> None:
        self.consumer = consumer
        self.use_cases = use_cases
        self.store = store
        self.handlers = dict(handlers)
        self.transport = transport
        self.max_attempts = max_attempts
        self._outage = OutageLog(log, "inbox.delivery_failed", consumer=consumer)

    async def handle(self, message: Message) -> None:
        """Apply one message (a batch of one)."""
        await self.handle_batch([message])

    async def handle_batch(self, messages: Sequence[Message]) -> None:
        """Apply a batch, skip duplicates, dead-letter poison messages; raise (after a pause) if
        the consumer's own database, or the broker taking a dead letter, cannot answer, so that
        the batch comes again."""
        try:
            await self._handle_batch(messages)
        except Exception as error:
            self._outage.failed(error)
            await asyncio.sleep(RETRY_DELAY_SECONDS)
            raise
        self._outage.succeeded()

    async def _handle_batch(self, messages: Sequence[Message]) -> None:
        decoded = [d for m in messages if (d := await self._decode(m)) is not None]
        if len(decoded) > 1:
            try:
                await asyncio.to_thread(self._apply, decoded)
                return
            except Exception as error:
                if database_unavailable(error):
                    raise
                log.warning("inbox.batch_failed", consumer=self.consumer, size=len(decoded), error=str(error))
        for one in decoded:
            await self._apply_one(one)

    async def _decode(self, message: Message) -> Decoded | None:
        parent = propagate.extract(dict(message.headers))
        name = f"{self.consumer} consume {message.topic}"
        with tracer(__name__).start_as_current_span(name, context=parent, kind=trace.SpanKind.CONSUMER):
            try:
                if not self._takes(event_type_of(message)):
                    return None  # a type this consumer does not need; channels carry several
                return message, decode(message)
            except MalformedMessageError as error:
                await self._dead_letter(message, error, attempts=0)
                return None

    async def _apply_one(self, one: Decoded) -> None:
        message, event = one
        last: Exception | None = None
        for attempt in range(1, self.max_attempts + 1):
            try:
                await asyncio.to_thread(self._apply, [one])
                return
            except Exception as error:
                if database_unavailable(error):
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

    def _takes(self, event_type: str) -> bool:
        return event_type in self.handlers or (
            self.use_cases is not None and self.use_cases.takes(event_type)
        )

    def _apply(self, batch: Sequence[Decoded]) -> None:
        self._apply_to_read_models([d for d in batch if d[1].event_type in self.handlers])
        # In the event store's own transactions with their tracking records: after a failure,
        # the batch (or the message) comes again and the ones applied are skipped.
        if self.use_cases is None:
            return
        if len(batch) == 1:
            message, event = batch[0]
            if self.use_cases.takes(event.event_type):
                self.use_cases.run(message, event)
        else:
            self.use_cases.run_batch(batch)

    def _apply_to_read_models(self, batch: Sequence[Decoded]) -> None:
        if not batch:
            return
        with self.store.transaction() as session:
            ids = [str(event.event_id) for _, event in batch]
            done = self.store.already_processed(session, self.consumer, ids)
            applied = []
            for message, event in batch:
                event_id = str(event.event_id)
                if event_id in done:
                    continue
                done.add(event_id)
                self.handlers[event.event_type](session, event)
                applied.append((event_id, message.topic))
            self.store.mark_processed(session, self.consumer, applied)

    async def _dead_letter(self, message: Message, error: Exception, attempts: int) -> None:
        # Where the record is in its topic: the same record read again (by a rebuild, or after a
        # stop before its offset was committed) was dead-lettered already.
        record = message.headers.get(OFFSET_HEADER)
        topic = message.topic
        if record is not None:
            before = await asyncio.to_thread(self.store.dead_lettered_before, self.consumer, topic, record)
            if before:
                log.info("inbox.dead_lettered_before", consumer=self.consumer, topic=topic, record=record)
                return
        log.error("inbox.dead_lettered", consumer=self.consumer, topic=message.topic, error=str(error))
        headers = {
            **{k: v for k, v in message.headers.items() if k != OFFSET_HEADER},
            "x-dlq-original-offset": message.headers.get(OFFSET_HEADER, ""),
            "x-dlq-consumer": self.consumer,
            "x-dlq-original-topic": message.topic,
            "x-dlq-error-type": type(error).__name__,
            "x-dlq-error": str(error)[:2000],
            "x-dlq-attempts": str(attempts),
        }
        await self.transport.publish(
            [Message(dead_letter_topic(message.topic), message.key, message.value, headers)]
        )
        if record is not None:
            await asyncio.to_thread(self.store.note_dead_letter, self.consumer, message.topic, record)
