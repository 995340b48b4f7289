"""The HTTP side every service shares: app factory, health, tracing, limits, security headers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.models import Dependant
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette._utils import get_route_path
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from tothon_shared.auth.http import Authenticator, required_permission, token_issuer_for, verifier_for
from tothon_shared.auth.roles import GeneralPermission, Permission
from tothon_shared.http.error_map import install_error_map
from tothon_shared.http.messages import CATALOGUE, GENERAL, Catalogue, Lang
from tothon_shared.http.openapi import complete_openapi
from tothon_shared.http.problems import answer_error, install_problem_handlers, language_of, problem_in
from tothon_shared.messaging.asyncapi import asyncapi_document

# A service declares larger limits for the routes that need them (``ServiceDefinition.body_limits``).
MAX_BODY_BYTES = 1_000_000

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def create_service_api(runtime: Any, lifespan: Any = None) -> FastAPI:
    """The FastAPI app of one service: its routers plus health, readiness and AsyncAPI."""
    definition = runtime.definition
    app = FastAPI(
        title=f"Tothon {definition.title}",
        version="0.1.0",
        lifespan=lifespan,
        description=f"The {definition.title} service of Tothon.",
        # A span per request (joining the caller's trace), not one more per dependency, endpoint
        # and serialisation: those tripled the spans of a lookup for detail nobody reads.
        telemetry={"operation_spans": False},
    )
    app.state.runtime = runtime
    # Problems and texts are looked up in the service's own messages and the general ones.
    app.state.catalogue = Catalogue(CATALOGUE, definition.messages)
    check = definition.session_check(runtime) if definition.session_check else None
    settings = runtime.settings
    # Only the registry holds a signing key; the others can verify, never issue.
    issuer = token_issuer_for(settings) if definition.issues_tokens else None
    app.state.token_issuer = issuer
    app.state.authenticator = Authenticator(verifier_for(settings, issuer.keys if issuer else None), check)
    install_problem_handlers(app)
    if definition.errors is not None:
        install_error_map(app, definition.errors)
    app.add_middleware(GuardMiddleware, limits=BodyLimits(definition.body_limits))
    if settings.trusted_proxies:
        # The client is the connecting address unless that is a trusted proxy (the ingress): then
        # the right-most address in X-Forwarded-For that is not one. Uvicorn's own handling of
        # the header is switched off (``proxy_headers=False``), so this is the only one.
        app.add_middleware(
            ProxyHeadersMiddleware, trusted_hosts=[str(network) for network in settings.trusted_proxies]
        )
    if runtime.settings.cors_origins:
        # An explicit allow-list, no cookies: tokens travel in the Authorization header.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=runtime.settings.cors_origins,
            allow_credentials=False,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept-Language", "X-Correlation-Id"],
            max_age=600,
        )
    routers = definition.routers(runtime)
    for router in routers:
        app.include_router(router)
    _check_declared(routers, definition.permissions)
    complete_openapi(app, routers)

    @app.get("/healthz", tags=["ops"])
    async def get_health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok", "service": definition.name}

    @app.get("/readyz", tags=["ops"], response_model=None)
    async def get_readiness(strict: bool = False) -> Response:
        """Readiness: the event store and read store answer. A projection with events parked or
        held is an alarm in the answer ("degraded"); the process still serves (what it shows is
        behind for those events only), so it stays ready unless ``strict`` asks for 503."""
        try:
            await run_in_threadpool(runtime.ready)
            alarms = await run_in_threadpool(runtime.alarms)
        except Exception:
            return JSONResponse({"status": "unavailable", "service": definition.name}, status_code=503)
        if not alarms:
            return JSONResponse({"status": "ready", "service": definition.name})
        body = {"status": "degraded", "service": definition.name, "alarms": alarms}
        return JSONResponse(body, status_code=503 if strict else 200)

    @app.get("/asyncapi.json", tags=["ops"])
    async def get_asyncapi() -> dict[str, Any]:
        """The AsyncAPI document of the events this service publishes and consumes."""
        settings = runtime.settings
        return asyncapi_document(definition, settings.topic_prefix, settings.kafka_bootstrap)

    return app


def _check_declared(routers: Sequence[APIRouter], declared: tuple[type[Permission], ...]) -> None:
    """Refuse to start a service one of whose routes requires a permission it did not declare:
    such a permission would be carried by no role, and the route forbidden to everyone."""
    known = {*GeneralPermission, *(permission for kind in declared for permission in kind)}
    for router in routers:
        for route in (route for route in router.routes if isinstance(route, APIRoute)):
            for permission in _required(route.dependant):
                if permission not in known:
                    raise ValueError(
                        f"{route.path} requires {permission!r}, which the service does not declare"
                    )


def _required(dependant: Dependant) -> Iterator[Permission]:
    for dependency in dependant.dependencies:
        permission = required_permission(dependency.call)
        if permission is not None:
            yield permission
        yield from _required(dependency)


class BodyLimits:
    """The largest request body each route takes: ``MAX_BODY_BYTES`` unless the service declared
    another for the route's path template."""

    def __init__(self, limits: Mapping[str, int]) -> None:
        self._limits = [(compile_path(path)[0], limit) for path, limit in limits.items()]

    def of(self, path: str) -> int:
        """The limit for a request to ``path`` (a trailing slash is the same route)."""
        path = path.rstrip("/") or "/"
        return next((limit for pattern, limit in self._limits if pattern.match(path)), MAX_BODY_BYTES)


class GuardMiddleware:
    """A body limit answered before the body is read, security headers on every response, and an
    answer to every error the routes' handlers did not take (``answer_error``: 503 when the
    database cannot answer now, else 500).

    That answer is given here, not by a handler of ``Exception``: Starlette runs such a handler in
    its outermost middleware and then raises the error again, for the server to log, and uvicorn
    then closes the connection, so a client keeping its connection alive lost it with every 500.

    A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` costs a task group and a stream
    per request, a large share of a small request's CPU. Server spans come from FastAPI's own
    OpenTelemetry support, which joins a caller's ``traceparent``."""

    def __init__(self, app: ASGIApp, limits: BodyLimits | None = None) -> None:
        self.app = app
        self.limits = limits or BodyLimits({})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length", "")
        limit = self.limits.of(get_route_path(scope))
        lang = language_of(headers.get("accept-language"))
        if length.isdigit() and int(length) > limit:
            await _too_large(lang)(scope, receive, send)
            return
        if not length.isdigit() and headers.get("transfer-encoding", "").lower() == "chunked":
            # A body sent without a length is read here first, up to the limit, then handed on.
            body = await _read_upto(receive, limit)
            if body is None:
                await _too_large(lang)(scope, receive, send)
                return
            receive = _replay(body)

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as error:
            if started:
                raise  # half an answer was sent: only closing the connection can end it
            await answer_error(Request(scope), error)(scope, receive, send_with_headers)


async def _read_upto(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _too_large(lang: Lang) -> JSONResponse:
    return problem_in(lang, GENERAL, 413, "too_large.title", "too_large.detail")


_SECURITY_HEADERS = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
