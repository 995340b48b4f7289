"""A service's OpenAPI document as complete as its code: every problem a route answers, with the
problem-details schema, and the bearer scheme its authentication uses.

A route declares the problems of its own making (``responses=problems(404, 409)``); those its
dependencies and the edge add are derived from the route: 401 where a bearer token is needed,
403 where a permission is required, 422 where there is input to validate, 400 and 413 where there
is a body (unparsable, or past the size limit), 503 where the stores are asked (they may be
unreachable), 409 where a command is run (another may have changed the same record meanwhile).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.routing import compile_path
from starlette.types import Scope

from tothon_shared.auth.http import required_permission
from tothon_shared.http.problems import PROBLEM_JSON, problem

_REF = "#/components/schemas/{model}"

_DESCRIPTIONS = {
    400: "The body cannot be parsed (not JSON).",
    401: "Not signed in: the bearer token is missing, invalid, expired or revoked.",
    403: "Signed in, but not allowed this here (outside the units you serve, or not your role).",
    404: "Not found (or not known to this service yet).",
    409: "In conflict with what is recorded.",
    413: "The request body is too large.",
    422: "The input is not valid.",
    423: "The account is locked for a while after failed sign-ins.",
    429: "Too many requests; try again after Retry-After seconds.",
    503: "A store this service needs does not answer; try again shortly.",
}


class FieldProblem(BaseModel):
    """What is wrong with one field of the input."""

    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem, in the client's language with both languages beside it."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int = Field(ge=400, le=599)
    title_vi: str
    title_en: str
    detail: str | None = None
    detail_vi: str | None = None
    detail_en: str | None = None
    code: str | None = Field(default=None, description="The message's key, stable for clients.")
    errors: list[FieldProblem] | None = Field(default=None, description="The fields found invalid (422).")


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each of ``statuses`` is answered with a problem."""
    return {status: _problem(status) for status in statuses}


def _problem(status: int) -> dict[str, Any]:
    return {
        "description": _DESCRIPTIONS.get(status, "A problem."),
        "content": {PROBLEM_JSON: {"schema": {"$ref": _REF.format(model="Problem")}}},
    }


def complete_openapi(app: FastAPI, routers: Sequence[APIRouter]) -> None:
    """Make ``app``'s document list what the routes of ``app`` and of ``routers`` (included without
    a prefix) answer because of their dependencies and the edge."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            # The routers' own routes: FastAPI keeps an included router whole in ``app.routes``.
            _complete(generate(), [*app.routes, *(route for r in routers for route in r.routes)])
        assert app.openapi_schema is not None  # generate() keeps what it made
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    async def not_allowed(request: Request, error: Exception) -> Response:
        # Starlette names the methods of the first route matching the path only (POST of a path
        # that also takes GET): every method the document lists for the path is named instead.
        assert isinstance(error, HTTPException)
        allowed = _methods_at(app.openapi()["paths"], _route_path(request.scope))
        headers = {**(error.headers or {}), **({"Allow": ", ".join(allowed)} if allowed else {})}
        response = problem(request, 405, "method_not_allowed.title", None)
        response.headers.update(headers)
        return response

    app.add_exception_handler(405, not_allowed)


def _route_path(scope: Scope) -> str:
    """The path as the app's routes see it (without the prefix it is mounted at)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _methods_at(paths: dict[str, Any], path: str) -> list[str]:
    for template, operations in paths.items():
        if compile_path(template)[0].match(path):
            return sorted(method.upper() for method in operations)
    return []


def _complete(document: dict[str, Any], routes: Iterable[Any]) -> None:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template=_REF)
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for route in routes:
        if not isinstance(route, APIRoute) or route.path_format not in document["paths"]:
            continue
        for method in route.methods or ():
            operation = document["paths"][route.path_format][method.lower()]
            responses = operation.setdefault("responses", {})
            for status in _derived(route, method, operation):
                # FastAPI's own 422 (a list of pydantic errors as JSON) is not what is answered.
                if status == 422 or str(status) not in responses:
                    responses[str(status)] = _problem(status)
    if not _mentions(document["paths"], "HTTPValidationError"):
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)


def _derived(route: APIRoute, method: str, operation: dict[str, Any]) -> list[int]:
    statuses = []
    if operation.get("security"):
        statuses.append(401)
    if _any_dependency(route.dependant, lambda call: required_permission(call) is not None):
        statuses.append(403)
    if operation.get("parameters") or "requestBody" in operation:
        statuses.append(422)
    if "requestBody" in operation:
        statuses += [400, 413]
    if route.path_format.startswith("/api/"):
        statuses.append(503)
        if method != "GET":
            # A command whose aggregate another request saved meanwhile (``run_command``).
            statuses.append(409)
    return statuses


def _any_dependency(dependant: Dependant, found: Callable[[object], bool]) -> bool:
    return any(found(d.call) or _any_dependency(d, found) for d in dependant.dependencies)


def _mentions(value: object, name: str) -> bool:
    if isinstance(value, dict):
        return any(_mentions(v, name) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, name) for v in value)
    return isinstance(value, str) and value.endswith(f"/{name}")
