"""Settings fail fast: the demo's published secrets never run a real deployment."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tothon_shared.runtime.settings import Mode, Settings


def test_a_distributed_deployment_starts_with_its_own_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOTHON_MODE", "distributed")
    monkeypatch.setenv("TOTHON_PG_PASSWORD", "y" * 30)
    assert Settings().mode is Mode.DISTRIBUTED


@pytest.mark.parametrize("password", ["", "tothon", "tothon-local-only"])
def test_a_distributed_deployment_refuses_a_published_database_password(
    monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    monkeypatch.setenv("TOTHON_PG_PASSWORD", password)
    with pytest.raises(ValidationError, match="TOTHON_PG_PASSWORD"):
        Settings(mode=Mode.DISTRIBUTED)


def test_trusted_proxies_are_networks_and_none_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().trusted_proxies == []
    monkeypatch.setenv("TOTHON_TRUSTED_PROXIES", '["10.244.0.0/16", "192.0.2.7"]')
    assert [str(n) for n in Settings().trusted_proxies] == ["10.244.0.0/16", "192.0.2.7/32"]
    monkeypatch.setenv("TOTHON_TRUSTED_PROXIES", '["not-an-address"]')
    with pytest.raises(ValidationError):
        Settings()
