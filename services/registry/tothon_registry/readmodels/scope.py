"""Whom a read is for: a principal's permission checked against a unit's lineage in the read
model (the read side's scope check; the write side checks against the units as recorded)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Connection

from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels.tables import units
from tothon_shared.auth.http import authorize
from tothon_shared.auth.lineage import lineage
from tothon_shared.auth.principal import Principal
from tothon_shared.readstore.store import ReadStore


def authorized_lineage(
    store: ReadStore,
    principal: Principal,
    permission: RegistryPermission,
    unit_id: UUID,
    connection: Connection | None = None,
) -> list[UUID]:
    """403 unless ``principal`` holds ``permission`` over ``unit_id`` (404 for an unknown unit);
    the unit's lineage, for callers that need it further."""
    chain = lineage(store, units, unit_id, connection)
    authorize(principal, permission, chain)
    return chain
