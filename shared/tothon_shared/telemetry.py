"""Tracing and structured logs: one trace from the HTTP request through the event store and the
bus into the consumer; log lines carry the trace and span ids."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
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


def setup_logging(level: str = "INFO", json_lines: bool = False) -> None:
    """Structured logs to stderr, as JSON lines in deployments or readable lines on a laptop."""
    logging.basicConfig(stream=sys.stderr, level=level.upper(), format="%(message)s")
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
