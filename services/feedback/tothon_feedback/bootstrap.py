"""The feedback service's composition root."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import APIRouter

from tothon_feedback.api.attachments import UPLOADS
from tothon_feedback.api.attachments import router as attachments
from tothon_feedback.api.cases import router as cases
from tothon_feedback.api.catalogue import router as catalogue
from tothon_feedback.api.errors import FEEDBACK_ERRORS
from tothon_feedback.api.handling import router as handling
from tothon_feedback.api.open311 import router as open311
from tothon_feedback.api.open311_keys import router as open311_keys
from tothon_feedback.api.public import router as public
from tothon_feedback.application import FeedbackApplication
from tothon_feedback.deadline_watch import SCHEDULE
from tothon_feedback.integration.outbound import CHANNELS, to_integration_events
from tothon_feedback.messages import MESSAGES
from tothon_feedback.permissions import FeedbackPermission
from tothon_feedback.readmodels.cases import PROJECTION
from tothon_feedback.readmodels.open311_keys import PROJECTION as KEYS
from tothon_feedback.readmodels.tables import DIRECTORY, REVOCATIONS, metadata
from tothon_feedback.uploads import LIMITS
from tothon_shared.runtime.definition import Runtime, ServiceDefinition


def _application(env: Mapping[str, str]) -> FeedbackApplication:
    return FeedbackApplication(env=env)


def _routers(_runtime: Runtime) -> Sequence[APIRouter]:
    return [
        DIRECTORY.router(with_households=True),
        cases,
        handling,
        public,
        catalogue,
        attachments,
        open311,
        open311_keys,
    ]


DEFINITION = ServiceDefinition(
    name="feedback",
    title="Feedback",
    application=_application,
    metadata=metadata,
    routers=_routers,
    publishes=CHANNELS,
    outbound=to_integration_events,
    projections=(PROJECTION, KEYS),
    inbound={
        "registry.accounts": REVOCATIONS.handlers(),
        "registry.units": DIRECTORY.unit_handlers(),
        # The case's unit comes from the resident's household.
        "registry.households": DIRECTORY.household_handlers(),
    },
    inbound_tables=DIRECTORY.tables + REVOCATIONS.tables,
    session_check=REVOCATIONS.session_check,
    errors=FEEDBACK_ERRORS,
    messages=MESSAGES,
    permissions=(FeedbackPermission,),
    schedules=(SCHEDULE,),
    # A photo straight from a phone's camera, refused above the file limit with its own problem.
    body_limits={UPLOADS: LIMITS.file_bytes + 64 * 1024},
)
