"""Account administration: opening accounts, binding them to households, appointing and revoking
roles, resetting passwords.

Who may do what follows the hierarchy (``tothon_shared.auth.roles.APPOINTS``) and the account's
own scope (``tothon_registry.accounts``): the use cases check both against the unit tree, so
these routes only translate."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from tothon_registry.api.auth import external_verifier
from tothon_registry.api.deps import Registry, Store, authorize_at
from tothon_registry.api.errors import HOUSEHOLD_OF_ACCOUNT
from tothon_registry.api.schemas import Created
from tothon_registry.application import HouseholdNotFoundError
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels import queries
from tothon_registry.readmodels.access_log import record_reads
from tothon_registry.readmodels.tables import units
from tothon_shared.auth.http import require
from tothon_shared.auth.lineage import descendants
from tothon_shared.auth.principal import Principal
from tothon_shared.auth.roles import Role
from tothon_shared.auth.tokens import JwksTokenVerifier
from tothon_shared.http.commands import run_command
from tothon_shared.http.error_map import overriding
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.kernel.text import Name, ShortText

router = APIRouter(prefix="/api/v1/accounts", tags=["accounts"])
Manager = Annotated[Principal, Depends(require(RegistryPermission.ACCOUNTS_MANAGE))]


class AccountIn(BaseModel):
    """An account to open."""

    model_config = ConfigDict(extra="forbid")
    username: str = Field(pattern=r"^[a-zA-Z0-9._-]{3,60}$")
    display_name: Name
    password: str = Field(min_length=1, max_length=200)
    household_id: UUID | None = None


class AssignmentIn(BaseModel):
    """A role over a unit, and why."""

    model_config = ConfigDict(extra="forbid")
    role: Role
    unit_id: UUID
    reason: ShortText


class PasswordResetIn(BaseModel):
    """The new password."""

    model_config = ConfigDict(extra="forbid")
    password: str = Field(min_length=1, max_length=200)


class AssignmentOut(BaseModel):
    """A role held over a unit."""

    role: str
    unit_id: UUID
    reason: str
    granted_at: datetime


class AccountOut(BaseModel):
    """An account as administrators see it: no password hash, no sessions."""

    account_id: UUID
    username: str
    display_name: str
    locked_until: datetime | None
    roles: list[AssignmentOut]


@router.get("", responses=problems(404))
async def list_accounts(
    unit_id: UUID,
    store: Store,
    principal: Annotated[Principal, Depends(require(RegistryPermission.ROLES_READ))],
) -> list[AccountOut]:
    """Accounts holding roles in a unit you serve, or in any unit below it."""
    await authorize_at(store, principal, RegistryPermission.ROLES_READ, unit_id)
    below = await run_in_threadpool(descendants, store, units, unit_id)
    rows = await run_in_threadpool(queries.accounts_serving, store, below)
    return [AccountOut.model_validate(r) for r in rows]


# A bound account reads its household without a trace (its holder is a member), so the binding
# itself goes on the household's record: "who viewed my data" shows who gave an account access.
BINDING = "account_binding"


async def _log_binding(store: Store, manager: Principal, household_id: UUID | None) -> None:
    if household_id is not None:
        await run_in_threadpool(record_reads, store, manager, [(household_id, None)], "account", BINDING)


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(409))
async def open_account(
    body: AccountIn, request: Request, manager: Manager, registry: Registry, store: Store
) -> Created:
    """Open an account (its roles are appointed separately). A resident's account is bound to
    their household here or later, by an official who may register households in its unit."""
    try:
        account_id = await run_command(
            request,
            registry.open_account_as,
            manager,
            body.username,
            body.display_name,
            body.password,
            body.household_id,
        )
    except ProblemError as conflict:  # run_command answers a duplicate aggregate with 409
        raise ProblemError(409, "account.exists", "conflict.title") from conflict
    except HouseholdNotFoundError:
        raise ProblemError(422, "account.household_not_found") from None
    await _log_binding(store, manager, body.household_id)
    return Created(id=account_id)


class BindingIn(BaseModel):
    """The household the account serves, or null for none."""

    model_config = ConfigDict(extra="forbid")
    household_id: UUID | None


@router.put("/{account_id}/household", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404))
async def bind_household(
    account_id: UUID, body: BindingIn, request: Request, manager: Manager, registry: Registry, store: Store
) -> None:
    """Bind an account you administer to a household of a unit where you register households, or
    unbind it; its sessions end, so the change takes effect at once. The household sees who
    bound it among the reads of its data."""
    with overriding(HOUSEHOLD_OF_ACCOUNT):
        await run_command(request, registry.bind_household, manager, account_id, body.household_id)
    await _log_binding(store, manager, body.household_id)


@router.post("/{account_id}/roles", status_code=status.HTTP_201_CREATED, responses=problems(404, 409))
async def assign_role(
    account_id: UUID, body: AssignmentIn, request: Request, manager: Manager, registry: Registry
) -> None:
    """Appoint a role over a unit's subtree, recording who appointed it and why."""
    await run_command(
        request, registry.assign_role, manager, account_id, body.role, body.unit_id, body.reason
    )


@router.delete(
    "/{account_id}/roles/{role}/{unit_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(404, 409),
)
async def revoke_role(
    account_id: UUID,
    role: Role,
    unit_id: UUID,
    request: Request,
    manager: Manager,
    registry: Registry,
    reason: Annotated[str, Query(max_length=1000)] = "",
) -> None:
    """Revoke a role; the account's sessions end so the change takes effect at once."""
    await run_command(request, registry.revoke_role, manager, account_id, role, unit_id, reason or "thu hồi")


class ExternalIdentityIn(BaseModel):
    """The person's subject (``sub``) at the city's identity provider."""

    model_config = ConfigDict(extra="forbid")
    subject: str = Field(min_length=1, max_length=255, pattern=r"^\S+$")


@router.put(
    "/{account_id}/external-identity", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404, 409)
)
async def link_external_identity(
    account_id: UUID,
    body: ExternalIdentityIn,
    request: Request,
    manager: Manager,
    registry: Registry,
    provider: Annotated[JwksTokenVerifier, Depends(external_verifier)],
) -> None:
    """Let the person sign in at the city's identity provider as this account. An identity links
    to one account only (409 if it already signs in as another)."""
    await run_command(
        request, registry.link_external_identity, manager, account_id, provider.issuer, body.subject
    )


@router.put("/{account_id}/password", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404))
async def reset_password(
    account_id: UUID, body: PasswordResetIn, request: Request, manager: Manager, registry: Registry
) -> None:
    """Set a new password for an account you administer; its sessions end."""
    await run_command(request, registry.reset_password, manager, account_id, body.password)
