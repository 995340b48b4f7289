"""How large an upload, and several a service takes together, may be: defaults a deployment may
change through its environment, under the variable names each service gives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """One file's bytes, and the bytes of the files one thing cites together (a feedback case's)."""

    file_bytes: int = 10 * MB
    together_bytes: int = 25 * MB

    @classmethod
    def from_env(cls, env: Mapping[str, str], file: str, together: str) -> Limits:
        """The deployment's limits from the variables ``file`` and ``together``, the defaults where
        it sets none."""
        default = cls()
        return cls(
            file_bytes=int(env.get(file, default.file_bytes)),
            together_bytes=int(env.get(together, default.together_bytes)),
        )
