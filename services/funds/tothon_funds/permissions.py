"""The funds service's permissions and the roles that carry them."""

from __future__ import annotations

from tothon_shared.auth.roles import Permission, Role, carriers_from


class FundsPermission(Permission):
    """What the funds service's endpoints may require."""

    # A household's account: its code, member count and, as funds grows, what it owes and paid.
    HOUSEHOLD_ACCOUNTS_READ = "household-accounts:read"

    def carriers(self) -> frozenset[Role]:
        """The roles that list this permission in ``ROLE_PERMISSIONS``."""
        return _CARRIERS[self]


_P = FundsPermission

# The officials who keep or oversee a unit's community funds: the group leader collects, the ward
# and the city oversee. The area police keep the residence register, not the funds; a resident
# reads their own household's account through its binding (the route checks it), not a unit-wide
# permission.
ROLE_PERMISSIONS: dict[Role, frozenset[FundsPermission]] = {
    Role.GROUP_LEADER: frozenset({_P.HOUSEHOLD_ACCOUNTS_READ}),
    Role.WARD_OFFICIAL: frozenset({_P.HOUSEHOLD_ACCOUNTS_READ}),
    Role.CITY_OFFICIAL: frozenset({_P.HOUSEHOLD_ACCOUNTS_READ}),
}

# Read on every authorised request: worked out once.
_CARRIERS = {permission: carriers_from(ROLE_PERMISSIONS, permission) for permission in FundsPermission}
