"""Contracts published by the communication service: announcements and their acknowledgements,
messages, polls' results and emergency check-ins, without personal data — households and accounts
by id, never a name, a phone number or a message's text."""

from __future__ import annotations

from tothon_shared.contracts.envelope import IntegrationEvent

# --- announcements ---
# --- conversations ---
# --- civic ---
ANNOUNCEMENT_CONTRACTS: tuple[type[IntegrationEvent], ...] = ()
CONVERSATION_CONTRACTS: tuple[type[IntegrationEvent], ...] = ()
CIVIC_CONTRACTS: tuple[type[IntegrationEvent], ...] = ()
