"""Why a read (or the lookup before a command) was refused: a code the API's error map turns
into a problem, so that the query modules need not know HTTP."""

from __future__ import annotations


class ReadRefusedError(Exception):
    """A read refused; ``code`` names why (``person_not_found``, ``search_empty``…)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
