"""Distributed: a service fetches the registry's public keys over HTTP. Started before the
registry it answers 503 (never 500) until it has them; when the registry rotates its key, the
running service keeps accepting the old key's tokens and picks up the new key without a restart."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from deployments import ADMIN_PASSWORD, TOKEN_KEYS, Deployment, ServiceProcess
from joserfc import jwt
from joserfc.jwk import OKPKey

from tothon_shared.auth.keys import SigningKeys, import_key, new_signing_key

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


def _sign_in(registry: ServiceProcess) -> str:
    signed_in = registry.post("/api/v1/auth/sign-in", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    return str(signed_in.json()["access_token"])


def _answer(funds: ServiceProcess, token: str) -> httpx.Response:
    # The city's IT administrator may not read the directory: 403 proves the token was accepted.
    bearer = {"Authorization": f"Bearer {token}"}
    return httpx.get(f"{funds.url}/api/v1/directory/units", headers=bearer, timeout=10)


def _kid_of(token: str) -> str:
    return str(json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["kid"])


def _accepted(funds: ServiceProcess, token: str) -> bool:
    return _answer(funds, token).status_code == 403


def test_a_service_waits_for_the_registrys_keys_and_follows_its_rotation(
    deployment: Deployment, eventually: Callable[..., Any]
) -> None:
    funds = deployment.start("funds", "api")  # the registry is not up yet
    stranger = OKPKey.generate_key("Ed25519", parameters={"kid": "k"})
    early = jwt.encode({"alg": "Ed25519", "kid": "k"}, {"sub": "x"}, stranger, algorithms=["Ed25519"])
    waiting = _answer(funds, early)
    assert waiting.status_code == 503
    assert waiting.json()["code"] == "auth.keys_unavailable"
    assert waiting.headers["retry-after"]

    deployment.bootstrap()
    registry = deployment.start("registry", "api")
    old_token = _sign_in(registry)
    eventually(lambda: _accepted(funds, old_token), what="funds fetching the registry's keys")
    assert _answer(funds, early).status_code == 401  # keys known: a stranger's token is refused

    # Rotation: the registry restarts signing with a new key and still publishing the old one.
    old = import_key(deployment.env["TOTHON_TOKEN_SIGNING_KEY"], private=True)
    new = new_signing_key()
    registry.stop()
    assert _accepted(funds, old_token)  # the registry down: the keys known still serve
    registry = deployment.start(
        "registry",
        "api",
        TOTHON_TOKEN_SIGNING_KEY=json.dumps(new.as_dict(private=True)),
        TOTHON_TOKEN_OTHER_KEYS=json.dumps(SigningKeys(old).jwks()),
    )
    published = httpx.get(f"{registry.url}{TOKEN_KEYS}", timeout=10).json()
    assert [k["kid"] for k in published["keys"]] == [new.kid, old.kid]
    new_token = _sign_in(registry)
    assert _kid_of(new_token) == new.kid
    eventually(lambda: _accepted(funds, new_token), what="funds picking up the new key")
    assert _accepted(funds, old_token)  # the overlap: the old key's tokens still pass
    assert "Traceback" not in funds.output()
