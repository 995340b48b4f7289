"""The household accounts for the API: a projection of the funds service's own events, and the
queries over it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from tothon_funds.domain.household_account import HouseholdAccount
from tothon_funds.readmodels.tables import DIRECTORY, household_accounts
from tothon_shared.auth.lineage import below
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.definition import ProjectionSpec

# Made once, the values given as parameters: built with ``.values(...)`` per event, the insert's
# cache key and compilation were half of the projection's CPU at 200 registrations a second.
_OPEN = household_accounts.insert()


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """Update the accounts table for a page of events, in order."""
    opened: list[dict[str, Any]] = []  # consecutive openings, inserted in one statement
    for logged in batch:
        event = logged.event
        if isinstance(event, HouseholdAccount.Opened):
            opened.append(
                {
                    "household_id": event.household_id,
                    "account_id": event.originator_id,
                    "unit_id": event.unit_id,
                    "household_code": event.household_code,
                    "member_count": event.member_count,
                    "opened_on": event.opened_on,
                }
            )
            continue
        if opened:
            session.execute(_OPEN, opened)
            opened = []
        if isinstance(event, HouseholdAccount.MembersCounted):
            session.execute(
                household_accounts.update()
                .where(household_accounts.c.account_id == event.originator_id)
                .values(member_count=event.member_count)
            )
        elif isinstance(event, HouseholdAccount.Transferred):
            session.execute(
                household_accounts.update()
                .where(household_accounts.c.account_id == event.originator_id)
                .values(unit_id=event.unit_id)
            )
    if opened:
        session.execute(_OPEN, opened)


PROJECTION = ProjectionSpec(
    "household_accounts",
    apply,
    (household_accounts,),
    events=(HouseholdAccount.Opened, HouseholdAccount.MembersCounted, HouseholdAccount.Transferred),
)


def accounts_of(store: ReadStore, unit_id: UUID, limit: int, offset: int) -> list[dict[str, Any]]:
    """The accounts of one unit's households, by household code."""
    query = (
        select(household_accounts)
        .where(household_accounts.c.unit_id == unit_id)
        .order_by(household_accounts.c.household_code)
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def account_of(store: ReadStore, household_id: UUID) -> dict[str, Any] | None:
    """A household's account, if it has one."""
    query = select(household_accounts).where(household_accounts.c.household_id == household_id)
    with store.engine.connect() as connection:
        row = connection.execute(query).first()
    return dict(row._mapping) if row is not None else None


def household_ids_below(store: ReadStore, unit_id: UUID) -> list[UUID]:
    """The households with an account in a unit or any unit below it (a levy's reach)."""
    query = select(household_accounts.c.household_id).where(
        household_accounts.c.unit_id.in_(below(DIRECTORY.units, unit_id))
    )
    with store.engine.connect() as connection:
        return list(connection.execute(query).scalars())
