"""The base of every service's domain errors: a refusal named by a code."""

from __future__ import annotations


class CodedError(Exception):
    """A domain's refusal. Where one class covers several rules, ``code`` names the rule broken: a
    stable identifier the service's error map (``tothon_shared.http.error_map``) turns into a
    message, never text shown to anyone (the message is for logs)."""

    code: str | None = None

    def __init__(self, *args: object, code: str | None = None) -> None:
        super().__init__(*(args or (code,)))
        if code is not None:
            self.code = code
