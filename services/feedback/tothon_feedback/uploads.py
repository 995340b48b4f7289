"""Feedback's uploads: the shared attachments (``tothon_shared.attachments``) in its own tables,
within limits a deployment may change (``TOTHON_FEEDBACK_MAX_FILE_BYTES`` for a file,
``TOTHON_FEEDBACK_MAX_CASE_BYTES`` for a case's files together). The API's upload route and the
demo's evidence photos both store through here."""

from __future__ import annotations

import os
from datetime import datetime

from tothon_feedback.readmodels.tables import ATTACHMENTS
from tothon_shared.attachments import uploads
from tothon_shared.attachments.limits import Limits
from tothon_shared.attachments.store import Upload
from tothon_shared.readstore.store import ReadStore

LIMITS = Limits.from_env(
    os.environ, file="TOTHON_FEEDBACK_MAX_FILE_BYTES", together="TOTHON_FEEDBACK_MAX_CASE_BYTES"
)


def store_upload(store: ReadStore, data: bytes, share_location: bool, uploader: str, at: datetime) -> Upload:
    """Clean ``data`` (refused with ``AttachmentError``) and store it for ``uploader``."""
    return uploads.store_upload(
        ATTACHMENTS,
        store,
        data,
        share_location=share_location,
        uploader=uploader,
        at=at,
        max_bytes=LIMITS.file_bytes,
    )
