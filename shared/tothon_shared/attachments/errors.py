"""Refusals of an uploaded file, by code: ``too_large`` (the file, or several files together),
``unsupported_type`` (neither a photo nor a PDF, whatever its name says), ``too_many_pixels`` (a
decompression bomb, or simply too big a picture), ``broken`` (a photo that does not decode),
``unknown`` (a reference to no upload of the caller's)."""

from __future__ import annotations

from tothon_shared.kernel.errors import CodedError


class AttachmentError(CodedError):
    """An uploaded file, or a reference to one, that is refused; ``code`` names why."""
