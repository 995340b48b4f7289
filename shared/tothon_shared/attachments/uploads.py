"""Storing an upload: cleaned by its content, then kept by its hash (an upload route and a demo's
seeded photos both go through here)."""

from __future__ import annotations

from datetime import datetime

from tothon_shared.attachments.processing import process
from tothon_shared.attachments.store import AttachmentStore, Upload
from tothon_shared.readstore.store import ReadStore


def store_upload(
    attachments: AttachmentStore,
    store: ReadStore,
    data: bytes,
    *,
    share_location: bool,
    uploader: str,
    at: datetime,
    max_bytes: int,
) -> Upload:
    """Clean ``data`` (refused with ``AttachmentError``) and keep it in ``attachments`` for
    ``uploader``; a photo's position only with ``share_location``."""
    return attachments.put(store, process(data, share_location, max_bytes), uploader, at)
