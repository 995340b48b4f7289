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

    def as_meta(self) -> dict[str, object]:
        """The metadata stored beside each event of the command."""
        return {
            "actor": self.actor,
            "correlation_id": self.correlation_id,
            "reason": self.reason,
            "trace": self.trace,
        }

    @classmethod
    def from_meta(cls, meta: dict[str, object]) -> CommandContext:
        """Rebuild the context stored beside an event."""
        trace = meta.get("trace")
        reason = meta.get("reason")
        return cls(
            actor=str(meta.get("actor", "system")),
            correlation_id=str(meta.get("correlation_id", "")),
            reason=str(reason) if reason is not None else None,
            trace={str(k): str(v) for k, v in trace.items()} if isinstance(trace, dict) else {},
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
