"""Domain events → integration events. Names of people never leave the registry (DESIGN.md)."""

from __future__ import annotations

from collections.abc import Sequence

from tothon_registry.domain.account import Account
from tothon_registry.domain.household import Household
from tothon_registry.domain.unit import Unit
from tothon_shared.context import CommandContext
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import (
    HouseholdMembershipChanged,
    HouseholdRegistered,
    RoleAssigned,
    RoleRevoked,
    SessionEnded,
    UnitEstablished,
)

PRODUCER = "registry"


def to_integration_events(domain_event: object, ctx: CommandContext) -> Sequence[IntegrationEvent]:
    """The public events a domain event implies (none for private changes)."""
    if isinstance(domain_event, Unit.Established):
        return [
            UnitEstablished.from_domain_event(
                domain_event,
                producer=PRODUCER,
                correlation_id=ctx.correlation_id,
                unit_id=domain_event.originator_id,
                kind=str(domain_event.kind),
                name=domain_event.name,
                code=domain_event.code,
                code_scheme=domain_event.code_scheme,
                parent_id=domain_event.parent_id,
                effective_from=domain_event.effective_from,
            )
        ]
    if isinstance(domain_event, Household.Registered):
        return [
            HouseholdRegistered.from_domain_event(
                domain_event,
                producer=PRODUCER,
                correlation_id=ctx.correlation_id,
                unit_id=domain_event.unit_id,
                household_code=domain_event.code,
                member_count=len(domain_event.members),
                registered_on=domain_event.registered_on,
            )
        ]
    if isinstance(domain_event, (Household.MemberJoined, Household.MemberLeft, Household.HeadChanged)):
        return [_membership(domain_event, ctx)]
    if isinstance(domain_event, Account.RoleAssigned):
        return [
            RoleAssigned.from_domain_event(
                domain_event,
                producer=PRODUCER,
                correlation_id=ctx.correlation_id,
                unit_id=domain_event.unit_id,
                role=domain_event.role,
                granted_by=domain_event.granted_by,
                reason=domain_event.reason,
            )
        ]
    if isinstance(domain_event, Account.RoleRevoked):
        return [
            RoleRevoked.from_domain_event(
                domain_event,
                producer=PRODUCER,
                correlation_id=ctx.correlation_id,
                unit_id=domain_event.unit_id,
                role=domain_event.role,
                revoked_by=domain_event.revoked_by,
                reason=domain_event.reason,
            )
        ]
    if isinstance(domain_event, Account.SessionEnded):
        return [
            SessionEnded.from_domain_event(
                domain_event,
                producer=PRODUCER,
                correlation_id=ctx.correlation_id,
                unit_id=None,
                session_id=domain_event.session_id,
                reason=domain_event.reason,
            )
        ]
    return []


def _membership(
    event: Household.MemberJoined | Household.MemberLeft | Household.HeadChanged, ctx: CommandContext
) -> HouseholdMembershipChanged:
    if isinstance(event, Household.HeadChanged):
        change, reason, count = "head_changed", "head_changed", len(event.relationships) + 1
    else:
        change = "joined" if isinstance(event, Household.MemberJoined) else "left"
        reason, count = event.reason, event.member_count
    return HouseholdMembershipChanged.from_domain_event(
        event,
        producer=PRODUCER,
        correlation_id=ctx.correlation_id,
        unit_id=None,
        change=change,
        reason=reason,
        member_count=count,
        on=event.on,
    )
