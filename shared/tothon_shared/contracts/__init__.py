"""Integration-event contracts: the public vocabulary between services, one module per producer."""

from tothon_shared.contracts.catalog import CHANNELS, Channel, contract_for, topic_name
from tothon_shared.contracts.envelope import IntegrationEvent

__all__ = ["CHANNELS", "Channel", "IntegrationEvent", "contract_for", "topic_name"]
