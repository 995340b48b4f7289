"""Roles, the permissions they carry, and who may appoint whom.

An assignment is (role, unit) and covers the unit's whole subtree. Deny by default: a permission
no role lists is granted to nobody.
"""

from __future__ import annotations

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
    """What an endpoint may require."""

    UNITS_READ = "units:read"
    UNITS_MANAGE = "units:manage"
    HOUSEHOLDS_READ = "households:read"
    HOUSEHOLDS_REGISTER = "households:register"
    PERSONS_ERASE = "persons:erase"
    PRESENCE_FLAG = "presence:flag"
    PRESENCE_REVIEW = "presence:review"
    RESIDENCE_MANAGE = "residence:manage"
    CORRECTIONS_PROPOSE = "corrections:propose"
    CORRECTIONS_DECIDE = "corrections:decide"
    DIRECTORY_READ = "directory:read"
    ACCOUNTS_MANAGE = "accounts:manage"
    ROLES_READ = "roles:read"
    ACCESS_LOG_READ = "access-log:read"


_OFFICIAL = {
    Permission.UNITS_READ,
    Permission.HOUSEHOLDS_READ,
    Permission.DIRECTORY_READ,
    Permission.ROLES_READ,
}

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.RESIDENT: frozenset({Permission.UNITS_READ}),
    Role.GROUP_LEADER: frozenset(
        _OFFICIAL | {Permission.HOUSEHOLDS_REGISTER, Permission.PRESENCE_FLAG, Permission.CORRECTIONS_PROPOSE}
    ),
    # Legal residence is the police's register: they review flags and change residence status.
    Role.AREA_POLICE: frozenset(_OFFICIAL | {Permission.PRESENCE_REVIEW, Permission.RESIDENCE_MANAGE}),
    Role.WARD_OFFICIAL: frozenset(
        _OFFICIAL
        | {
            Permission.UNITS_MANAGE,
            Permission.HOUSEHOLDS_REGISTER,
            Permission.PERSONS_ERASE,
            Permission.PRESENCE_FLAG,
            Permission.PRESENCE_REVIEW,
            Permission.RESIDENCE_MANAGE,
            Permission.CORRECTIONS_PROPOSE,
            Permission.CORRECTIONS_DECIDE,
            Permission.ACCOUNTS_MANAGE,
            Permission.ACCESS_LOG_READ,
        }
    ),
    Role.CITY_OFFICIAL: frozenset(
        _OFFICIAL
        | {
            Permission.UNITS_MANAGE,
            Permission.ACCOUNTS_MANAGE,
            Permission.ACCESS_LOG_READ,
        }
    ),
    Role.CITY_IT_ADMIN: frozenset(
        {
            Permission.UNITS_READ,
            Permission.UNITS_MANAGE,
            Permission.ACCOUNTS_MANAGE,
            Permission.ROLES_READ,
        }
    ),
}

# Who may appoint whom, within the subtree of the appointer's own unit.
APPOINTS: dict[Role, frozenset[Role]] = {
    Role.CITY_IT_ADMIN: frozenset(Role),
    Role.CITY_OFFICIAL: frozenset({Role.WARD_OFFICIAL, Role.AREA_POLICE, Role.CITY_OFFICIAL}),
    Role.WARD_OFFICIAL: frozenset({Role.GROUP_LEADER, Role.AREA_POLICE, Role.RESIDENT}),
    Role.GROUP_LEADER: frozenset({Role.RESIDENT}),
    Role.AREA_POLICE: frozenset(),
    Role.RESIDENT: frozenset(),
}
