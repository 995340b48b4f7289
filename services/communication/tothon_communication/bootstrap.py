"""The communication service's composition root."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import APIRouter

from tothon_communication.api.announcements import router as announcements
from tothon_communication.api.conversations import router as conversations
from tothon_communication.api.emergencies import router as emergencies
from tothon_communication.api.errors import COMMUNICATION_ERRORS
from tothon_communication.api.household_notices import router as household_notices
from tothon_communication.api.live_feed import router as live_feed
from tothon_communication.api.outbound import router as outbound
from tothon_communication.api.polls import router as polls
from tothon_communication.application import CommunicationApplication
from tothon_communication.dispatch import SCHEDULE as DISPATCH
from tothon_communication.integration.inbound_notices import USE_CASES
from tothon_communication.integration.outbound import CHANNELS, to_integration_events
from tothon_communication.messages import MESSAGES
from tothon_communication.permissions import CommunicationPermission
from tothon_communication.poll_closing import SCHEDULE as POLL_CLOSING
from tothon_communication.readmodels.announcements import PROJECTION as ANNOUNCEMENTS
from tothon_communication.readmodels.audiences import BAND_TABLES, band_handlers
from tothon_communication.readmodels.conversations import PROJECTION as CONVERSATIONS
from tothon_communication.readmodels.conversations import ROLE_TABLES, role_handlers
from tothon_communication.readmodels.emergencies import PROJECTION as EMERGENCIES
from tothon_communication.readmodels.household_notices import PROJECTION as HOUSEHOLD_NOTICES
from tothon_communication.readmodels.outbound import CONSENT_TABLES, consent_handlers
from tothon_communication.readmodels.outbound import PROJECTION as OUTBOUND
from tothon_communication.readmodels.polls import PROJECTION as POLLS
from tothon_communication.readmodels.tables import DIRECTORY, REVOCATIONS, metadata
from tothon_shared.runtime.definition import Runtime, ServiceDefinition


def _application(env: Mapping[str, str]) -> CommunicationApplication:
    return CommunicationApplication(env=env)


def _routers(_runtime: Runtime) -> Sequence[APIRouter]:
    return [
        DIRECTORY.router(with_households=True),
        # --- announcements ---
        announcements,
        live_feed,
        # --- channels ---
        outbound,
        household_notices,
        # --- conversations ---
        conversations,
        # --- emergencies ---
        emergencies,
        # --- civic ---
        polls,
    ]


DEFINITION = ServiceDefinition(
    name="communication",
    title="Communication",
    application=_application,
    metadata=metadata,
    routers=_routers,
    # --- conversations ---: MessagePosted out, the conversations' read models
    publishes=CHANNELS,
    outbound=to_integration_events,
    projections=(ANNOUNCEMENTS, CONVERSATIONS, EMERGENCIES, OUTBOUND, HOUSEHOLD_NOTICES, POLLS),
    # Each public step of a household's feedback case, its dues and receipts: told to it.
    use_cases=USE_CASES,
    # Outbound e-mail, SMS and Zalo: queued and sent by the worker.
    schedules=(DISPATCH, POLL_CLOSING),
    inbound={
        # Conversations keep who holds which role where from the same channel as revocations.
        "registry.accounts": REVOCATIONS.handlers() | role_handlers(),
        "registry.units": DIRECTORY.unit_handlers(),
        # Each household's age bands, for notices narrowed to them.
        "registry.households": DIRECTORY.household_handlers() | band_handlers() | consent_handlers(),
    },
    inbound_tables=DIRECTORY.tables + REVOCATIONS.tables + ROLE_TABLES + BAND_TABLES + CONSENT_TABLES,
    session_check=REVOCATIONS.session_check,
    messages=MESSAGES,
    errors=COMMUNICATION_ERRORS,
    permissions=(CommunicationPermission,),
)
