"""Household decisions' domain events → ``communication.civic``: a poll's public result (how many
households were eligible, voted, chose each option, whether it passed; never who voted what)."""

from __future__ import annotations

from collections.abc import Sequence

from tothon_communication.domain.poll import Poll
from tothon_shared.contracts.communication import PollClosed
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.eventstore.context import CommandContext

PRODUCER = "communication"


def civic_events(domain_event: object, ctx: CommandContext) -> Sequence[IntegrationEvent]:
    """The public result of a poll."""
    if isinstance(domain_event, Poll.Closed):
        return [
            PollClosed.from_domain_event(
                domain_event,
                producer=PRODUCER,
                correlation_id=ctx.correlation_id,
                unit_id=domain_event.unit_id,
                eligible=domain_event.eligible,
                voted=domain_event.voted,
                counts=list(domain_event.counts),
                winner=domain_event.winner,
                passed=domain_event.passed,
                closed_at=domain_event.at,
            )
        ]
    return ()
