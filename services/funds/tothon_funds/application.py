"""The funds service's use cases."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Tracking

from tothon_funds.domain.household_account import HouseholdAccount
from tothon_shared.eventstore.application import TrackingApplication


class FundsApplication(TrackingApplication):
    """The funds service's event store: household accounts, opened and kept from the registry's
    events (``integration.inbound``), each inbound message applied once."""

    name = "funds"

    def open_account(
        self,
        household_id: UUID,
        unit_id: UUID,
        household_code: str,
        member_count: int,
        opened_on: date,
        source_event_id: UUID,
        tracking: Tracking | None = None,
    ) -> UUID:
        """Open a registered household's account (nothing new if it is open); its id."""
        account_id = HouseholdAccount.create_id(household_id)
        if self._find(account_id) is not None:
            self.save(tracking=tracking)  # nothing to change, but the message was seen
            return account_id
        account = HouseholdAccount.open(
            household_id, unit_id, household_code, member_count, opened_on, source_event_id
        )
        self.save(account, tracking=tracking)
        return account.id

    def count_members(
        self,
        household_id: UUID,
        member_count: int,
        on: date,
        source_event_id: UUID,
        tracking: Tracking | None = None,
    ) -> bool:
        """Take a household's new member count; whether its account changed (a household
        without an account, registered before funds kept accounts, is left alone)."""
        account = self._find(HouseholdAccount.create_id(household_id))
        changed = account is not None and account.count_members(member_count, on, source_event_id)
        self.save(account if changed else None, tracking=tracking)
        return changed

    def transfer_account(
        self,
        household_id: UUID,
        unit_id: UUID,
        on: date,
        source_event_id: UUID,
        tracking: Tracking | None = None,
    ) -> bool:
        """Move a household's account to the unit the household moved to; whether it changed."""
        account = self._find(HouseholdAccount.create_id(household_id))
        changed = account is not None and account.transfer(unit_id, on, source_event_id)
        self.save(account if changed else None, tracking=tracking)
        return changed

    def account(self, household_id: UUID) -> HouseholdAccount | None:
        """A household's account, if it has one."""
        return self._find(HouseholdAccount.create_id(household_id))

    def _find(self, account_id: UUID) -> HouseholdAccount | None:
        try:
            account: object = self.repository.get(account_id)
        except AggregateNotFoundError:
            return None
        assert isinstance(account, HouseholdAccount)  # the id is derived for accounts only
        return account
