"""A transport-neutral message and its CloudEvents binary-mode encoding (``ce_*`` headers, JSON body)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import ValidationError

from tothon_shared.contracts.catalog import contract_for
from tothon_shared.contracts.envelope import IntegrationEvent

CE_PREFIX = "ce_"
TYPE_PREFIX = "vn.tothon."


class MalformedMessageError(ValueError):
    """A message that no retry can make valid: it goes to the dead-letter topic."""


@dataclass(frozen=True)
class Message:
    """One record on a topic: key for ordering, headers, and the body bytes."""

    topic: str
    key: bytes | None
    value: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        """One header's value, if present."""
        return self.headers.get(name)


def encode(event: IntegrationEvent, topic: str, trace: Mapping[str, str]) -> Message:
    """Wrap an integration event as a CloudEvent in binary mode."""
    headers = {
        "ce_specversion": "1.0",
        "ce_id": str(event.event_id),
        "ce_source": f"/tothon/{event.producer}",
        "ce_type": f"{TYPE_PREFIX}{event.producer}.{event.event_type}.v{event.schema_version}",
        "ce_time": event.occurred_at.isoformat(),
        "ce_subject": str(event.subject_id),
        "content-type": "application/json; charset=utf-8",
        **{k: v for k, v in trace.items() if k in ("traceparent", "tracestate")},
    }
    body = event.model_dump_json().encode("utf-8")
    return Message(topic=topic, key=str(event.subject_id).encode(), value=body, headers=headers)


def event_type_of(message: Message) -> str:
    """The bare event type named by the ``ce_type`` header."""
    ce_type = message.header("ce_type")
    if not ce_type or not ce_type.startswith(TYPE_PREFIX):
        raise MalformedMessageError(f"missing or foreign ce_type header: {ce_type!r}")
    parts = ce_type.split(".")
    if len(parts) < 5:
        raise MalformedMessageError(f"ce_type has no event name and version: {ce_type!r}")
    return parts[-2]


def decode(message: Message) -> IntegrationEvent:
    """Parse and validate a message into its contract; ``MalformedMessageError`` if impossible."""
    event_type = event_type_of(message)
    try:
        contract = contract_for(event_type)
    except KeyError:
        raise MalformedMessageError(f"unknown event type {event_type!r}") from None
    try:
        payload = json.loads(message.value)
        event = contract.model_validate(payload)
    except (ValueError, ValidationError) as error:
        raise MalformedMessageError(f"{event_type} body is invalid: {error}") from None
    if str(event.event_id) != message.header("ce_id"):
        raise MalformedMessageError("ce_id header and event_id in the body differ")
    return event
