"""The read side's policy for presence flags: who may list a unit's flags (and see their notes),
the log of the persons they name, and the scope check before a flag is reviewed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select

from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels.access_log import record_reads
from tothon_registry.readmodels.refusals import ReadRefusedError
from tothon_registry.readmodels.scope import authorized_lineage
from tothon_registry.readmodels.tables import presence_flags, units
from tothon_shared.auth.lineage import descendants
from tothon_shared.auth.principal import Principal
from tothon_shared.readstore.store import ReadStore


def flags(store: ReadStore, principal: Principal, unit_id: UUID, open_only: bool) -> list[dict[str, Any]]:
    """The flags of a unit the caller serves and the units below it, oldest first; the notes only
    for those who raise or review flags. Listing them is a logged read of the persons named."""
    authorized_lineage(store, principal, RegistryPermission.HOUSEHOLDS_READ, unit_id)
    rows = _flags(store, descendants(store, units, unit_id), open_only)
    handles = principal.holds(RegistryPermission.PRESENCE_FLAG) or principal.holds(
        RegistryPermission.PRESENCE_REVIEW
    )
    if not handles:
        rows = [r | {"note": None, "review_note": None} for r in rows]
    record_reads(
        store,
        principal,
        [(r["household_id"], r["person_id"]) for r in rows],
        "presence_flag" + (",note" if handles else ""),
        "residence_management",
    )
    return rows


def _flags(store: ReadStore, unit_ids: list[UUID], open_only: bool) -> list[dict[str, Any]]:
    query = (
        select(presence_flags)
        .where(presence_flags.c.unit_id.in_(unit_ids))
        .order_by(presence_flags.c.raised_at)
    )
    if open_only:
        query = query.where(presence_flags.c.decision.is_(None))
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def reviewer_lineage(store: ReadStore, principal: Principal, flag_id: UUID) -> list[UUID]:
    """The lineage of the flag's unit, once the caller is found to review flags there."""
    with store.engine.connect() as connection:
        unit: UUID | None = connection.scalar(
            select(presence_flags.c.unit_id).where(presence_flags.c.flag_id == flag_id)
        )
    if unit is None:
        raise ReadRefusedError("flag_not_found")
    return authorized_lineage(store, principal, RegistryPermission.PRESENCE_REVIEW, unit)
