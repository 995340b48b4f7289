"""Log lines written inside a traced operation carry its trace and span ids."""

from __future__ import annotations

import json

import pytest
import structlog

from tothon_shared.telemetry import setup_logging, setup_tracing, tracer


def test_log_lines_carry_the_trace_id(capsys: pytest.CaptureFixture[str]) -> None:
    setup_tracing("test", None)
    structlog.reset_defaults()  # other tests may have cached loggers bound to another stream
    setup_logging("INFO", json_lines=True)
    with tracer("test").start_as_current_span("work") as span:
        structlog.get_logger("test").info("household.registered", household="HO-001")
        trace_id = format(span.get_span_context().trace_id, "032x")
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["event"] == "household.registered"
    assert line["trace_id"] == trace_id
