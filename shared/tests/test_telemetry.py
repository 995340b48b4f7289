"""Log lines written inside a traced operation carry its trace and span ids."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import structlog
from opentelemetry.metrics import CallbackOptions, Observation

from tothon_shared.runtime.telemetry import (
    add_otlp_exporter,
    otlp_meter_provider,
    setup_logging,
    setup_tracing,
    tracer,
)


def test_log_lines_carry_the_trace_id(capsys: pytest.CaptureFixture[str]) -> None:
    setup_tracing("test", None)
    structlog.reset_defaults()  # other tests may have cached loggers bound to another stream
    setup_logging("INFO", json_lines=True)
    try:
        with tracer("test").start_as_current_span("work") as span:
            structlog.get_logger("test").info("household.registered", household="HO-001")
            trace_id = format(span.get_span_context().trace_id, "032x")
        line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    finally:
        structlog.reset_defaults()  # its stream (captured for this test) closes after it
    assert line["event"] == "household.registered"
    assert line["trace_id"] == trace_id


@contextmanager
def _collector() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    """An OTLP/HTTP receiver on a free port: its URL, and the (path, body) of each export."""
    received: list[tuple[str, bytes]] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, body))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", received
    finally:
        server.shutdown()


def test_spans_are_exported_over_otlp_when_an_endpoint_is_set() -> None:
    with _collector() as (url, received):
        _export_a_span(url)
    assert received
    path, body = received[0]
    assert path == "/v1/traces"
    assert b"registered household HO-42" in body


def _export_a_span(url: str) -> None:
    processor = add_otlp_exporter(url)
    try:
        with tracer("test").start_as_current_span("registered household HO-42"):
            pass
        assert processor.force_flush(10_000)
    finally:
        processor.shutdown()


def test_metrics_are_exported_over_otlp_when_an_endpoint_is_set() -> None:
    def parked(_options: CallbackOptions) -> list[Observation]:
        return [Observation(1, {"projection": "registry-lookup", "status": "parked"})]

    with _collector() as (url, received):
        provider = otlp_meter_provider("test", url)
        try:
            provider.get_meter("test").create_observable_gauge("tothon.projection.failures", [parked])
            assert provider.force_flush(10_000)
        finally:
            provider.shutdown()
    path, body = received[0]
    assert path == "/v1/metrics"
    assert b"tothon.projection.failures" in body
    assert b"registry-lookup" in body
