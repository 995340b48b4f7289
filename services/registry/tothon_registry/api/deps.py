"""Dependencies of the registry's routes; the read side's scope check (``authorized_lineage``,
in ``readmodels.scope``) awaited off the event loop."""

from __future__ import annotations

from typing import Annotated, cast
from uuid import UUID

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from tothon_registry.application import RegistryApplication
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels.scope import authorized_lineage
from tothon_shared.auth.principal import Principal
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.service import ServiceRuntime


def _runtime(request: Request) -> ServiceRuntime:
    return cast(ServiceRuntime, request.app.state.runtime)


# Dependencies that do no I/O are coroutines: FastAPI runs a plain function in a worker thread,
# and that hop cost more CPU than a household lookup's query.
async def _app(request: Request) -> RegistryApplication:
    return cast(RegistryApplication, _runtime(request).app)


async def _store(request: Request) -> ReadStore:
    return _runtime(request).store


Registry = Annotated[RegistryApplication, Depends(_app)]
Store = Annotated[ReadStore, Depends(_store)]


async def authorize_at(
    store: ReadStore, principal: Principal, permission: RegistryPermission, unit_id: UUID
) -> list[UUID]:
    """``authorized_lineage`` off the event loop."""
    return await run_in_threadpool(authorized_lineage, store, principal, permission, unit_id)


__all__ = ["Registry", "Store", "authorize_at", "authorized_lineage"]
