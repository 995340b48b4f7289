"""Access tokens: what a valid one carries, and every way a bad one is refused."""

from __future__ import annotations

import base64
import json
import time
import uuid

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from oidc_provider import oidc_provider

from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.auth.tokens import ExternalIdentity, InvalidTokenError, JwksTokenVerifier, TokenService

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


def test_a_token_verified_before_is_still_refused_once_expired() -> None:
    tokens = TokenService(SECRET, ttl_seconds=60)
    issued = time.time()
    token = tokens.issue(_principal(), now=issued)
    assert tokens.verify(token, now=issued + 30).name == "Lê Thị Hoa"  # now kept as verified
    with pytest.raises(InvalidTokenError):
        tokens.verify(token, now=issued + 61)


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
    with oidc_provider() as provider:
        verifier = JwksTokenVerifier(provider.jwks_url, provider.issuer)
        # Roles the provider may claim are ignored: the registry's assignments decide.
        token = provider.token("cccd-048088012345", roles=[["city_it_admin", str(WARD)]])
        assert verifier.identity(token) == ExternalIdentity(provider.issuer, "cccd-048088012345")
        for forged in (provider.token("x", iss="https://evil.example"), provider.token("x", lifetime=-10)):
            with pytest.raises(InvalidTokenError):
                verifier.identity(forged)
        stranger = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        claims = {"iss": provider.issuer, "sub": "x", "exp": int(time.time()) + 60}
        with pytest.raises(InvalidTokenError):
            verifier.identity(jwt.encode({"alg": "RS256", "kid": "k1"}, claims, stranger))
