"""RFC 9457 problem details, with Vietnamese and English text, that leak nothing internal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from tothon_shared.http.messages import GENERAL, Catalogue, Lang
from tothon_shared.readstore.recent import ProjectionBehindError
from tothon_shared.runtime.outage import OutageLog, database_unavailable

log = structlog.get_logger(__name__)
PROBLEM_JSON = "application/problem+json"
# When a client told the database is unavailable may ask again (the pools' waits are seconds).
RETRY_AFTER_SECONDS = 5


class ProblemError(Exception):
    """A use-case refusal with a catalogue message; becomes a problem-details response."""

    def __init__(
        self,
        status: int,
        key: str,
        title_key: str | None = None,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> None:
        # The key, not a text: the message is the catalogue of the service answering (``catalogue_of``).
        super().__init__(key)
        self.status = status
        self.key = key
        self.title_key = title_key or _default_title(status)
        self.headers = headers or {}
        self.fields = fields


def _default_title(status: int) -> str:
    return {
        401: "unauthorized.title",
        403: "forbidden.title",
        404: "not_found.title",
        409: "conflict.title",
        413: "too_large.title",
        423: "locked.title",
        429: "rate_limited.title",
        503: "unavailable.title",
    }.get(status, "validation.title")


def language_of(accept_language: str | None) -> Lang:
    """Vietnamese unless the ``Accept-Language`` header prefers English."""
    return "en" if (accept_language or "vi").lower().startswith("en") else "vi"


def language(request: Request) -> Lang:
    """The language of the answer to ``request``."""
    return language_of(request.headers.get("accept-language"))


def catalogue_of(request: Request) -> Catalogue:
    """The messages of the service answering ``request`` (set by ``http.web.create_service_api``):
    the general ones and the service's own. An app that is no service's has the general ones."""
    app = request.scope.get("app")
    return getattr(getattr(app, "state", None), "catalogue", GENERAL)


def problem(
    request: Request, status: int, title_key: str, detail_key: str | None, **extra: Any
) -> JSONResponse:
    """A problem-details response in the client's language, with the other language beside it."""
    return problem_in(language(request), catalogue_of(request), status, title_key, detail_key, **extra)


def problem_in(
    lang: Lang, catalogue: Catalogue, status: int, title_key: str, detail_key: str | None, **extra: Any
) -> JSONResponse:
    """``problem`` where there is no request yet (a body refused before routing), in ``lang``."""
    text = catalogue.text
    body: dict[str, Any] = {
        "type": f"https://tothon.vn/problems/{title_key.split('.')[0].replace('_', '-')}",
        "title": text(title_key, lang),
        "status": status,
        "title_vi": text(title_key, "vi"),
        "title_en": text(title_key, "en"),
    }
    if detail_key:
        body |= {
            "detail": text(detail_key, lang),
            "detail_vi": text(detail_key, "vi"),
            "detail_en": text(detail_key, "en"),
            "code": detail_key,
        }
    body |= extra
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _field_error(error: Mapping[str, Any], lang: Lang, catalogue: Catalogue) -> dict[str, Any]:
    """A field's error: where, and what; in both languages when the project's own validators
    refused it (unsafe text, a name without letters, a date in the future)."""
    entry: dict[str, Any] = {
        "field": ".".join(str(p) for p in error.get("loc", ())[1:]),
        "message": error.get("msg", ""),
    }
    vi, en = catalogue.field_message(error, "vi"), catalogue.field_message(error, "en")
    if vi is not None and en is not None:
        entry |= {"message": vi if lang == "vi" else en, "message_vi": vi, "message_en": en}
        entry["code"] = error["type"]
    return entry


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error as problem details."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, error: ProblemError) -> JSONResponse:
        response = problem(request, error.status, error.title_key, error.key, **error.fields)
        response.headers.update(error.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        lang = language(request)
        catalogue = catalogue_of(request)
        errors = [_field_error(e, lang, catalogue) for e in error.errors()]
        return problem(request, 422, "validation.title", "validation.detail", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        title = _default_title(error.status_code) if error.status_code >= 400 else "validation.title"
        if error.status_code == 405:
            title = "method_not_allowed.title"
        response = problem(request, error.status_code, title, None)
        # Starlette's own headers stay: ``Allow`` on a 405 says which methods the path takes.
        response.headers.update(error.headers or {})
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        # Reached only by an error raised outside the routes (``answer_error`` takes the rest).
        return answer_error(request, error)


# One per process: an outage makes every request fail, and each need not say so. (Requests that
# succeed are not reported to it: a quiet interval starts the next report afresh.)
_database_down = OutageLog(log, "http.database_unavailable")


def answer_error(request: Request, error: Exception) -> JSONResponse:
    """The answer to an error no handler took: 503 with ``Retry-After`` when the database cannot
    answer now (a refused or lost connection, a pool or statement timeout) or a read model has not
    yet shown what was just written, else a logged 500."""
    if database_unavailable(error):
        _database_down.failed(error)
        response = problem(request, 503, "unavailable.title", "database_unavailable.detail")
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if isinstance(error, ProjectionBehindError):  # written, not yet readable: soon it will be
        response = problem(request, 503, "unavailable.title", "projection_behind.detail")
        response.headers["Retry-After"] = "1"
        return response
    log.error("http.unhandled_error", path=request.url.path, exc_info=error)
    return problem(request, 500, "server_error.title", "server_error.detail")
