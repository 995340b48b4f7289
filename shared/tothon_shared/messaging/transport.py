"""What the relay and the consumers need from a message transport."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from tothon_shared.messaging.message import Message

# Where a delivered message was in its topic; set by the transport, never published.
OFFSET_HEADER = "x-offset"

# Handlers take the messages of one topic in order, as many as the transport has at hand; the
# transport commits their offsets once the handler returns.
Handler = Callable[[Sequence[Message]], Awaitable[None]]


class Transport(Protocol):
    """A log of topics with consumer groups: Kafka, or the embedded SQLite log bus."""

    async def start(self) -> None:
        """Connect and start delivering to the subscribed handlers."""

    async def stop(self) -> None:
        """Stop delivering and disconnect; committed offsets survive."""

    async def reachable(self) -> bool:
        """Whether the transport's broker answers now (the worker's probe of an outage)."""

    async def publish(self, messages: Sequence[Message]) -> None:
        """Publish in order per key; returns once every message is durably accepted."""

    async def replay(self, topic: str, handler: Handler) -> int:
        """Deliver every message of ``topic`` from its first up to its current end, outside any
        consumer group (for rebuilding read models); returns how many were delivered."""

    def subscribe(self, group: str, topic: str, handler: Handler) -> None:
        """Deliver the messages of ``topic`` to ``handler`` once per ``group`` (at least once), in
        batches. A handler that raises has not processed the batch: it is delivered again.
        """


def dead_letter_topic(topic: str) -> str:
    """Where messages that keep failing on ``topic`` go."""
    return f"{topic}.dlq"
