"""Fixtures for the system tests: polling for eventual consistency."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")


def wait_for(probe: Callable[[], T | None], timeout: float = 20.0, what: str = "condition") -> T:
    """Poll ``probe`` until it returns something truthy; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout}s waiting for {what}; last value: {last!r}")


@pytest.fixture
def eventually() -> Callable[..., object]:
    """``eventually(probe, timeout=..., what=...)``: poll until the probe holds."""
    return wait_for
