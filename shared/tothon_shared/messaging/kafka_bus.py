"""The distributed transport: Apache Kafka through FastStream (aiokafka underneath)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware

from tothon_shared.messaging.lag import topic_end_offsets
from tothon_shared.messaging.message import Message
from tothon_shared.messaging.transport import OFFSET_HEADER, Handler


def _decode_headers(raw: Any) -> dict[str, str]:
    return {
        name: value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        for name, value in (raw.headers or ())
    }


def _to_message(record: Any) -> Message:
    return Message(
        topic=record.topic,
        key=record.key,
        value=record.value or b"",
        headers={**_decode_headers(record), OFFSET_HEADER: f"{record.partition}:{record.offset}"},
    )


async def _behind(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    for tp, end in ends.items():
        if await consumer.position(tp) < end:
            return True
    return False


async def _raw_body(message: Any) -> Any:
    # The inbox parses and validates bodies itself, so that a malformed one is dead-lettered
    # instead of failing inside FastStream's JSON decoder and blocking the partition.
    return message.body


class KafkaTransport:
    """Publishes with ``acks=all`` and idempotence; consumes with commit-after-processing."""

    def __init__(self, bootstrap: str, client_id: str, *, telemetry: bool = True) -> None:
        self.bootstrap = bootstrap
        self.client_id = client_id
        self._producer: AIOKafkaProducer | None = None
        middlewares = (KafkaTelemetryMiddleware(),) if telemetry else ()
        self.broker = KafkaBroker(
            bootstrap,
            client_id=client_id,
            acks="all",
            enable_idempotence=True,
            linger_ms=5,
            middlewares=middlewares,
            logger=None,
        )

    async def start(self) -> None:
        # Made here, not in __init__: aiokafka objects belong to the running event loop. Started
        # before the broker's subscribers: when the broker is unreachable it fails first, and is
        # closed (FastStream's own producer, failing, is left to the garbage collector, which
        # complains of it being unclosed at every attempt of a worker waiting for the broker).
        producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap,
            client_id=f"{self.client_id}-relay",
            acks="all",
            enable_idempotence=True,
            linger_ms=5,
            max_batch_size=256 * 1024,
        )
        try:
            await producer.start()
        except BaseException:
            await producer.stop()
            raise
        self._producer = producer
        await self.broker.start()

    async def reachable(self) -> bool:
        """Whether the broker answers a request for the cluster's metadata within 5 s."""
        if self._producer is None:
            return False
        try:
            return bool(await asyncio.wait_for(self._producer.client.force_metadata_update(), 5))
        except TimeoutError:
            return False

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None
        await self.broker.stop()

    @property
    def producer(self) -> AIOKafkaProducer:
        """The started producer; publishing before ``start`` is a programming error."""
        if self._producer is None:
            raise RuntimeError("KafkaTransport.start() must be awaited before publishing")
        return self._producer

    async def publish(self, messages: Sequence[Message]) -> None:
        # The relay's hot path talks to aiokafka directly: FastStream's per-message publish
        # pipeline (middlewares, a span per message) costs more than the send itself.
        pending = [
            await self.producer.send(
                m.topic,
                m.value,
                key=m.key,
                headers=[(k, v.encode()) for k, v in m.headers.items() if k != OFFSET_HEADER],
            )
            for m in messages
        ]
        # Each future resolves when the broker has the record on all in-sync replicas.
        await asyncio.gather(*pending)

    async def replay(self, topic: str, handler: Handler) -> int:
        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False)
        # The partitions and their ends come from the admin API: a group-less aiokafka consumer
        # does not load metadata for topics it was not subscribed to.
        known = await asyncio.to_thread(topic_end_offsets, self.bootstrap, [topic])
        ends = {TopicPartition(t, p): end for (t, p), end in known.items()}
        partitions = list(ends)
        if not any(ends.values()):
            return 0
        await consumer.start()
        try:
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            delivered = 0
            while await _behind(consumer, ends):
                batches = await consumer.getmany(*partitions, timeout_ms=1000, max_records=1000)
                for tp, records in batches.items():
                    wanted = [_to_message(r) for r in records if r.offset < ends[tp]]
                    if wanted:
                        await handler(wanted)
                        delivered += len(wanted)
            return delivered
        finally:
            # aiokafka 0.14's group-less coordinator re-raises the cancellation of its own
            # background task when stopped; that cancellation is not ours, so it is not passed on.
            with contextlib.suppress(asyncio.CancelledError):
                await consumer.stop()

    def subscribe(self, group: str, topic: str, handler: Handler) -> None:
        # NACK on error: a handler only raises when its own infrastructure failed (a poison
        # message is dead-lettered inside the handler), so the record must come again.
        @self.broker.subscriber(
            topic,
            group_id=group,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            decoder=_raw_body,
            batch=True,
            max_records=500,
        )
        async def _deliver(message: KafkaMessage) -> None:
            records = message.raw_message
            await handler([_to_message(r) for r in (records if isinstance(records, tuple) else (records,))])
