"""Queries over the registry's read models (never over aggregates)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Select, bindparam, func, select

from tothon_registry.readmodels.tables import (
    accounts,
    household_members,
    households,
    person_consents,
    persons,
    role_assignments,
    units,
)
from tothon_shared.readstore.store import ReadStore


def list_units(store: ReadStore, parent_id: UUID | None = None) -> list[dict[str, Any]]:
    """Units, optionally only the children of one unit, by name."""
    query = select(units).order_by(units.c.name)
    if parent_id is not None:
        query = query.where(units.c.parent_id == parent_id)
    with store.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def list_households(
    store: ReadStore, unit_id: UUID, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the households of a unit by code, with the head's name, and how many there are."""
    query = (
        select(households, persons.c.full_name.label("head_name"))
        .join(persons, persons.c.person_id == households.c.head_person_id, isouter=True)
        .where(households.c.unit_id == unit_id)
        .order_by(households.c.code)
        .limit(limit)
        .offset(offset)
    )
    count = select(func.count()).select_from(households).where(households.c.unit_id == unit_id)
    with store.engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(query)]
        return rows, connection.execute(count).scalar_one()


def household_view(store: ReadStore, household_id: UUID) -> dict[str, Any] | None:
    """The household view: head, member count and members with their relationship."""
    with store.engine.connect() as connection:
        return household_in(connection, household_id)


def _household_statement() -> Select[Any]:
    head, member = persons.alias("head"), persons.alias("member")
    return (
        select(
            households,
            head.c.full_name.label("head_name"),
            household_members.c.person_id.label("member_id"),
            household_members.c.relationship.label("member_relationship"),
            member.c.full_name.label("member_name"),
            member.c.erased_on.label("member_erased_on"),
        )
        .join(head, head.c.person_id == households.c.head_person_id, isouter=True)
        .join(household_members, household_members.c.household_id == households.c.household_id, isouter=True)
        .join(member, member.c.person_id == household_members.c.person_id, isouter=True)
        .where(households.c.household_id == bindparam("household_id"))
        .order_by(household_members.c.position)
    )


# Built once: constructing the aliased query costs more CPU than running it (the busiest read).
_HOUSEHOLD = _household_statement()


def household_in(connection: Connection, household_id: UUID) -> dict[str, Any] | None:
    """The household view, in one query (a row per member) on the caller's connection."""
    rows = connection.execute(_HOUSEHOLD, {"household_id": household_id}).all()
    if not rows:
        return None
    first = rows[0]._mapping
    return {
        **{column.name: first[column] for column in households.c},
        "head_name": first["head_name"],
        "members": [
            {
                "person_id": row.member_id,
                "relationship": row.member_relationship,
                "full_name": row.member_name,
                "erased": row.member_erased_on is not None,
            }
            for row in rows
            if row.member_id is not None
        ],
    }


def person_view(store: ReadStore, person_id: UUID) -> dict[str, Any] | None:
    """A person's row with their household's unit and their consents."""
    with store.engine.connect() as connection:
        # The consents first: each statement sees the latest commit, and a consent and the phone
        # it concerns change in one transaction, so the person read second is never older than
        # the consents (the other order could show a new consent beside the old phone).
        consents = [
            dict(c._mapping)
            for c in connection.execute(
                select(person_consents.c.purpose, person_consents.c.given_at, person_consents.c.withdrawn_at)
                .where(person_consents.c.person_id == person_id)
                .order_by(person_consents.c.purpose)
            )
        ]
        row = connection.execute(
            select(persons, households.c.unit_id)
            .join(households, households.c.household_id == persons.c.household_id)
            .where(persons.c.person_id == person_id)
        ).first()
        if row is None:
            return None
        return {**row._mapping, "consents": consents}


def accounts_serving(store: ReadStore, unit_ids: list[UUID]) -> list[dict[str, Any]]:
    """Accounts with an assignment at any of ``unit_ids``, each with all its assignments there."""
    query = (
        select(
            accounts,
            role_assignments.c.role,
            role_assignments.c.unit_id,
            role_assignments.c.reason,
            role_assignments.c.granted_at,
        )
        .join(role_assignments, role_assignments.c.account_id == accounts.c.account_id)
        .where(role_assignments.c.unit_id.in_(unit_ids))
        .order_by(accounts.c.display_name, accounts.c.username)
    )
    found: dict[UUID, dict[str, Any]] = {}
    with store.engine.connect() as connection:
        for row in connection.execute(query):
            account = found.setdefault(
                row.account_id,
                {
                    "account_id": row.account_id,
                    "username": row.username,
                    "display_name": row.display_name,
                    "locked_until": row.locked_until,
                    "roles": [],
                },
            )
            account["roles"].append(
                {"role": row.role, "unit_id": row.unit_id, "reason": row.reason, "granted_at": row.granted_at}
            )
    return list(found.values())


def account_names(store: ReadStore, actors: set[str]) -> dict[str, str]:
    """Display names of the accounts among ``actors`` (ids as stored with events)."""
    ids = []
    for actor in actors:
        try:
            ids.append(UUID(actor))
        except ValueError:
            continue  # "seed", "bootstrap", "anonymous"…
    if not ids:
        return {}
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(accounts.c.account_id, accounts.c.display_name).where(accounts.c.account_id.in_(ids))
        )
        return {str(r.account_id): r.display_name for r in rows}
