"""Which channels (topics) exist and which contracts travel on each."""

from __future__ import annotations

from dataclasses import dataclass

from tothon_shared.contracts.communication import (
    ANNOUNCEMENT_CONTRACTS,
    CIVIC_CONTRACTS,
    CONVERSATION_CONTRACTS,
    EMERGENCY_CONTRACTS,
)
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.feedback import FEEDBACK_CONTRACTS
from tothon_shared.contracts.funds import FUNDS_CONTRACTS
from tothon_shared.contracts.registry import (
    HouseholdAgeBandsChanged,
    HouseholdMembershipChanged,
    HouseholdRegistered,
    HouseholdResidenceChanged,
    HouseholdTransferred,
    NotificationConsentChanged,
    PresenceFlagRaised,
    PresenceFlagReviewed,
    RoleAssigned,
    RoleRevoked,
    SessionEnded,
    UnitEstablished,
    UnitMoved,
    UnitRenamed,
    UnitSuperseded,
)


@dataclass(frozen=True)
class Channel:
    """A versioned Kafka topic and the events it carries, in order per subject."""

    name: str
    version: int
    producer: str
    events: tuple[type[IntegrationEvent], ...]

    def topic(self, prefix: str) -> str:
        """The topic name under a deployment's prefix."""
        return topic_name(prefix, self.name, self.version)


def topic_name(prefix: str, channel: str, version: int) -> str:
    """``<prefix>.<channel>.v<version>``, e.g. ``tothon.registry.households.v1``."""
    return f"{prefix}.{channel}.v{version}"


CHANNELS: dict[str, Channel] = {
    c.name: c
    for c in (
        Channel("registry.units", 1, "registry", (UnitEstablished, UnitRenamed, UnitMoved, UnitSuperseded)),
        Channel(
            "registry.households",
            1,
            "registry",
            (
                HouseholdRegistered,
                HouseholdMembershipChanged,
                HouseholdTransferred,
                HouseholdResidenceChanged,
                HouseholdAgeBandsChanged,
                NotificationConsentChanged,
                PresenceFlagRaised,
                PresenceFlagReviewed,
            ),
        ),
        Channel("registry.accounts", 1, "registry", (RoleAssigned, RoleRevoked, SessionEnded)),
        Channel("feedback.cases", 1, "feedback", FEEDBACK_CONTRACTS),
        Channel("funds.ledger", 1, "funds", FUNDS_CONTRACTS),
        Channel("communication.announcements", 1, "communication", ANNOUNCEMENT_CONTRACTS),
        Channel("communication.conversations", 1, "communication", CONVERSATION_CONTRACTS),
        Channel("communication.emergencies", 1, "communication", EMERGENCY_CONTRACTS),
        Channel("communication.civic", 1, "communication", CIVIC_CONTRACTS),
    )
}

_BY_TYPE: dict[str, type[IntegrationEvent]] = {
    event.type_name(): event for channel in CHANNELS.values() for event in channel.events
}


def contract_for(event_type: str) -> type[IntegrationEvent]:
    """The contract class of an event type; ``KeyError`` for an unknown type."""
    return _BY_TYPE[event_type]


def all_contracts() -> list[type[IntegrationEvent]]:
    """Every contract, in a stable order."""
    return sorted(_BY_TYPE.values(), key=lambda c: c.type_name())
