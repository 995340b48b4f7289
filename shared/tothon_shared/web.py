"""The HTTP side every service shares: app factory, health, tracing, limits, security headers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from opentelemetry import propagate, trace

from tothon_shared.asyncapi import asyncapi_document
from tothon_shared.messages import text
from tothon_shared.problems import PROBLEM_JSON, install_problem_handlers, language
from tothon_shared.telemetry import tracer

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
    )
    app.state.runtime = runtime
    install_problem_handlers(app)
    app.middleware("http")(_observe)
    for router in definition.routers(runtime):
        app.include_router(router)

    @app.get("/healthz", tags=["ops"])
    async def get_health() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok", "service": definition.name}

    @app.get("/readyz", tags=["ops"], response_model=None)
    async def get_readiness() -> Response:
        """Readiness: the event store and read store answer."""
        try:
            await run_in_threadpool(runtime.ready)
        except Exception:
            return JSONResponse({"status": "unavailable", "service": definition.name}, status_code=503)
        return JSONResponse({"status": "ready", "service": definition.name})

    @app.get("/asyncapi.json", tags=["ops"])
    async def get_asyncapi() -> dict[str, Any]:
        """The AsyncAPI document of the events this service publishes and consumes."""
        settings = runtime.settings
        return asyncapi_document(definition, settings.topic_prefix, settings.kafka_bootstrap)

    return app


async def _observe(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """One server span per request (joining the caller's trace), a body limit, security headers."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
        lang = language(request)
        return JSONResponse(
            {
                "type": "https://tothon.vn/problems/too-large",
                "status": 413,
                "title": text("too_large.title", lang),
            },
            status_code=413,
            media_type=PROBLEM_JSON,
        )
    parent = propagate.extract(dict(request.headers))
    route = f"{request.method} {request.url.path}"
    with tracer(__name__).start_as_current_span(route, context=parent, kind=trace.SpanKind.SERVER) as span:
        response = await call_next(request)
        span.set_attribute("http.response.status_code", response.status_code)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
