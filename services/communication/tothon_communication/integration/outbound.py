"""Communication's domain events → its public contracts, without personal data. Each capability
maps its own events (a function per capability, tried in turn)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tothon_communication.integration.outbound_announcements import announcement_events
from tothon_communication.integration.outbound_civic import civic_events
from tothon_communication.integration.outbound_conversations import conversation_events
from tothon_communication.integration.outbound_emergencies import emergency_events
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.eventstore.context import CommandContext

PRODUCER = "communication"
Mapping = Callable[[object, CommandContext], Sequence[IntegrationEvent]]

CHANNELS: tuple[str, ...] = (
    # --- announcements ---
    "communication.announcements",
    # --- conversations ---
    "communication.conversations",
    # --- emergencies ---
    "communication.emergencies",
    # --- civic ---
    "communication.civic",
)

_MAPPINGS: tuple[Mapping, ...] = (
    # --- announcements ---
    announcement_events,
    # --- conversations ---
    conversation_events,
    # --- emergencies ---
    emergency_events,
    # --- civic ---
    civic_events,
)


def to_integration_events(domain_event: object, ctx: CommandContext) -> Sequence[IntegrationEvent]:
    """The public events a communication domain event implies (none for the others)."""
    for mapping in _MAPPINGS:
        found = mapping(domain_event, ctx)
        if found:
            return found
    return ()
