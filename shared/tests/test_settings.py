"""Settings fail fast: the demo's published secret never runs a real deployment."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tothon_shared.settings import Mode, Settings


def test_the_embedded_demo_may_use_the_demo_secret() -> None:
    assert Settings(mode=Mode.EMBEDDED).auth_secret


def test_a_distributed_deployment_refuses_the_demo_secret() -> None:
    with pytest.raises(ValidationError, match="TOTHON_AUTH_SECRET"):
        Settings(mode=Mode.DISTRIBUTED)


def test_a_distributed_deployment_starts_with_its_own_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOTHON_MODE", "distributed")
    monkeypatch.setenv("TOTHON_AUTH_SECRET", "x" * 40)
    monkeypatch.setenv("TOTHON_PG_PASSWORD", "y" * 30)
    assert Settings().mode is Mode.DISTRIBUTED


@pytest.mark.parametrize("password", ["", "tothon", "tothon-local-only"])
def test_a_distributed_deployment_refuses_a_published_database_password(
    monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    monkeypatch.setenv("TOTHON_PG_PASSWORD", password)
    with pytest.raises(ValidationError, match="TOTHON_PG_PASSWORD"):
        Settings(mode=Mode.DISTRIBUTED, auth_secret="x" * 40)
