"""The alarm raised while a projection has failures waiting: in the readiness answer, and as the
OpenTelemetry gauge ``tothon.projection.failures`` (events by service, projection and status)
that a worker reports while it runs; alert on ``status="parked"`` above zero."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import structlog
from opentelemetry import metrics
from opentelemetry.metrics import CallbackOptions, Meter, Observation

from tothon_shared.readstore.projection_failures import error_text, open_counts
from tothon_shared.readstore.store import ReadStore

log = structlog.get_logger(__name__)
GAUGE = "tothon.projection.failures"

_watched: dict[str, ReadStore] = {}
_observed: set[int] = set()  # the meters the gauge is registered with (by id)


def alarms(store: ReadStore) -> list[dict[str, Any]]:
    """One alarm per projection with events failing, parked or held, with how many of each."""
    with store.transaction() as session:
        counts = open_counts(session, store.failures)
    by_projection: dict[str, dict[str, Any]] = {}
    for projection, status, events in counts:
        alarm = by_projection.setdefault(
            projection, {"alarm": "projection_failures", "projection": projection}
        )
        alarm[status] = events
    return list(by_projection.values())


def watch(service: str, store: ReadStore, meter: Meter | None = None) -> None:
    """Report ``service``'s projection failures through the gauge (on the process's meter)."""
    _watched[service] = store
    meter = meter or metrics.get_meter(__name__)
    if id(meter) not in _observed:
        _observed.add(id(meter))
        meter.create_observable_gauge(
            GAUGE, [_observe], unit="{event}", description="Projection events failing, parked or held"
        )


def unwatch(service: str) -> None:
    """Stop reporting ``service`` (its worker stopped)."""
    _watched.pop(service, None)


def _observe(_options: CallbackOptions) -> Iterable[Observation]:
    observations = []
    for service, store in list(_watched.items()):
        try:
            with store.transaction() as session:
                counts = open_counts(session, store.failures)
        except Exception as error:  # a database that does not answer has its own alarm
            log.warning("projection.alarm_unreadable", service=service, error=error_text(error))
            continue
        observations += [
            Observation(n, {"service": service, "projection": p, "status": s}) for p, s, n in counts
        ]
    return observations
