"""Emergencies' domain events → ``communication.emergencies``: each household's answer (safe or
needing help), never its note. The declaration itself goes out as its notice's
``AnnouncementPublished`` (category emergency)."""

from __future__ import annotations

from collections.abc import Sequence

from tothon_communication.domain.emergency import CheckIn
from tothon_shared.contracts.communication import CheckInReported
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.eventstore.context import CommandContext

PRODUCER = "communication"


def emergency_events(domain_event: object, ctx: CommandContext) -> Sequence[IntegrationEvent]:
    """The public event of a household's answer to an emergency."""
    if isinstance(domain_event, CheckIn.Reported | CheckIn.Changed):
        # About the emergency (its subject), as an emergency's subscribers look for it.
        return [
            CheckInReported.from_domain_event(
                domain_event,
                producer=PRODUCER,
                correlation_id=ctx.correlation_id,
                unit_id=domain_event.unit_id,
                household_id=domain_event.household_id,
                status=domain_event.status,
                first=isinstance(domain_event, CheckIn.Reported),
                subject_id=domain_event.emergency_id,
            )
        ]
    return ()
