"""A household's feed, live: Server-Sent Events that tell an open page when its notices changed
(a new one, one now due, an edit, a retraction), so it reads them again at once.

Every open page asking the database each second would cost a query a page a second. Instead one
question a second per API process — has any notice changed? (``NoticesVersion``) — is shared by
all its open pages, and only when the answer changes does each page ask about its own household."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import func, select
from sse_starlette.sse import EventSourceResponse

from tothon_communication.api.announcements import for_household, store_of
from tothon_communication.permissions import CommunicationPermission
from tothon_communication.readmodels import announcements as reads
from tothon_shared.auth.http import Authenticated
from tothon_shared.http.openapi import problems
from tothon_shared.readstore.store import ReadStore

router = APIRouter(prefix="/api/v1", tags=["announcements"])
# How often an open page learns of a change, at most a second late.
POLL_SECONDS = 1.0


class NoticesVersion:
    """What changes when any notice is written, edited, retracted or falls due: asked at most
    once a ``POLL_SECONDS`` per process, whatever the number of open pages."""

    def __init__(self) -> None:
        self._at = 0.0
        self._value: tuple[Any, ...] = ()
        self._lock = asyncio.Lock()

    async def get(self, store: ReadStore) -> tuple[Any, ...]:
        async with self._lock:
            if time.monotonic() - self._at >= POLL_SECONDS:
                self._value = await run_in_threadpool(_version, store)
                self._at = time.monotonic()
            return self._value


def _version(store: ReadStore) -> tuple[Any, ...]:
    table = reads.announcements
    due = table.c.publish_at <= datetime.now(UTC)
    query = select(
        func.count().filter(due),
        func.coalesce(func.sum(table.c.edition), 0),
        func.count(table.c.retracted_reason),
    )
    with store.engine.connect() as connection:
        return tuple(connection.execute(query).one())


_VERSIONS: dict[int, NoticesVersion] = {}


def _notices_version(store: ReadStore) -> NoticesVersion:
    return _VERSIONS.setdefault(id(store), NoticesVersion())


@router.get("/households/{household_id}/feed/events", responses=problems(403, 404))
async def feed_events(household_id: UUID, request: Request, principal: Authenticated) -> EventSourceResponse:
    """``event: feed`` whenever the household's notices change (and once at the start); the page
    then reads its feed again."""
    store = store_of(request)
    await run_in_threadpool(
        for_household, store, principal, household_id, CommunicationPermission.ANNOUNCEMENTS_READ
    )
    version = _notices_version(store)

    async def events() -> AsyncIterator[dict[str, str]]:
        seen: tuple[Any, ...] | None = None
        shown: Any = None
        while not await request.is_disconnected():
            now = await version.get(store)
            if now != seen:
                seen = now
                mine = await run_in_threadpool(_household_state, store, household_id)
                if mine != shown:
                    shown = mine
                    yield {"event": "feed", "data": str(mine[0])}
            await asyncio.sleep(POLL_SECONDS)

    return EventSourceResponse(events(), ping=15)


def _household_state(store: ReadStore, household_id: UUID) -> tuple[int, str]:
    """How many notices the household has now and a digest of their editions and retractions."""
    items = reads.feed(store, household_id, datetime.now(UTC), 200, 0)
    digest = ",".join(f"{i['announcement_id']}:{i['edition']}:{bool(i['retracted_reason'])}" for i in items)
    return len(items), digest
