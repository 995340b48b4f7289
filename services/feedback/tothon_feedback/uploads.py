"""Storing an upload: cleaned by its content, then kept by its hash (the API's upload route and the
demo's evidence photos both go through here)."""

from __future__ import annotations

from datetime import datetime

from tothon_feedback.attachments.limits import LIMITS
from tothon_feedback.attachments.processing import process
from tothon_feedback.attachments.store import Upload
from tothon_feedback.readmodels.tables import ATTACHMENTS
from tothon_shared.readstore.store import ReadStore


def store_upload(store: ReadStore, data: bytes, share_location: bool, uploader: str, at: datetime) -> Upload:
    """Clean ``data`` (refused with ``AttachmentError``) and store it for ``uploader``."""
    return ATTACHMENTS.put(store, process(data, share_location, LIMITS.file_bytes), uploader, at)
