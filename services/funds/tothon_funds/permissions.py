"""The funds service's permissions and the roles that carry them."""

from __future__ import annotations

from tothon_shared.auth.roles import Permission, Role, carriers_from


class FundsPermission(Permission):
    """What the funds service's endpoints may require."""

    # A household's account: its code, member count and, as funds grows, what it owes and paid.
    HOUSEHOLD_ACCOUNTS_READ = "household-accounts:read"
    # A unit's funds: their books, levies, who owes and paid (household codes, never exemptions'
    # grounds), receipts and expenses.
    FUNDS_READ = "funds:read"
    # Keeping a unit's funds: opening them, levies, exemptions, recording payments, importing bank
    # statements, reversing mistakes, proposing and paying expenses, closing periods.
    FUNDS_MANAGE = "funds:manage"
    # Approving or rejecting a unit's expenses (never one's own: the domain refuses it).
    EXPENSES_APPROVE = "expenses:approve"

    def carriers(self) -> frozenset[Role]:
        """The roles that list this permission in ``ROLE_PERMISSIONS``."""
        return _CARRIERS[self]


_P = FundsPermission

# The officials who keep or oversee a unit's community funds: the group leader collects, the ward
# and the city oversee. The area police keep the residence register, not the funds; a resident
# reads their own household's account through its binding (the route checks it), not a unit-wide
# permission.
# The group leader keeps the group's funds and, as any other keeper, approves others' expenses
# (a group has a leader and a deputy); the ward official keeps the ward's funds and approves the
# groups' expenses; the city oversees (reads).
ROLE_PERMISSIONS: dict[Role, frozenset[FundsPermission]] = {
    Role.GROUP_LEADER: frozenset(
        {_P.HOUSEHOLD_ACCOUNTS_READ, _P.FUNDS_READ, _P.FUNDS_MANAGE, _P.EXPENSES_APPROVE}
    ),
    Role.WARD_OFFICIAL: frozenset(
        {_P.HOUSEHOLD_ACCOUNTS_READ, _P.FUNDS_READ, _P.FUNDS_MANAGE, _P.EXPENSES_APPROVE}
    ),
    Role.CITY_OFFICIAL: frozenset({_P.HOUSEHOLD_ACCOUNTS_READ, _P.FUNDS_READ}),
}

# Read on every authorised request: worked out once.
_CARRIERS = {permission: carriers_from(ROLE_PERMISSIONS, permission) for permission in FundsPermission}
