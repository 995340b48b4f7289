"""One map per service from its domain errors to problem details.

A domain error names a refusal by its class and, where one class covers several rules, by a
``code`` (a stable identifier, never text shown to anyone). The service's map says once which
status and catalogue key each becomes; the handler installed on the app answers every mapped
error raised by a route, in Vietnamese and English like any other problem. A route states an
override only where an error means something else there (``overriding``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tothon_shared.http.problems import ProblemError, answer_error, problem

# An error class, or an error class with one of its codes (which wins over the class alone).
ErrorKey = type[Exception] | tuple[type[Exception], str]


@dataclass(frozen=True)
class Refusal:
    """What a domain error becomes: a status and a catalogue key. ``{code}`` in the key is
    replaced by the error's code, for a class whose codes are the keys' last part."""

    status: int
    key: str
    title_key: str | None = None
    # Extra members of the problem taken from the error (the end of a lock, say).
    fields: Callable[[Any], Mapping[str, Any]] | None = None

    def problem(self, error: Exception) -> ProblemError:
        """The problem this refusal makes of ``error``."""
        key = self.key.format(code=code_of(error)) if "{code}" in self.key else self.key
        fields = dict(self.fields(error)) if self.fields else {}
        return ProblemError(self.status, key, self.title_key, **fields)


def code_of(error: BaseException) -> str | None:
    """The error's code, if its class gives it one."""
    code = getattr(error, "code", None)
    return str(code) if code is not None else None


class ErrorMap:
    """Error classes (and codes) to refusals; an error takes the entry of its nearest class."""

    def __init__(self, entries: Mapping[ErrorKey, Refusal]) -> None:
        self._entries = dict(entries)

    @property
    def classes(self) -> frozenset[type[Exception]]:
        """The error classes the map has an entry for (alone or with a code)."""
        return frozenset(key[0] if isinstance(key, tuple) else key for key in self._entries)

    def extended(self, entries: Mapping[ErrorKey, Refusal]) -> ErrorMap:
        """This map with more entries (theirs win): those of a shared capability a service adds,
        such as its attachments' (``tothon_shared.attachments.http``)."""
        return ErrorMap({**self._entries, **entries})

    def refusal(self, error: BaseException) -> Refusal | None:
        """The entry for ``error``: its class's with its code, else its class's, else its bases'."""
        code = code_of(error)
        for cls in type(error).__mro__:
            found = self._entries.get((cls, code)) if code is not None else None
            found = found or self._entries.get(cls)
            if found is not None:
                return found
        return None

    def problem(self, error: Exception) -> ProblemError | None:
        """The problem ``error`` becomes, or ``None`` when the map does not know it."""
        refusal = self.refusal(error)
        return refusal.problem(error) if refusal is not None else None


# What a route answers differently from its service's map.
Overrides = Mapping[ErrorKey, Refusal]


@contextmanager
def overriding(entries: Overrides) -> Iterator[None]:
    """Within a route where these errors mean something else than the service's map says, they
    become these problems; every other error goes on to the map."""
    try:
        yield
    except Exception as error:
        made = ErrorMap(entries).problem(error)
        if made is None:
            raise
        raise made from None


def install_error_map(app: FastAPI, errors: ErrorMap) -> None:
    """Answer every error of the map's classes raised by ``app``'s routes as its problem."""

    async def _mapped(request: Request, error: Exception) -> JSONResponse:
        try:
            made = errors.problem(error)
        except KeyError:  # a key the catalogue lacks: the map's own mistake, never half an answer
            made = None
        if made is None:  # nor a code the map does not list: an error like any unforeseen one
            return answer_error(request, error)
        response = problem(request, made.status, made.title_key, made.key, **made.fields)
        response.headers.update(made.headers)
        return response

    for cls in errors.classes:
        app.add_exception_handler(cls, _mapped)
