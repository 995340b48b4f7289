"""How large an upload and a case's files may be: defaults a deployment may change through its
environment (``TOTHON_FEEDBACK_MAX_FILE_BYTES``, ``TOTHON_FEEDBACK_MAX_CASE_BYTES``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """One file's bytes, and a case's files' bytes together (five files at most: the API says)."""

    file_bytes: int = 10 * MB
    case_bytes: int = 25 * MB

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Limits:
        """The deployment's limits, the defaults where it sets none."""
        default = cls()
        return cls(
            file_bytes=int(env.get("TOTHON_FEEDBACK_MAX_FILE_BYTES", default.file_bytes)),
            case_bytes=int(env.get("TOTHON_FEEDBACK_MAX_CASE_BYTES", default.case_bytes)),
        )


LIMITS = Limits.from_env(os.environ)
