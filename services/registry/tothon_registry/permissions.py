"""The registry's permissions and the roles that carry them (DESIGN.md's access table)."""

from __future__ import annotations

from tothon_shared.auth.roles import GeneralPermission, Permission, Role, carriers_from


class RegistryPermission(Permission):
    """What the registry's endpoints may require."""

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
    ACCOUNTS_MANAGE = "accounts:manage"
    ROLES_READ = "roles:read"
    ACCESS_LOG_READ = "access-log:read"

    def carriers(self) -> frozenset[Role]:
        """The roles that list this permission in ``ROLE_PERMISSIONS``."""
        return _CARRIERS[self]


_P = RegistryPermission
_OFFICIAL = {_P.UNITS_READ, _P.HOUSEHOLDS_READ, _P.ROLES_READ}

ROLE_PERMISSIONS: dict[Role, frozenset[RegistryPermission]] = {
    Role.RESIDENT: frozenset({_P.UNITS_READ}),
    Role.GROUP_LEADER: frozenset(
        _OFFICIAL | {_P.HOUSEHOLDS_REGISTER, _P.PRESENCE_FLAG, _P.CORRECTIONS_PROPOSE}
    ),
    # Legal residence is the police's register: they review flags and change residence status.
    Role.AREA_POLICE: frozenset(_OFFICIAL | {_P.PRESENCE_REVIEW, _P.RESIDENCE_MANAGE}),
    Role.WARD_OFFICIAL: frozenset(
        _OFFICIAL
        | {
            _P.UNITS_MANAGE,
            _P.HOUSEHOLDS_REGISTER,
            _P.PERSONS_ERASE,
            _P.PRESENCE_FLAG,
            _P.PRESENCE_REVIEW,
            _P.RESIDENCE_MANAGE,
            _P.CORRECTIONS_PROPOSE,
            _P.CORRECTIONS_DECIDE,
            _P.ACCOUNTS_MANAGE,
            _P.ACCESS_LOG_READ,
        }
    ),
    Role.CITY_OFFICIAL: frozenset(_OFFICIAL | {_P.UNITS_MANAGE, _P.ACCOUNTS_MANAGE, _P.ACCESS_LOG_READ}),
    Role.CITY_IT_ADMIN: frozenset({_P.UNITS_READ, _P.UNITS_MANAGE, _P.ACCOUNTS_MANAGE, _P.ROLES_READ}),
}


# Read on every authorised request: worked out once.
_CARRIERS = {permission: carriers_from(ROLE_PERMISSIONS, permission) for permission in RegistryPermission}

# Everything the registry's endpoints check, its own and the general ones (what ``/auth/me`` lists).
PERMISSIONS: tuple[Permission, ...] = (*RegistryPermission, *GeneralPermission)
