"""Registry events → the funds service's use cases (run once per message: messaging.use_cases)."""

from __future__ import annotations

from eventsourcing.persistence import Tracking

from tothon_funds.application import FundsApplication
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import (
    HouseholdAgeBandsChanged,
    HouseholdMembershipChanged,
    HouseholdRegistered,
    HouseholdTransferred,
)
from tothon_shared.eventstore.application import TrackingApplication
from tothon_shared.messaging.use_cases import UseCase


def household_registered(app: TrackingApplication, event: IntegrationEvent, tracking: Tracking) -> None:
    """A household was registered: open its account."""
    assert isinstance(app, FundsApplication)  # the funds service's use cases
    assert isinstance(event, HouseholdRegistered)  # dispatched by event type
    if event.unit_id is None:
        raise ValueError("a household is registered in a unit")  # the contract allows none
    app.open_account(
        household_id=event.subject_id,
        unit_id=event.unit_id,
        household_code=event.household_code,
        member_count=event.member_count,
        opened_on=event.registered_on,
        source_event_id=event.event_id,
        tracking=tracking,
    )


def membership_changed(app: TrackingApplication, event: IntegrationEvent, tracking: Tracking) -> None:
    """A household's members changed: keep its member count."""
    assert isinstance(app, FundsApplication)  # the funds service's use cases
    assert isinstance(event, HouseholdMembershipChanged)  # dispatched by event type
    app.count_members(
        household_id=event.subject_id,
        member_count=event.member_count,
        on=event.on,
        source_event_id=event.event_id,
        tracking=tracking,
        at=event.occurred_at,
    )


def age_bands_changed(app: TrackingApplication, event: IntegrationEvent, tracking: Tracking) -> None:
    """A household's members by age band changed: keep how many are of working age (what a levy
    per working-age member counts); its obligations follow."""
    assert isinstance(app, FundsApplication)  # the funds service's use cases
    assert isinstance(event, HouseholdAgeBandsChanged)  # dispatched by event type
    app.count_ages(
        household_id=event.subject_id,
        working_age=event.working_age,
        on=event.on,
        source_event_id=event.event_id,
        at=event.occurred_at,
        tracking=tracking,
    )


def household_transferred(app: TrackingApplication, event: IntegrationEvent, tracking: Tracking) -> None:
    """A household moved to another unit: its account follows."""
    assert isinstance(app, FundsApplication)  # the funds service's use cases
    assert isinstance(event, HouseholdTransferred)  # dispatched by event type
    if event.unit_id is None:
        raise ValueError("a household is transferred to a unit")  # the contract allows none
    app.transfer_account(
        household_id=event.subject_id,
        unit_id=event.unit_id,
        on=event.on,
        source_event_id=event.event_id,
        tracking=tracking,
    )


# Channel -> event type -> use case (``ServiceDefinition.use_cases``).
USE_CASES: dict[str, dict[str, UseCase]] = {
    "registry.households": {
        "HouseholdRegistered": household_registered,
        "HouseholdMembershipChanged": membership_changed,
        "HouseholdTransferred": household_transferred,
        "HouseholdAgeBandsChanged": age_bands_changed,
    },
}
