"""The read side's policy for corrections: the pending ones of a unit's persons for an official
serving it, a person's own for their household or such an official; every official read logged."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from sqlalchemy import select

from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels.access_log import record_reads
from tothon_registry.readmodels.person_reads import person
from tothon_registry.readmodels.scope import authorized_lineage
from tothon_registry.readmodels.tables import corrections, households, persons, units
from tothon_shared.auth.lineage import descendants
from tothon_shared.auth.principal import Principal
from tothon_shared.readstore.store import ReadStore


def proposer_role(store: ReadStore, principal: Principal, person_id: UUID) -> str:
    """The role in which the caller may propose a correction of the person: a resident of their
    household, or the role that lets an official propose one in their unit."""
    view = person(store, person_id)
    if principal.household_id == view["household_id"]:
        return "resident"
    unit_lineage = authorized_lineage(
        store, principal, RegistryPermission.CORRECTIONS_PROPOSE, view["unit_id"]
    )
    held = principal.role_for(RegistryPermission.CORRECTIONS_PROPOSE, unit_lineage)
    assert held is not None  # authorize() found the assignment
    return str(held)


def of_unit(
    store: ReadStore, principal: Principal, unit_id: UUID, pending_only: bool
) -> list[dict[str, Any]]:
    """Corrections of persons in a unit the caller serves (and below it), oldest first; a logged read."""
    authorized_lineage(store, principal, RegistryPermission.HOUSEHOLDS_READ, unit_id)
    rows = _corrections(store, descendants(store, units, unit_id), None, pending_only)
    record_reads(
        store, principal, [(r["household_id"], r["person_id"]) for r in rows], "corrections", "data_quality"
    )
    return rows


def of_person(store: ReadStore, principal: Principal, person_id: UUID) -> list[dict[str, Any]]:
    """A person's corrections, proposed and decided: for their own household, or an official
    serving their unit (a logged read when there are any)."""
    view = person(store, person_id)
    official = principal.household_id != view["household_id"]
    if official:
        authorized_lineage(store, principal, RegistryPermission.HOUSEHOLDS_READ, view["unit_id"])
    rows = _corrections(store, None, person_id, False)
    if official and rows:
        record_reads(store, principal, [(view["household_id"], person_id)], "corrections", "data_quality")
    return rows


def _corrections(
    store: ReadStore, unit_ids: list[UUID] | None, person_id: UUID | None, pending_only: bool
) -> list[dict[str, Any]]:
    query = (
        select(corrections, persons.c.full_name)
        .join(persons, persons.c.person_id == corrections.c.person_id, isouter=True)
        .order_by(corrections.c.proposed_at)
    )
    if unit_ids is not None:
        query = query.join(households, households.c.household_id == corrections.c.household_id).where(
            households.c.unit_id.in_(unit_ids)
        )
    if person_id is not None:
        query = query.where(corrections.c.person_id == person_id)
    if pending_only:
        query = query.where(corrections.c.decision.is_(None))
    with store.engine.connect() as connection:
        rows = [dict(r._mapping) for r in connection.execute(query)]
    return [r | {"changes": json.loads(r["changes"]) if r["changes"] else None} for r in rows]
