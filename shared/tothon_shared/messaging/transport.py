"""What the relay and the consumers need from a message transport."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from tothon_shared.messaging.message import Message

Handler = Callable[[Message], Awaitable[None]]


class Transport(Protocol):
    """A log of topics with consumer groups: Kafka, or the embedded SQLite log bus."""

    async def start(self) -> None:
        """Connect and start delivering to the subscribed handlers."""

    async def stop(self) -> None:
        """Stop delivering and disconnect; committed offsets survive."""

    async def publish(self, messages: Sequence[Message]) -> None:
        """Publish in order per key; returns once every message is durably accepted."""

    async def replay(self, topic: str, handler: Handler) -> int:
        """Deliver every message of ``topic`` from its first up to its current end, outside any
        consumer group (for rebuilding read models); returns how many were delivered."""

    def subscribe(self, group: str, topic: str, handler: Handler) -> None:
        """Deliver each message of ``topic`` to ``handler`` once per ``group`` (at least once).

        A handler that raises has not processed the message: it is delivered again.
        """


def dead_letter_topic(topic: str) -> str:
    """Where messages that keep failing on ``topic`` go."""
    return f"{topic}.dlq"
