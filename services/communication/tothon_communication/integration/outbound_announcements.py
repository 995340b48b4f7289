"""Announcements' domain events → ``communication.announcements``: that a notice was written (its
title, never its text) and that a household acknowledged one; nothing for reads or edits."""

from __future__ import annotations

from collections.abc import Sequence

from tothon_communication.domain.announcement import Announcement, Receipt
from tothon_shared.contracts.communication import AnnouncementAcknowledged, AnnouncementPublished
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.eventstore.context import CommandContext

PRODUCER = "communication"
CHANNEL = "communication.announcements"


def announcement_events(domain_event: object, ctx: CommandContext) -> Sequence[IntegrationEvent]:
    """The public events of a notice and of a household's receipt of one."""
    if isinstance(domain_event, Announcement.Written):
        return [
            AnnouncementPublished.from_domain_event(
                domain_event,
                producer=PRODUCER,
                correlation_id=ctx.correlation_id,
                unit_id=domain_event.unit_id,
                title=domain_event.title,
                category=domain_event.category,
                priority=domain_event.priority,
                requires_ack=domain_event.requires_ack,
                groups=domain_event.groups,
                publish_at=domain_event.publish_at,
                expires_at=domain_event.expires_at,
                bands=list(domain_event.bands),
                heads_only=domain_event.heads_only,
            )
        ]
    if isinstance(domain_event, Receipt.Acknowledged):
        # About the notice (its subject), as a notice's subscribers look for it.
        return [
            AnnouncementAcknowledged.from_domain_event(
                domain_event,
                producer=PRODUCER,
                correlation_id=ctx.correlation_id,
                unit_id=domain_event.unit_id,
                household_id=domain_event.household_id,
                means=domain_event.means,
                subject_id=domain_event.announcement_id,
            )
        ]
    return ()
