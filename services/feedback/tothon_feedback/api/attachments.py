"""Photos and files: uploaded raw (a phone's camera, a scan), cleaned and stored by content, then
cited by hash in a case's submission or a resolution's evidence. A file is served to its uploader
and to whoever may see a case citing it; the evidence of a resolved case to anyone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_feedback.api.access import owns, reads, resident_of
from tothon_feedback.readmodels import queries
from tothon_feedback.readmodels.tables import ATTACHMENTS
from tothon_feedback.uploads import store_upload
from tothon_shared.attachments.http import file_response
from tothon_shared.auth.http import Authenticated
from tothon_shared.auth.principal import Principal
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.readstore.store import ReadStore

UPLOADS = "/api/v1/feedback/attachments"
Sha = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
router = APIRouter(tags=["feedback attachments"])
_PUBLIC_STATUSES = frozenset({"resolved", "closed"})


class UploadOut(BaseModel):
    """A stored upload: cite ``sha256`` in a case or a resolution."""

    upload_id: UUID
    sha256: str
    thumbnail_sha256: str | None
    media_type: str
    size: int
    width: int | None
    height: int | None
    location_kept: bool


@router.post(UPLOADS, status_code=201, responses=problems(401, 413, 415, 422))
async def upload(
    request: Request, principal: Authenticated, share_location: Annotated[bool, Query()] = False
) -> UploadOut:
    """Send a photo or a PDF as the request body (its content decides what it is, not its name).
    A photo's location is kept only with ``share_location``; nothing else of the camera is."""
    data = await request.body()
    store = request.app.state.runtime.store
    stored = await run_in_threadpool(
        store_upload, store, data, share_location, resident_of(principal), datetime.now(UTC)
    )
    return UploadOut.model_validate(stored.__dict__)


def _may_see(store: ReadStore, principal: Principal, sha: str) -> bool:
    if ATTACHMENTS.uploaded_by(store, sha, resident_of(principal)):
        return True
    return any(
        owns(principal, c["resident"]) or reads(principal, store, c["unit_id"], c["origin_unit_id"])
        for c in queries.cases_citing(store, sha)
    )


def _is_public(store: ReadStore, sha: str) -> bool:
    return any(
        c["kind"] == "evidence" and c["status"] in _PUBLIC_STATUSES for c in queries.cases_citing(store, sha)
    )


def _served(store: ReadStore, sha: str, cache: str) -> Response:
    found = ATTACHMENTS.content(store, sha)
    if found is None:
        raise ProblemError(404, "feedback.attachment.not_found")
    media_type, content = found
    return file_response(media_type, content, sha[:16], cache)


async def _file(request: Request, principal: Principal, sha: str, thumbnail: bool) -> Response:
    store = request.app.state.runtime.store
    if not await run_in_threadpool(_may_see, store, principal, sha):
        exists = await run_in_threadpool(ATTACHMENTS.content, store, sha)
        raise ProblemError(
            403 if exists else 404, "auth.forbidden" if exists else "feedback.attachment.not_found"
        )
    return await run_in_threadpool(_serve, store, sha, thumbnail, "private, max-age=3600")


def _serve(store: ReadStore, sha: str, thumbnail: bool, cache: str) -> Response:
    if thumbnail:
        small = ATTACHMENTS.thumbnail_of(store, sha)
        if small is None:
            raise ProblemError(404, "feedback.attachment.not_found")
        sha = small
    return _served(store, sha, cache)


@router.get(UPLOADS + "/{sha}", responses=problems(403, 404))
async def get_file(sha: Sha, request: Request, principal: Authenticated) -> Response:
    """A file you uploaded, or cited by a case you may see."""
    return await _file(request, principal, sha, thumbnail=False)


@router.get(UPLOADS + "/{sha}/thumbnail", responses=problems(403, 404))
async def get_thumbnail(sha: Sha, request: Request, principal: Authenticated) -> Response:
    """A photo's thumbnail, to whoever may see the photo."""
    return await _file(request, principal, sha, thumbnail=True)


async def _evidence(request: Request, sha: str, thumbnail: bool) -> Response:
    store = request.app.state.runtime.store
    if not await run_in_threadpool(_is_public, store, sha):
        raise ProblemError(404, "feedback.attachment.not_found")
    return await run_in_threadpool(_serve, store, sha, thumbnail, "public, max-age=86400")


@router.get("/api/v1/feedback/public/evidence/{sha}", responses=problems(404))
async def get_public_evidence(sha: Sha, request: Request) -> Response:
    """The evidence of a resolved case: public, as the answer it supports."""
    return await _evidence(request, sha, thumbnail=False)


@router.get("/api/v1/feedback/public/evidence/{sha}/thumbnail", responses=problems(404))
async def get_public_evidence_thumbnail(sha: Sha, request: Request) -> Response:
    """The thumbnail of a resolved case's evidence photo."""
    return await _evidence(request, sha, thumbnail=True)
