"""The household account and the funds use cases, on the in-memory event store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from tothon_funds.application import FundsApplication
from tothon_funds.domain.household_account import HouseholdAccount

UNIT = uuid4()


@pytest.fixture
def funds() -> Iterator[FundsApplication]:
    app = FundsApplication()  # eventsourcing's in-memory store: the fake of SQLite and PostgreSQL
    yield app
    app.close()


def _open(funds: FundsApplication, household: UUID, tracking: Tracking | None = None) -> UUID:
    return funds.open_account(household, UNIT, "HO-001", 3, date(2026, 11, 1), uuid4(), tracking=tracking)


def _events(funds: FundsApplication, account_id: UUID) -> list[object]:
    return list(funds.events.get(account_id))


def test_an_account_opened_keeps_the_households_unit_code_and_members() -> None:
    household = uuid4()
    account = HouseholdAccount.open(household, UNIT, "HO-007", 4, date(2026, 11, 1), uuid4())
    assert account.id == HouseholdAccount.create_id(household)
    assert (account.unit_id, account.household_code, account.member_count) == (UNIT, "HO-007", 4)


def test_a_member_count_is_taken_once_per_registry_event() -> None:
    account = HouseholdAccount.open(uuid4(), UNIT, "HO-001", 3, date(2026, 11, 1), uuid4())
    change = uuid4()
    assert account.count_members(4, date(2026, 11, 5), change)
    assert not account.count_members(4, date(2026, 11, 5), change)  # the same event, published twice
    assert account.member_count == 4
    assert len(account.collect_events()) == 2  # opened, counted once


def test_a_negative_member_count_is_refused() -> None:
    account = HouseholdAccount.open(uuid4(), UNIT, "HO-001", 1, date(2026, 11, 1), uuid4())
    with pytest.raises(ValueError, match="fewer than no members"):
        account.count_members(-1, date(2026, 11, 5), uuid4())


def test_opening_an_open_account_again_stores_nothing(funds: FundsApplication) -> None:
    household = uuid4()
    first = _open(funds, household)
    again = _open(funds, household)
    assert first == again
    assert len(_events(funds, first)) == 1


def test_counting_the_members_of_a_household_without_account_changes_nothing(funds: FundsApplication) -> None:
    assert not funds.count_members(uuid4(), 2, date(2026, 11, 5), uuid4())
    assert funds.recorder.max_notification_id() is None


def test_a_use_case_stores_its_events_with_the_messages_tracking_record(funds: FundsApplication) -> None:
    household = uuid4()
    at = Tracking("t.registry.households.v1:0", 5)
    account_id = _open(funds, household, tracking=at)
    assert funds.already_applied(at)
    assert funds.tracking.max_tracking_id(at.application_name) == 5
    with pytest.raises(IntegrityError):  # the same message again: refused, nothing stored
        funds.count_members(household, 9, date(2026, 11, 5), uuid4(), tracking=at)
    account = funds.account(household)
    assert account is not None
    assert account.member_count == 3
    assert len(_events(funds, account_id)) == 1


def test_a_use_case_with_nothing_to_change_still_records_its_message(funds: FundsApplication) -> None:
    at = Tracking("t.registry.households.v1:0", 1)
    funds.count_members(uuid4(), 2, date(2026, 11, 5), uuid4(), tracking=at)
    assert funds.already_applied(at)


def test_an_account_follows_its_household_to_another_unit_once_per_registry_event(
    funds: FundsApplication,
) -> None:
    household = uuid4()
    _open(funds, household)
    new_unit, transfer = uuid4(), uuid4()
    assert funds.transfer_account(household, new_unit, date(2026, 12, 1), transfer)
    assert not funds.transfer_account(household, new_unit, date(2026, 12, 1), transfer)
    account = funds.account(household)
    assert account is not None
    assert account.unit_id == new_unit
    assert [type(e).__name__ for e in _events(funds, account.id)] == ["Opened", "Transferred"]
