"""Domain events → integration events. Names of people never leave the registry (DESIGN.md)."""

from __future__ import annotations

from collections.abc import Sequence

from tothon_registry.domain.household import Household
from tothon_registry.domain.unit import Unit
from tothon_shared.context import CommandContext
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import HouseholdRegistered, UnitEstablished

PRODUCER = "registry"


def to_integration_events(domain_event: object, ctx: CommandContext) -> Sequence[IntegrationEvent]:
    """The public events a domain event implies (none for private changes)."""
    if isinstance(domain_event, Unit.Established):
        unit = domain_event
        return [
            UnitEstablished.model_validate(
                {
                    **UnitEstablished.envelope(
                        originator_id=unit.originator_id,
                        originator_version=unit.originator_version,
                        occurred_at=unit.timestamp,
                        producer=PRODUCER,
                        correlation_id=ctx.correlation_id,
                        unit_id=unit.originator_id,
                    ),
                    "kind": str(unit.kind),
                    "name": unit.name,
                    "code": unit.code,
                    "code_scheme": unit.code_scheme,
                    "parent_id": unit.parent_id,
                    "effective_from": unit.effective_from,
                }
            )
        ]
    if isinstance(domain_event, Household.Registered):
        household = domain_event
        return [
            HouseholdRegistered.model_validate(
                {
                    **HouseholdRegistered.envelope(
                        originator_id=household.originator_id,
                        originator_version=household.originator_version,
                        occurred_at=household.timestamp,
                        producer=PRODUCER,
                        correlation_id=ctx.correlation_id,
                        unit_id=household.unit_id,
                    ),
                    "household_code": household.code,
                    "member_count": len(household.members),
                    "registered_on": household.registered_on,
                }
            )
        ]
    return []
