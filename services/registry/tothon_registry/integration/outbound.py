"""Domain events → integration events. Names of people never leave the registry (DESIGN.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar
from uuid import UUID

from tothon_registry.domain.account import Account
from tothon_registry.domain.household import Household, by_status
from tothon_registry.domain.person import ConsentPurpose, Person
from tothon_registry.domain.presence import PresenceFlag
from tothon_registry.domain.unit import Unit
from tothon_shared.contracts.envelope import IntegrationEvent
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
from tothon_shared.eventstore.context import CommandContext

PRODUCER = "registry"
E = TypeVar("E", bound=IntegrationEvent)


def to_integration_events(domain_event: object, ctx: CommandContext) -> Sequence[IntegrationEvent]:
    """The public events a domain event implies (none for private changes)."""
    event: Any = domain_event

    def public(contract: type[E], unit_id: UUID | None, **fields: object) -> list[IntegrationEvent]:
        return [
            contract.from_domain_event(
                event, producer=PRODUCER, correlation_id=ctx.correlation_id, unit_id=unit_id, **fields
            )
        ]

    match domain_event:
        case Unit.Established():
            return public(
                UnitEstablished,
                event.originator_id,
                kind=str(event.kind),
                name=event.name,
                code=event.code,
                code_scheme=event.code_scheme,
                parent_id=event.parent_id,
                effective_from=event.effective_from,
            )
        case Unit.Renamed():
            return public(
                UnitRenamed, event.originator_id, name=event.name, effective_from=event.effective_from
            )
        case Unit.Moved():
            return public(
                UnitMoved, event.originator_id, parent_id=event.parent_id, effective_from=event.effective_from
            )
        case Unit.Superseded():
            return public(
                UnitSuperseded,
                event.originator_id,
                change=event.change,
                successor_ids=event.successor_ids,
                effective_from=event.effective_from,
            )
        case Household.Registered():
            registered = public(
                HouseholdRegistered,
                event.unit_id,
                household_code=event.code,
                member_count=len(event.members),
                registered_on=event.registered_on,
            )
            if event.residence:  # some member's status known (and registered since it is said)
                registered += public(HouseholdResidenceChanged, event.unit_id, **by_status(event.residence))
            if event.age_bands is not None:  # registered since age bands are counted
                registered += public(
                    HouseholdAgeBandsChanged, event.unit_id, on=event.registered_on, **event.age_bands
                )
            return registered
        case Household.Transferred():
            return public(HouseholdTransferred, event.unit_id, from_unit_id=event.from_unit_id, on=event.on)
        case Household.MemberJoined() | Household.MemberLeft():
            change = "joined" if isinstance(event, Household.MemberJoined) else "left"
            return public(
                HouseholdMembershipChanged,
                None,
                change=change,
                reason=event.reason,
                member_count=event.member_count,
                on=event.on,
            )
        case Household.HeadChanged():
            return public(
                HouseholdMembershipChanged,
                None,
                change="head_changed",
                reason="head_changed",
                member_count=len(event.relationships) + 1,
                on=event.on,
            )
        case Household.ResidenceCounted():
            return public(
                HouseholdResidenceChanged,
                event.unit_id,
                permanent=event.permanent,
                temporary=event.temporary,
                declared_absence=event.declared_absence,
                unknown=event.unknown,
            )
        case Household.AgeBandsCounted():
            return public(
                HouseholdAgeBandsChanged,
                event.unit_id,
                children=event.children,
                working_age=event.working_age,
                retired=event.retired,
                unknown=event.unknown,
                on=event.on,
            )
        case PresenceFlag.Raised():
            return public(
                PresenceFlagRaised,
                event.unit_id,
                household_id=event.household_id,
                kind=event.kind,
                observed_on=event.observed_on,
            )
        case PresenceFlag.Reviewed():
            return public(
                PresenceFlagReviewed, None, decision=event.decision, reviewer_role=event.reviewer_role
            )
        case Account.RoleAssigned():
            return public(
                RoleAssigned, event.unit_id, role=event.role, granted_by=event.granted_by, reason=event.reason
            )
        case Account.RoleRevoked():
            return public(
                RoleRevoked, event.unit_id, role=event.role, revoked_by=event.revoked_by, reason=event.reason
            )
        case Account.SessionEnded():
            return public(SessionEnded, None, session_id=event.session_id, reason=event.reason)
        # Consent to notifications, never the number: whether others may contact the person.
        case Person.Recorded() if ConsentPurpose.NOTIFICATIONS_PHONE in event.consents:
            return public(NotificationConsentChanged, None, household_id=event.household_id, given=True)
        case Person.ConsentGiven() | Person.ConsentWithdrawn() if (
            event.purpose == ConsentPurpose.NOTIFICATIONS_PHONE and event.household_id is not None
        ):
            given = isinstance(domain_event, Person.ConsentGiven)
            return public(NotificationConsentChanged, None, household_id=event.household_id, given=given)
        case Person.Erased() if event.household_id is not None:
            return public(NotificationConsentChanged, None, household_id=event.household_id, given=False)
        # A consenting person who leaves is no longer told the household's news; one who moves to
        # a household split off is told the new one's instead.
        case Person.LeftHousehold() if event.notifications:
            return public(NotificationConsentChanged, None, household_id=event.household_id, given=False)
        case Person.MovedHousehold() if event.notifications:
            return public(NotificationConsentChanged, None, household_id=event.household_id, given=True)
    return []
