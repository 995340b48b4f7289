"""Running a use case from a route: as the request's actor, off the event loop, conflicts as 409."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from eventsourcing.persistence import IntegrityError
from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from tothon_shared.eventstore.context import acting_as
from tothon_shared.http.problems import ProblemError
from tothon_shared.runtime.telemetry import tracer

P = ParamSpec("P")
R = TypeVar("R")

# The actor of requests made without signing in (sign-in itself, public reads).
ANONYMOUS = "anonymous"


async def run_command(request: Request, use_case: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``use_case`` in the thread pool (``eventsourcing`` is synchronous) as the caller.

    The command's span is active when the context is captured, so the events it stores carry it
    and the relay's and consumers' spans join the request's trace."""
    name = getattr(use_case, "__name__", "use_case")
    principal = getattr(request.state, "principal", None)
    actor = str(principal.account_id) if principal is not None else ANONYMOUS
    with (
        tracer(__name__).start_as_current_span(f"command {name}"),
        acting_as(actor, correlation_id=request.headers.get("x-correlation-id")),
    ):
        try:
            return await run_in_threadpool(use_case, *args, **kwargs)
        except IntegrityError:
            raise ProblemError(409, "conflict.detail", "conflict.title") from None
