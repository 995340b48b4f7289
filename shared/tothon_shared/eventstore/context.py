"""Who is acting and why: carried with every command and stored with the events it produces."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from opentelemetry import propagate


@dataclass(frozen=True)
class CommandContext:
    """The actor, correlation id, reason and trace carrier of one command."""

    actor: str = "system"
    correlation_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    reason: str | None = None
    trace: dict[str, str] = field(default_factory=dict)

    def as_meta(self) -> list[str | None]:
        """The metadata stored beside each event of the command.

        A flat list rather than a dict: the event store's JSON decoder calls a Python hook for
        every object it meets, and this is read back with every event, by every follower."""
        return [
            self.actor,
            self.correlation_id,
            self.reason,
            self.trace.get("traceparent"),
            self.trace.get("tracestate"),
        ]

    @classmethod
    def from_meta(cls, meta: object) -> CommandContext:
        """Rebuild the context stored beside an event."""
        if not isinstance(meta, list) or len(meta) < 5:
            return cls(correlation_id="")
        actor, correlation_id, reason, traceparent, tracestate = meta[:5]
        trace = {"traceparent": traceparent} if traceparent else {}
        if tracestate:
            trace["tracestate"] = tracestate
        return cls(
            actor=str(actor or "system"),
            correlation_id=str(correlation_id or ""),
            reason=str(reason) if reason is not None else None,
            trace=trace,
        )


_current: contextvars.ContextVar[CommandContext | None] = contextvars.ContextVar(
    "tothon_command_context", default=None
)


def current_context() -> CommandContext:
    """The context of the command being handled, or a system context."""
    return _current.get() or CommandContext()


@contextmanager
def acting_as(
    actor: str, correlation_id: str | None = None, reason: str | None = None
) -> Iterator[CommandContext]:
    """Run a command as ``actor``; the active trace is captured so consumers join it."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    ctx = CommandContext(
        actor=actor,
        correlation_id=correlation_id or str(uuid.uuid4()),
        reason=reason,
        trace=carrier,
    )
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
