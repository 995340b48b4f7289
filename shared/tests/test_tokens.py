"""Access tokens: what a valid one carries, and every way a bad one is refused."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.auth.tokens import InvalidTokenError, JwksTokenVerifier, TokenService

SECRET = "a-test-secret-that-is-long-enough-for-hs256"
WARD = uuid.uuid4()


def _principal() -> Principal:
    return Principal(
        account_id=uuid.uuid4(),
        session_id="s-1",
        name="Lê Thị Hoa",
        grants=(Grant(Role.WARD_OFFICIAL, WARD),),
    )


def test_a_valid_token_carries_the_account_and_its_assignments() -> None:
    tokens = TokenService(SECRET)
    principal = _principal()
    assert tokens.verify(tokens.issue(principal)) == principal


def test_an_expired_token_is_refused() -> None:
    tokens = TokenService(SECRET, ttl_seconds=60)
    token = tokens.issue(_principal(), now=time.time() - 120)
    with pytest.raises(InvalidTokenError):
        tokens.verify(token)


def test_a_tampered_token_is_refused() -> None:
    tokens = TokenService(SECRET)
    header, payload, signature = tokens.issue(_principal()).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = [["city_it_admin", str(WARD)]]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(InvalidTokenError):
        tokens.verify(f"{header}.{forged}.{signature}")


def test_a_token_signed_with_another_secret_is_refused() -> None:
    other = TokenService("another-secret-that-is-also-long-enough!!")
    with pytest.raises(InvalidTokenError):
        TokenService(SECRET).verify(other.issue(_principal()))


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_garbage_and_unsigned_tokens_are_refused(garbage: str) -> None:
    with pytest.raises(InvalidTokenError):
        TokenService(SECRET).verify(garbage)


def test_short_secrets_are_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        TokenService("short")


def test_tokens_of_an_external_provider_are_verified_by_its_published_keys() -> None:
    key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    published = json.dumps(KeySet([key]).as_dict(private=False)).encode()

    class Provider(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(published)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Provider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        verifier = JwksTokenVerifier(
            f"http://127.0.0.1:{server.server_port}/jwks", "https://sso.danang.gov.vn"
        )
        account = uuid.uuid4()
        claims = {
            "iss": "https://sso.danang.gov.vn",
            "sub": str(account),
            "sid": "x",
            "exp": int(time.time()) + 60,
            "roles": [["group_leader", str(WARD)]],
        }
        token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
        principal = verifier.verify(token)
        assert principal.account_id == account
        assert principal.grants == (Grant(Role.GROUP_LEADER, WARD),)
        with pytest.raises(InvalidTokenError):
            verifier.verify(jwt.encode({"alg": "RS256", "kid": "k1"}, claims | {"iss": "evil"}, key))
        stranger = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        with pytest.raises(InvalidTokenError):
            verifier.verify(jwt.encode({"alg": "RS256", "kid": "k1"}, claims, stranger))
    finally:
        server.shutdown()
