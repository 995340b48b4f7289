"""The read side's policy for exporting a unit's households: only the fields the caller's role
and stated purpose show in full, only the current members of the units they serve, and every
person exported logged before the file leaves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import select

from tothon_registry.disclosure import Disclosure, PersonField, Purpose, disclosure_for
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels.access_log import record_reads
from tothon_registry.readmodels.scope import authorized_lineage
from tothon_registry.readmodels.tables import household_members, households, persons, units
from tothon_shared.auth.lineage import descendants
from tothon_shared.auth.principal import Principal
from tothon_shared.readstore.store import ReadStore


@dataclass(frozen=True)
class Export:
    """The fields that may be exported, and the members to export."""

    shown: list[PersonField]
    members: list[dict[str, Any]]


def members_to_export(store: ReadStore, principal: Principal, unit_id: UUID, purpose: Purpose) -> Export:
    """The current members of a unit the caller serves (and the units below it), with the fields
    they may see in full; every person exported is a logged read."""
    unit_lineage = authorized_lineage(store, principal, RegistryPermission.HOUSEHOLDS_READ, unit_id)
    shown = [
        f for f, level in disclosure_for(principal, unit_lineage, purpose).items() if level is Disclosure.FULL
    ]
    members = _members(store, descendants(store, units, unit_id))
    # Logged before the file leaves, as every read of personal data is.
    targets = [(m["household_id"], m["person_id"]) for m in members]
    record_reads(store, principal, targets, ",".join(shown) + ",export", purpose)
    return Export(shown, members)


def _members(store: ReadStore, unit_ids: list[UUID]) -> list[dict[str, Any]]:
    """Current members (not left, not erased) of the households of ``unit_ids``, household by
    household in code order, members in the order they were registered."""
    query = (
        select(persons, households.c.code)
        .join(households, households.c.household_id == persons.c.household_id)
        .join(
            household_members,
            (household_members.c.household_id == persons.c.household_id)
            & (household_members.c.person_id == persons.c.person_id),
        )
        .where(households.c.unit_id.in_(unit_ids), persons.c.left_on.is_(None), persons.c.erased_on.is_(None))
        .order_by(households.c.code, household_members.c.position)
    )
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]
