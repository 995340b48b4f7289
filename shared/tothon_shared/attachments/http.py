"""What a service's routes need of its attachments: the problems an upload's refusals become, the
form field a multipart upload comes in, and a stored file served so that nothing in it runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, UploadFile
from fastapi.responses import Response

from tothon_shared.attachments.errors import AttachmentError
from tothon_shared.attachments.processing import PDF
from tothon_shared.http.error_map import ErrorKey, Refusal

# A file sent as ``multipart/form-data`` (a browser's ``<input type="file">``), in the field named
# after the route's parameter; its declared type and name are not trusted (``processing``).
UploadedFile = Annotated[UploadFile, File(description="A photo (JPEG, PNG, WebP, GIF) or a PDF.")]


def attachment_refusals(prefix: str) -> dict[ErrorKey, Refusal]:
    """The error-map entries of ``AttachmentError``: a refusal ``<prefix>.<code>`` in 422, a file
    too large in 413 and one neither a photo nor a PDF in 415 (the service's messages carry the
    keys)."""
    return {
        AttachmentError: Refusal(422, prefix + ".{code}"),
        (AttachmentError, "too_large"): Refusal(413, f"{prefix}.too_large"),
        (AttachmentError, "unsupported_type"): Refusal(415, f"{prefix}.unsupported_type"),
    }


def file_response(media_type: str, content: bytes, filename: str, cache: str) -> Response:
    """A stored file as an answer: a PDF downloaded, a photo shown, neither able to run anything."""
    disposition = "attachment" if media_type == PDF else "inline"
    headers = {
        "Cache-Control": cache,
        "Content-Disposition": f'{disposition}; filename="{filename}"',
        # Served on the API's origin: nothing in a file may run there.
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'",
    }
    return Response(content, media_type=media_type, headers=headers)
