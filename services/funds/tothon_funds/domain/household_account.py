"""A household's account in the funds service: what its contributions will be charged to.

Opened when the registry registers the household, it keeps the facts a levy needs (its unit,
its code, how many members it has), each change stated by the registry event it came from.
"""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class HouseholdAccount(Aggregate):
    """One account a household, its id derived from the household's."""

    # Stable stored topics: events stay readable when modules move.
    TOPIC = "funds:HouseholdAccount:v1"

    class Created(Aggregate.Created):
        """The base of the aggregate's creation events (required once TOPIC is declared)."""

        TOPIC = "funds:HouseholdAccount.Created:v1"

    @staticmethod
    def create_id(household_id: UUID) -> UUID:
        # One account a household: opening it a second time is a conflict in the event store.
        return uuid5(NAMESPACE_URL, f"tothon:funds:household-account:{household_id}")

    @classmethod
    def open(
        cls,
        household_id: UUID,
        unit_id: UUID,
        household_code: str,
        member_count: int,
        opened_on: date,
        source_event_id: UUID,
    ) -> HouseholdAccount:
        """Open the account of a household the registry registered (``source_event_id``)."""
        return cls(
            household_id=household_id,
            unit_id=unit_id,
            household_code=household_code,
            member_count=member_count,
            opened_on=opened_on,
            source_event_id=source_event_id,
        )

    class Opened(Created):
        """The account was opened for a registered household."""

        TOPIC = "funds:HouseholdAccount.Opened:v1"
        household_id: UUID
        unit_id: UUID
        household_code: str
        member_count: int
        opened_on: date
        source_event_id: UUID

    @event(Opened)
    def __init__(
        self,
        household_id: UUID,
        unit_id: UUID,
        household_code: str,
        member_count: int,
        opened_on: date,
        source_event_id: UUID,
    ) -> None:
        self.household_id = household_id
        self.unit_id = unit_id
        self.household_code = household_code
        self.member_count = member_count
        self.opened_on = opened_on
        # The registry events applied: one published twice (at two offsets) changes nothing twice.
        self.source_event_ids = {source_event_id}

    def count_members(self, member_count: int, on: date, source_event_id: UUID) -> bool:
        """Take the household's new member count; whether the account changed. The count is the
        registry's (absolute, never a difference), so an event seen again changes nothing."""
        if source_event_id in self.source_event_ids:
            return False
        if member_count < 0:
            raise ValueError("a household cannot have fewer than no members")
        self._members_counted(member_count=member_count, on=on, source_event_id=source_event_id)
        return True

    class MembersCounted(Aggregate.Event):
        """The household's members changed; this is how many it has now."""

        TOPIC = "funds:HouseholdAccount.MembersCounted:v1"
        member_count: int
        on: date
        source_event_id: UUID

    @event(MembersCounted)
    def _members_counted(self, member_count: int, on: date, source_event_id: UUID) -> None:
        self.member_count = member_count
        self.source_event_ids.add(source_event_id)

    def transfer(self, unit_id: UUID, on: date, source_event_id: UUID) -> bool:
        """Follow the household to another unit (whose officials then see the account); whether
        the account changed."""
        if source_event_id in self.source_event_ids:
            return False
        self._transferred(unit_id=unit_id, on=on, source_event_id=source_event_id)
        return True

    class Transferred(Aggregate.Event):
        """The household moved to another unit, and its account with it."""

        TOPIC = "funds:HouseholdAccount.Transferred:v1"
        unit_id: UUID
        on: date
        source_event_id: UUID

    @event(Transferred)
    def _transferred(self, unit_id: UUID, on: date, source_event_id: UUID) -> None:
        self.unit_id = unit_id
        self.source_event_ids.add(source_event_id)
