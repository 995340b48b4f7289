"""Fixtures of the feedback API's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from feedback_city import City, Feedback, city_of


@pytest.fixture
def feedback(tmp_path: Path) -> Iterator[Feedback]:
    service = Feedback(tmp_path)
    yield service
    service.close()


@pytest.fixture
def city(feedback: Feedback) -> City:
    return city_of(feedback)
