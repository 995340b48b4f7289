"""The keys other systems file Open311 requests with, issued and revoked by a city IT
administrator: the secret is shown once, at issue, and never stored."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from tothon_feedback.api.access import resident_of
from tothon_feedback.api.schemas import Reason
from tothon_feedback.permissions import FeedbackPermission
from tothon_feedback.readmodels.open311_keys import keys
from tothon_shared.auth.http import require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems

MANAGE = FeedbackPermission.OPEN311_KEYS
# Module level: route signatures are resolved from the module's globals.
Manager = Annotated[Principal, Depends(require(MANAGE))]
router = APIRouter(prefix="/api/v1/feedback/open311-keys", tags=["open311 keys"])


class KeyIn(BaseModel):
    """The system a key is for, and why it is issued."""

    model_config = ConfigDict(extra="forbid")

    system: Annotated[str, Field(min_length=1, max_length=200)]
    reason: Reason


class RevokeIn(BaseModel):
    """Why a key is revoked."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason


class IssuedKeyOut(BaseModel):
    """A new key: keep ``secret`` now, it is not shown again."""

    key_id: UUID
    system: str
    secret: str


class KeyOut(BaseModel):
    """An issued key, without its secret."""

    key_id: UUID
    system: str
    issued_by: str
    issued_at: datetime
    reason: str
    revoked_by: str | None
    revoked_at: datetime | None


@router.post("", status_code=201, responses=problems(403, 422))
async def issue_key(body: KeyIn, request: Request, manager: Manager) -> IssuedKeyOut:
    """Issue a key to another system (its secret is shown once)."""
    app = request.app.state.runtime.app
    key_id, secret = await run_command(
        request, app.issue_open311_key, body.system, resident_of(manager), body.reason
    )
    return IssuedKeyOut(key_id=key_id, system=body.system.strip(), secret=secret)


@router.get("", responses=problems(403))
async def list_keys(request: Request, _manager: Manager) -> list[KeyOut]:
    """Every key issued, the newest first, revoked ones marked."""
    rows = await run_in_threadpool(keys, request.app.state.runtime.store)
    return [KeyOut.model_validate(r) for r in rows]


@router.post("/{key_id}/revoke", status_code=204, responses=problems(403, 404, 409, 422))
async def revoke_key(key_id: UUID, body: RevokeIn, request: Request, manager: Manager) -> None:
    """Stop a key at once: its next request is refused."""
    app = request.app.state.runtime.app
    await run_command(request, app.revoke_open311_key, key_id, resident_of(manager), body.reason)
