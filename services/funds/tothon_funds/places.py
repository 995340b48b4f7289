"""Units and households as the funds service knows them, by name: what the embedded demo looks up
before it records a year of funds (a service module, so the wiring needs no read model of it)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select

from tothon_funds.readmodels.tables import DIRECTORY, funds, household_accounts
from tothon_shared.readstore.store import ReadStore


def unfunded_group(store: ReadStore, name: str) -> tuple[UUID, list[UUID]] | None:
    """A unit by its name and its households with an account (by code), once both arrived and
    while the unit has no fund; None otherwise."""
    with store.engine.connect() as connection:
        group = connection.execute(
            select(DIRECTORY.units.c.unit_id).where(DIRECTORY.units.c.name == name)
        ).scalar_one_or_none()
        if group is None:
            return None
        if connection.execute(select(funds.c.fund_id).where(funds.c.unit_id == group)).first() is not None:
            return None
        households = list(
            connection.execute(
                select(household_accounts.c.household_id)
                .where(household_accounts.c.unit_id == group)
                .order_by(household_accounts.c.household_code)
            ).scalars()
        )
    return (group, households) if households else None
