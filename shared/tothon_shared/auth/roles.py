"""Roles, who may appoint whom, and what a permission is; each service declares its own permissions.

An assignment is (role, unit) and covers the unit's whole subtree. Deny by default: a permission
no role carries is granted to nobody.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum


class Role(StrEnum):
    """The roles of DESIGN.md, narrowest first."""

    RESIDENT = "resident"
    GROUP_LEADER = "group_leader"
    AREA_POLICE = "area_police"
    WARD_OFFICIAL = "ward_official"
    CITY_OFFICIAL = "city_official"
    CITY_IT_ADMIN = "city_it_admin"


class Permission(StrEnum):
    """What an endpoint may require. A service declares its own permissions as a subclass (its
    members) that says which roles carry each one (``carriers``); shared code checks any of them
    the same way, so a new service's permissions touch no shared module."""

    def carriers(self) -> frozenset[Role]:
        """The roles that carry this permission: none unless the service says so."""
        return frozenset()


def permission_table(permissions: Iterable[Permission]) -> dict[Role, frozenset[Permission]]:
    """Role -> the permissions it carries, among ``permissions``: the declarations read by role."""
    listed = tuple(permissions)
    return {role: frozenset(p for p in listed if role in p.carriers()) for role in Role}


def carriers_from(table: Mapping[Role, Iterable[Permission]], permission: Permission) -> frozenset[Role]:
    """The roles that carry ``permission`` in a role -> permissions table (the way a service
    most readably writes its declaration down)."""
    return frozenset(role for role, held in table.items() if permission in held)


# Read by every official: the unit directory each service keeps (``readstore.directory``).
_OFFICIALS = frozenset({Role.GROUP_LEADER, Role.AREA_POLICE, Role.WARD_OFFICIAL, Role.CITY_OFFICIAL})


class GeneralPermission(Permission):
    """The permissions of what every service has (its copy of the unit directory)."""

    DIRECTORY_READ = "directory:read"

    def carriers(self) -> frozenset[Role]:
        """Officials read the directory; residents and IT administrators do not."""
        return _OFFICIALS


# Who may appoint whom, within the subtree of the appointer's own unit.
APPOINTS: dict[Role, frozenset[Role]] = {
    Role.CITY_IT_ADMIN: frozenset(Role),
    Role.CITY_OFFICIAL: frozenset({Role.WARD_OFFICIAL, Role.AREA_POLICE, Role.CITY_OFFICIAL}),
    Role.WARD_OFFICIAL: frozenset({Role.GROUP_LEADER, Role.AREA_POLICE, Role.RESIDENT}),
    Role.GROUP_LEADER: frozenset({Role.RESIDENT}),
    Role.AREA_POLICE: frozenset(),
    Role.RESIDENT: frozenset(),
}
