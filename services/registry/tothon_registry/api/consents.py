"""Routes for what residents decide about their own household's data (consents given and
withdrawn) and for the ward erasing a person's data."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict

from tothon_registry.api.deps import Registry, Store
from tothon_registry.domain.person import ConsentPurpose, ErasureReason
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels import person_reads
from tothon_shared.auth.http import Authenticated, require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.kernel.clock import today
from tothon_shared.kernel.identity import VietnamesePhone

router = APIRouter(prefix="/api/v1/persons", tags=["persons"])


class ConsentIn(BaseModel):
    """A consent being given."""

    model_config = ConfigDict(extra="forbid")
    purpose: ConsentPurpose
    phone: VietnamesePhone | None = None


class ErasureIn(BaseModel):
    """Why a person's data is erased (a code, never free text: it stays readable)."""

    model_config = ConfigDict(extra="forbid")
    reason: ErasureReason


@router.post(
    "/{person_id}/consents", status_code=status.HTTP_204_NO_CONTENT, responses=problems(403, 404, 409)
)
async def give_consent(
    person_id: UUID,
    body: ConsentIn,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Authenticated,
) -> Response:
    """Consent, for yourself or a member of your household, to processing the law does not require."""
    await run_in_threadpool(person_reads.member_of_own_household, store, principal, person_id)
    await run_command(request, registry.give_consent, person_id, body.purpose, body.phone)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/{person_id}/consents/{purpose}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(403, 404, 409),
)
async def withdraw_consent(
    person_id: UUID,
    purpose: ConsentPurpose,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Authenticated,
) -> Response:
    """Withdraw a consent; what was kept only for it (the phone number) is no longer kept."""
    await run_in_threadpool(person_reads.member_of_own_household, store, principal, person_id)
    await run_command(request, registry.withdraw_consent, person_id, purpose)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{person_id}/erasure", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404))
async def erase_person(
    person_id: UUID,
    body: ErasureIn,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Annotated[Principal, Depends(require(RegistryPermission.PERSONS_ERASE))],
) -> Response:
    """Erase a person's data (crypto-shredding): their stored events stay, unreadable; the
    household keeps its member count. Ward officials only, within their ward."""
    await run_in_threadpool(
        person_reads.authorize_change, store, principal, person_id, RegistryPermission.PERSONS_ERASE
    )
    await run_command(request, registry.erase_person, person_id, body.reason, today())
    return Response(status_code=status.HTTP_204_NO_CONTENT)
