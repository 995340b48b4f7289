"""Queries over the registry's read models (never over aggregates)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from uuid import UUID

from sqlalchemy import and_, or_, select

from tothon_registry.readmodels.tables import (
    accounts,
    household_members,
    households,
    person_consents,
    persons,
    role_assignments,
    units,
)
from tothon_shared.auth.lineage import below
from tothon_shared.readstore import ReadStore


def list_units(store: ReadStore, parent_id: UUID | None = None) -> list[dict[str, Any]]:
    """Units, optionally only the children of one unit, by name."""
    query = select(units).order_by(units.c.name)
    if parent_id is not None:
        query = query.where(units.c.parent_id == parent_id)
    with store.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def list_households(store: ReadStore, unit_id: UUID, limit: int, offset: int) -> list[dict[str, Any]]:
    """Households of a unit by code, with the head's name."""
    query = (
        select(households, persons.c.full_name.label("head_name"))
        .join(persons, persons.c.person_id == households.c.head_person_id, isouter=True)
        .where(households.c.unit_id == unit_id)
        .order_by(households.c.code)
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def household_view(store: ReadStore, household_id: UUID) -> dict[str, Any] | None:
    """The household view: head, member count and members with their relationship."""
    with store.engine.connect() as connection:
        row = connection.execute(
            select(households, persons.c.full_name.label("head_name"))
            .join(persons, persons.c.person_id == households.c.head_person_id, isouter=True)
            .where(households.c.household_id == household_id)
        ).first()
        if row is None:
            return None
        members = connection.execute(
            select(
                household_members.c.person_id,
                household_members.c.relationship,
                persons.c.full_name,
                persons.c.erased_on,
            )
            .join(persons, persons.c.person_id == household_members.c.person_id, isouter=True)
            .where(household_members.c.household_id == household_id)
            .order_by(household_members.c.position)
        )
        return {
            **row._mapping,
            "members": [
                {
                    "person_id": m.person_id,
                    "relationship": m.relationship,
                    "full_name": m.full_name,
                    "erased": m.erased_on is not None,
                }
                for m in members
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


Cursor = tuple[str, UUID]


def encode_cursor(sort_key: str, person_id: UUID) -> str:
    """An opaque position after a person in the sorted list."""
    return base64.urlsafe_b64encode(json.dumps([sort_key, str(person_id)]).encode()).decode()


def decode_cursor(text: str) -> Cursor:
    """The position an ``encode_cursor`` text names; ValueError if it names none."""
    try:
        sort_key, person_id = json.loads(base64.urlsafe_b64decode(text.encode()))
        return str(sort_key), UUID(person_id)
    except (binascii.Error, TypeError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError("not a search position") from error


def search_persons(
    store: ReadStore,
    unit_id: UUID,
    words: list[str],
    citizen_id: str | None,
    phone: str | None,
    limit: int,
    after: Cursor | None,
) -> list[dict[str, Any]]:
    """Persons (not erased) of households in ``unit_id`` and the units below it with a word of
    their folded name starting with each of ``words``, in the Vietnamese order; keyset pages after
    ``after``."""
    query = (
        select(
            persons.c.person_id,
            persons.c.household_id,
            households.c.code.label("household_code"),
            households.c.unit_id,
            persons.c.full_name,
            persons.c.relationship,
            persons.c.birth_year,
            persons.c.sort_key,
        )
        .join(households, households.c.household_id == persons.c.household_id)
        .where(
            households.c.unit_id.in_(below(units, unit_id)),
            persons.c.erased_on.is_(None),
            persons.c.left_on.is_(None),
        )
        .order_by(persons.c.sort_key, persons.c.person_id)
        .limit(limit)
    )
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        # A word of the query matches the start of a word of the name ("an" finds An and Anh,
        # not Trần): what people expect of a name search.
        query = query.where(
            or_(
                persons.c.name_key.like(f"{escaped}%", escape="\\"),
                persons.c.name_key.like(f"% {escaped}%", escape="\\"),
            )
        )
    if citizen_id is not None:
        query = query.where(persons.c.citizen_id == citizen_id)
    if phone is not None:
        query = query.where(persons.c.phone == phone)
    if after is not None:
        sort_key, person_id = after
        query = query.where(
            or_(
                persons.c.sort_key > sort_key,
                and_(persons.c.sort_key == sort_key, persons.c.person_id > person_id),
            )
        )
    with store.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


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
