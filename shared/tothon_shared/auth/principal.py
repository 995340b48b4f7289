"""Who is calling: an account with its role assignments, as carried by an access token."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from tothon_shared.auth.roles import APPOINTS, Permission, Role


@dataclass(frozen=True)
class Grant:
    """One role assignment: a role over a unit and its subtree."""

    role: Role
    unit_id: UUID


@dataclass(frozen=True)
class Principal:
    """The caller of a request."""

    account_id: UUID
    session_id: str
    name: str
    grants: tuple[Grant, ...] = ()
    household_id: UUID | None = None

    def units_with(self, permission: Permission) -> set[UUID]:
        """The units at whose subtrees the principal holds ``permission``."""
        return {g.unit_id for g in self.grants if g.role in permission.carriers()}

    def may_appoint_at(self, role: Role) -> set[UUID]:
        """The units at whose subtrees the principal may appoint ``role``."""
        return {g.unit_id for g in self.grants if role in APPOINTS[g.role]}

    def role_for(self, permission: Permission, lineage: Iterable[UUID]) -> Role | None:
        """The role under which the principal holds ``permission`` over the unit whose lineage is
        given (the first such assignment), recorded with what it does there."""
        units = set(lineage)
        return next(
            (g.role for g in self.grants if g.role in permission.carriers() and g.unit_id in units), None
        )

    def holds(self, permission: Permission) -> bool:
        """Whether any assignment carries ``permission`` (somewhere)."""
        return bool(self.units_with(permission))


def covers(scopes: Iterable[UUID], lineage: Iterable[UUID]) -> bool:
    """Whether a unit, given as its lineage (itself and its ancestors), lies in any scope."""
    return not set(scopes).isdisjoint(lineage)
