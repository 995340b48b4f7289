"""The evidence of expenses (issue 17): a photo of an invoice or a receipt, or its PDF, uploaded by
an official who keeps or oversees a unit's funds, checked and cleaned by its content and kept by it
through the shared attachments (``tothon_shared.attachments``); an expense cites it by its id.

Evidence is public: the group's public report shows each expense with its evidence (issue 17's
rule), so anyone with its id may see it. What is uploaded is a photo or a scan of an invoice, not
personal data; and the position a phone writes into a photo is always stripped here (there is no
place to share, unlike a feedback case's photo), with the camera's make, serial and time."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from tothon_funds.permissions import FundsPermission
from tothon_funds.readmodels.tables import ATTACHMENTS
from tothon_shared.attachments.http import UploadedFile, file_response
from tothon_shared.attachments.limits import Limits
from tothon_shared.attachments.processing import PDF
from tothon_shared.attachments.store import Upload
from tothon_shared.attachments.uploads import store_upload
from tothon_shared.auth.http import require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.readstore.store import ReadStore

EVIDENCE = "/api/v1/funds/evidence"
LIMITS = Limits()  # 10 MB a file: a phone's photo of an invoice, a scanned PDF
# Whoever keeps or oversees a unit's funds, in any unit. For now the one permission funds has;
# an expense's own permission, when there is one, takes its place.
UPLOAD = FundsPermission.HOUSEHOLD_ACCOUNTS_READ
# Module level: route signatures are resolved from the module's globals.
Uploader = Annotated[Principal, Depends(require(UPLOAD))]
# A stored file never changes under its id (its bytes are kept by their hash).
_PUBLIC_CACHE = "public, max-age=86400"
_SERVED: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file: a photo (JPEG or PNG; its thumbnail a JPEG) or a PDF.",
        "content": {"image/jpeg": {}, "image/png": {}, PDF: {}},
    }
}

router = APIRouter(prefix=EVIDENCE, tags=["evidence"])


class EvidenceKind(StrEnum):
    """What a piece of evidence is: a photo (of an invoice, a receipt) or a PDF."""

    PHOTO = "photo"
    PDF = "pdf"


class EvidenceOut(BaseModel):
    """A stored piece of evidence: an expense cites ``attachment_id``; ``sha256`` lets anyone check
    that the file served is the one cited."""

    attachment_id: UUID
    kind: EvidenceKind
    media_type: str
    size: int
    width: int | None
    height: int | None
    sha256: str
    has_thumbnail: bool


def _out(upload: Upload) -> EvidenceOut:
    return EvidenceOut(
        attachment_id=upload.upload_id,
        kind=EvidenceKind.PDF if upload.media_type == PDF else EvidenceKind.PHOTO,
        media_type=upload.media_type,
        size=upload.size,
        width=upload.width,
        height=upload.height,
        sha256=upload.sha256,
        has_thumbnail=upload.thumbnail_sha256 is not None,
    )


@router.post("", status_code=201, responses=problems(413, 415, 422))
async def upload_evidence(request: Request, principal: Uploader, file: UploadedFile) -> EvidenceOut:
    """Send a photo or a PDF of an invoice or a receipt as the form field ``file`` (its content
    decides what it is, not its name); nothing of the camera or its position is kept."""
    data = await file.read()
    stored = await run_in_threadpool(
        store_upload,
        ATTACHMENTS,
        request.app.state.runtime.store,
        data,
        share_location=False,
        uploader=str(principal.account_id),
        at=datetime.now(UTC),
        max_bytes=LIMITS.file_bytes,
    )
    return _out(stored)


def _file(store: ReadStore, attachment_id: UUID, thumbnail: bool) -> tuple[str, bytes] | None:
    upload = ATTACHMENTS.upload(store, attachment_id)
    if upload is None:
        return None
    sha = upload.thumbnail_sha256 if thumbnail else upload.sha256  # a PDF has no thumbnail
    return ATTACHMENTS.content(store, sha) if sha is not None else None


@router.get("/{attachment_id}", response_class=Response, responses={**_SERVED, **problems(404)})
async def get_evidence(
    attachment_id: UUID, request: Request, size: Annotated[Literal["full", "thumb"], Query()] = "full"
) -> Response:
    """A piece of evidence, to anyone (``size=thumb``: a photo's thumbnail)."""
    found = await run_in_threadpool(_file, request.app.state.runtime.store, attachment_id, size == "thumb")
    if found is None:
        raise ProblemError(404, "funds.evidence.not_found")
    media_type, content = found
    return file_response(media_type, content, f"chung-tu-{attachment_id}", _PUBLIC_CACHE)
