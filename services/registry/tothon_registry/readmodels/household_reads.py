"""The read side's policy for households: who may read one (its own residents, or officials
serving its unit), the log of every official read, and the scope check before a change."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels import queries
from tothon_registry.readmodels.access_log import log_reads, record_reads
from tothon_registry.readmodels.refusals import ReadRefusedError
from tothon_registry.readmodels.scope import authorized_lineage
from tothon_shared.auth.principal import Principal
from tothon_shared.readstore.store import ReadStore


def household(store: ReadStore, principal: Principal, household_id: UUID) -> dict[str, Any]:
    """The household view, for its residents or an official serving its unit (a logged read)."""
    # The busiest read of the register: one thread hop, one connection, and the log of the
    # reading commits before the view is shown (a lookup used to take four hops and three
    # connections).
    with store.autocommit() as connection:
        view = queries.household_in(connection, household_id)
        if view is None:
            raise ReadRefusedError("household_not_found")
        if principal.household_id != household_id:
            authorized_lineage(
                store, principal, RegistryPermission.HOUSEHOLDS_READ, view["unit_id"], connection
            )
            log_reads(
                connection,
                principal,
                [(household_id, None)],
                "head_name,members.full_name,members.relationship",
                "household view",
            )
    return view


def households_page(
    store: ReadStore, principal: Principal, unit_id: UUID, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of a unit's households for an official serving it, and how many it has in all;
    each head's name listed is a logged read."""
    authorized_lineage(store, principal, RegistryPermission.HOUSEHOLDS_READ, unit_id)
    rows, total = queries.list_households(store, unit_id, limit, offset)
    record_reads(store, principal, [(r["household_id"], None) for r in rows], "head_name", "household list")
    return rows, total


def authorize_change(
    store: ReadStore,
    principal: Principal,
    household_id: UUID,
    permission: RegistryPermission = RegistryPermission.HOUSEHOLDS_REGISTER,
) -> None:
    """Refuse a change to the household (registering its members by default) unless the caller
    holds ``permission`` in its unit."""
    view = queries.household_view(store, household_id)
    if view is None:
        raise ReadRefusedError("household_not_found")
    authorized_lineage(store, principal, permission, view["unit_id"])
