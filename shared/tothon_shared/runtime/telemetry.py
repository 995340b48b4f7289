"""Tracing and structured logs: one trace from the HTTP request through the event store and the
bus into the consumer; log lines carry the trace and span ids."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, MutableMapping
from typing import Any

import structlog
from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

_provider: TracerProvider | None = None
_meter_provider: MeterProvider | None = None


def setup_tracing(service: str, otlp_endpoint: str | None) -> TracerProvider:
    """Install one tracer provider per process; export over OTLP only when an endpoint is set."""
    global _provider
    if _provider is None:
        _provider = TracerProvider(resource=Resource.create({"service.name": service}))
        trace.set_tracer_provider(_provider)
    if otlp_endpoint:
        add_otlp_exporter(otlp_endpoint)
        setup_metrics(service, otlp_endpoint)
    return _provider


def setup_metrics(service: str, otlp_endpoint: str) -> None:
    """Export the process's metrics (the projections' failures) over OTLP, once per process."""
    global _meter_provider
    if _meter_provider is None:
        _meter_provider = otlp_meter_provider(service, otlp_endpoint)
        metrics.set_meter_provider(_meter_provider)


def otlp_meter_provider(service: str, endpoint: str, interval_ms: int = 60_000) -> MeterProvider:
    """Metrics exported over OTLP/HTTP to ``endpoint`` (a collector's base URL) every interval."""
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

    exporter = OTLPMetricExporter(endpoint=f"{endpoint.rstrip('/')}/v1/metrics")
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=interval_ms)
    return MeterProvider(resource=Resource.create({"service.name": service}), metric_readers=[reader])


def add_otlp_exporter(endpoint: str) -> SpanProcessor:
    """Export spans over OTLP/HTTP to ``endpoint`` (a collector's base URL)."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    processor = BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces"))
    add_span_processor(processor)
    return processor


def add_span_processor(processor: SpanProcessor) -> None:
    """Attach another span processor (tests attach an in-memory exporter)."""
    if _provider is None:
        setup_tracing("tothon", None)
    assert _provider is not None  # set just above; for the type checker
    _provider.add_span_processor(processor)


def tracer(name: str) -> trace.Tracer:
    """A tracer of the process-wide provider."""
    return trace.get_tracer(name)


def _add_trace_ids(
    _logger: Any, _name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict["trace_id"] = format(context.trace_id, "032x")
        event_dict["span_id"] = format(context.span_id, "016x")
    return event_dict


# The Kafka clients log every attempt to reach a broker that is down: aiokafka ten times a second,
# so that an outage of a few minutes was thousands of lines.
CHATTY_LIBRARIES = ("aiokafka", "kafka")


class RepeatsLeftOut(logging.Filter):
    """Lets a chatty library's line of one kind (its logger and message template) through once
    per ``interval`` seconds, the next one saying how many like it were left out."""

    def __init__(
        self,
        libraries: tuple[str, ...] = CHATTY_LIBRARIES,
        interval: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._libraries = libraries
        self._interval = interval
        self._clock = clock
        self._seen: dict[tuple[str, str], tuple[float, int]] = {}  # kind: (last let through, left out)
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(self._libraries):
            return True
        kind = (record.name, str(record.msg))
        now = self._clock()
        with self._lock:
            last, left_out = self._seen.get(kind, (None, 0))
            if last is not None and now - last < self._interval:
                self._seen[kind] = (last, left_out + 1)
                return False
            self._seen[kind] = (now, 0)
        if left_out:
            record.msg = f"{record.msg} [{left_out} like it left out]"
        return True


def setup_logging(level: str = "INFO", json_lines: bool = False) -> None:
    """Structured logs to stderr, as JSON lines in deployments or readable lines on a laptop; the
    Kafka clients' lines from warnings up, each kind at most once every 30 s."""
    logging.basicConfig(stream=sys.stderr, level=level.upper(), format="%(message)s")
    for library in CHATTY_LIBRARIES:
        logging.getLogger(library).setLevel(max(logging.WARNING, logging.getLevelName(level.upper())))
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RepeatsLeftOut) for f in handler.filters):
            handler.addFilter(RepeatsLeftOut())
    renderer: Any = (
        structlog.processors.JSONRenderer() if json_lines else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _add_trace_ids,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
