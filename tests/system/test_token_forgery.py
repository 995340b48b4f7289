"""Only the registry issues tokens: every other service accepts the registry's and refuses one
signed by anybody else, whatever it claims (embedded suite, one process)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import OctKey, OKPKey

from tothon.embedded import build_embedded
from tothon.seed import DEMO_PASSWORD
from tothon_shared.runtime.settings import Settings

SERVICES = ("funds", "communication", "feedback")
# The shared secret the embedded demo signed with before, published in the source code.
OLD_DEMO_SECRET = "tothon-embedded-demo-secret-never-use-in-production"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), poll_interval_seconds=0.02)
    with TestClient(build_embedded(settings).app) as client:
        yield client


@pytest.fixture(scope="module")
def token(client: TestClient) -> str:
    signed_in = client.post(
        "/registry/api/v1/auth/sign-in", json={"username": "phuong.haichau", "password": DEMO_PASSWORD}
    )
    assert signed_in.status_code == 200, signed_in.text
    return str(signed_in.json()["access_token"])


def _part(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _claims_and_kid(token: str) -> tuple[dict[str, Any], str]:
    header, payload, _ = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    return claims, json.loads(base64.urlsafe_b64decode(header + "=="))["kid"]


def _forgeries(token: str, public_key: str) -> dict[str, str]:
    """Tokens claiming exactly what the registry's claims, signed by somebody else."""
    claims, kid = _claims_and_kid(token)
    stranger = OKPKey.generate_key("Ed25519")
    return {
        "a stranger's Ed25519 key under the registry's kid": jwt.encode(
            {"alg": "Ed25519", "kid": kid}, claims, stranger, algorithms=["Ed25519"]
        ),
        "a stranger's key under its own kid": jwt.encode(
            {"alg": "Ed25519", "kid": "attacker"}, claims, stranger, algorithms=["Ed25519"]
        ),
        "the old shared demo secret (HS256)": jwt.encode(
            {"alg": "HS256", "typ": "JWT"}, claims, OctKey.import_key(OLD_DEMO_SECRET)
        ),
        "HS256 with the registry's public key as the secret": jwt.encode(
            {"alg": "HS256", "kid": kid}, claims, OctKey.import_key(public_key)
        ),
        "no signature (alg none)": f"{_part({'alg': 'none', 'kid': kid})}.{_part(claims)}.",
    }


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_accepts_the_registrys_token_and_refuses_forged_ones(
    client: TestClient, token: str, service: str
) -> None:
    units = f"/{service}/api/v1/directory/units"
    assert client.get(units, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    [published] = client.get("/registry/api/v1/auth/jwks.json").json()["keys"]
    for how, forged in _forgeries(token, published["x"]).items():
        refused = client.get(units, headers={"Authorization": f"Bearer {forged}"})
        assert refused.status_code == 401, how
        assert refused.json()["code"] == "auth.invalid", how


def test_the_registry_publishes_its_public_keys_to_anyone(client: TestClient, token: str) -> None:
    published = client.get("/registry/api/v1/auth/jwks.json")
    assert published.status_code == 200
    [key] = published.json()["keys"]
    assert key["kid"] == _claims_and_kid(token)[1]
    assert (key["kty"], key["crv"]) == ("OKP", "Ed25519")
    assert "d" not in key


def test_the_embedded_key_is_kept_in_the_data_folder_across_restarts(tmp_path: Path) -> None:
    def kids() -> list[str]:
        with TestClient(build_embedded(Settings(data_dir=tmp_path), seed=False).app) as client:
            return [k["kid"] for k in client.get("/registry/api/v1/auth/jwks.json").json()["keys"]]

    assert kids() == kids()
