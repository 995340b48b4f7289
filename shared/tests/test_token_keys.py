"""The registry's signing key: where it comes from, and that a deployment cannot start without one."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from joserfc.jwk import ECKey, OKPKey
from pydantic import SecretStr

from tothon_shared.auth.http import token_issuer_for, verifier_for
from tothon_shared.auth.keys import (
    SigningKeyError,
    SigningKeys,
    import_key,
    new_signing_key,
    signing_keys_from,
)
from tothon_shared.runtime.settings import Mode, Settings

DISTRIBUTED: dict[str, Any] = {"mode": Mode.DISTRIBUTED, "pg_password": "y" * 30}


def test_the_embedded_demo_makes_its_key_once_and_keeps_it_private(tmp_path: Path) -> None:
    first = signing_keys_from(Settings(data_dir=tmp_path))
    again = signing_keys_from(Settings(data_dir=tmp_path))
    assert first.current.kid == again.current.kid
    [kept] = tmp_path.glob("token-signing-key.json")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_a_deployment_without_a_signing_key_stops_the_registry_with_the_reason() -> None:
    with pytest.raises(SigningKeyError, match="TOTHON_TOKEN_SIGNING_KEY"):
        token_issuer_for(Settings(**DISTRIBUTED))


def test_a_service_without_the_registrys_key_set_url_stops_with_the_reason() -> None:
    with pytest.raises(SigningKeyError, match="TOTHON_TOKEN_JWKS_URL"):
        verifier_for(Settings(**DISTRIBUTED))


def test_a_signing_key_is_taken_as_a_jwk_or_pem_value_or_file(tmp_path: Path) -> None:
    key = new_signing_key()
    as_jwk = json.dumps(key.as_dict(private=True))
    as_pem = key.as_pem(private=True).decode()
    (tmp_path / "key.pem").write_text(as_pem)
    for settings in (
        Settings(**DISTRIBUTED, token_signing_key=SecretStr(as_jwk)),
        Settings(**DISTRIBUTED, token_signing_key=SecretStr(as_pem)),
        Settings(**DISTRIBUTED, token_signing_key_file=tmp_path / "key.pem"),
    ):
        assert signing_keys_from(settings).current.kid == key.kid  # the thumbprint names it


@pytest.mark.parametrize(
    "text",
    [
        "not a key",
        json.dumps(ECKey.generate_key("P-256").as_dict(private=True)),
        json.dumps(OKPKey.generate_key("Ed25519").as_dict(private=False)),  # public only
    ],
)
def test_anything_but_a_private_ed25519_key_is_refused(text: str) -> None:
    with pytest.raises(SigningKeyError):
        signing_keys_from(Settings(**DISTRIBUTED, token_signing_key=SecretStr(text)))


def test_the_published_key_set_has_the_signing_key_and_the_others_without_private_parts() -> None:
    current, previous = new_signing_key(), new_signing_key()
    other = json.dumps({"keys": [previous.as_dict(private=True)]})  # pasted whole: kept public
    keys = signing_keys_from(
        Settings(
            **DISTRIBUTED,
            token_signing_key=SecretStr(json.dumps(current.as_dict(private=True))),
            token_other_keys=other,
        )
    )
    published = keys.jwks()["keys"]
    assert [k["kid"] for k in published] == [current.kid, previous.kid]
    assert all("d" not in k and k["alg"] == "Ed25519" for k in published)


def test_the_command_makes_a_key_and_prints_its_public_key_set() -> None:
    made = subprocess.run(
        [sys.executable, "-m", "tothon_shared.auth.keys"], capture_output=True, text=True, check=True
    ).stdout
    key = import_key(made, private=True)
    public = subprocess.run(
        [sys.executable, "-m", "tothon_shared.auth.keys", "public"],
        input=made,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(public) == SigningKeys(key).jwks()
    assert '"d"' not in public


@pytest.mark.parametrize(
    ("service", "reason"), [("registry", "TOTHON_TOKEN_SIGNING_KEY"), ("funds", "TOTHON_TOKEN_JWKS_URL")]
)
def test_an_api_process_without_its_token_keys_stops_at_start_with_the_reason(
    tmp_path: Path, service: str, reason: str
) -> None:
    env = {"PATH": "/usr/bin:/bin", "TOTHON_MODE": "distributed", "TOTHON_PG_PASSWORD": "y" * 30}
    started = subprocess.run(
        [sys.executable, "-m", f"tothon_{service}", "api", "--port", "1"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert started.returncode == 1
    assert reason in started.stderr
    assert "Traceback" not in started.stderr
