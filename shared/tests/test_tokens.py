"""Access tokens: what a valid one carries, every way a bad one is refused, and key rotation."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, OKPKey, RSAKey
from oidc_provider import oidc_provider

from tothon_shared.auth.keys import MAX_PUBLISHED, SigningKeys, new_signing_key
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.published import KeysUnavailableError, PublishedKeys
from tothon_shared.auth.roles import Role
from tothon_shared.auth.tokens import (
    ISSUER,
    AccessTokenVerifier,
    ExternalIdentity,
    InvalidTokenError,
    JwksTokenVerifier,
    TokenIssuer,
)

WARD = uuid.uuid4()


def _principal() -> Principal:
    return Principal(
        account_id=uuid.uuid4(),
        session_id="s-1",
        name="Lê Thị Hoa",
        grants=(Grant(Role.WARD_OFFICIAL, WARD),),
    )


class Registry:
    """A registry's published key set, as a verifying service fetches it (counted)."""

    def __init__(self, keys: SigningKeys) -> None:
        self.keys = keys
        self.fetches = 0
        self.down = False

    async def jwks(self) -> dict[str, Any]:
        self.fetches += 1
        if self.down:
            raise ConnectionRefusedError("registry down")
        return self.keys.jwks()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _service(registry: Registry, clock: Clock | None = None) -> AccessTokenVerifier:
    """A service that verifies with the keys it fetches from ``registry``."""
    return AccessTokenVerifier(PublishedKeys(registry.jwks, clock=clock or Clock()))


def _verify(verifier: AccessTokenVerifier, token: str) -> Principal:
    return asyncio.run(verifier.authenticate(token))


@pytest.fixture
def keys() -> SigningKeys:
    return SigningKeys(new_signing_key())


def test_a_valid_token_carries_the_account_and_its_assignments(keys: SigningKeys) -> None:
    principal = _principal()
    assert _verify(_service(Registry(keys)), TokenIssuer(keys).issue(principal)) == principal


def test_an_expired_token_is_refused(keys: SigningKeys) -> None:
    token = TokenIssuer(keys, ttl_seconds=60).issue(_principal(), now=time.time() - 120)
    with pytest.raises(InvalidTokenError):
        _verify(_service(Registry(keys)), token)


def test_a_token_verified_before_is_still_refused_once_expired(keys: SigningKeys) -> None:
    verifier = _service(Registry(keys))
    asyncio.run(verifier.keys.refresh())
    issued = time.time()
    token = TokenIssuer(keys, ttl_seconds=60).issue(_principal(), now=issued)
    assert verifier.verify(token, now=issued + 30).name == "Lê Thị Hoa"  # now kept as verified
    with pytest.raises(InvalidTokenError):
        verifier.verify(token, now=issued + 61)


def test_a_tampered_token_is_refused(keys: SigningKeys) -> None:
    header, payload, signature = TokenIssuer(keys).issue(_principal()).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = [["city_it_admin", str(WARD)]]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(InvalidTokenError):
        _verify(_service(Registry(keys)), f"{header}.{forged}.{signature}")


def _claims() -> dict[str, Any]:
    return {"iss": ISSUER, "sub": str(uuid.uuid4()), "exp": int(time.time()) + 600, "roles": []}


def test_a_token_signed_by_another_key_under_the_registrys_key_id_is_refused(keys: SigningKeys) -> None:
    stranger = OKPKey.generate_key("Ed25519")
    forged = jwt.encode(
        {"alg": "Ed25519", "kid": keys.current.kid}, _claims(), stranger, algorithms=["Ed25519"]
    )
    with pytest.raises(InvalidTokenError):
        _verify(_service(Registry(keys)), forged)


@pytest.mark.parametrize("secret", ["tothon-embedded-demo-secret-never-use-in-production", "x" * 40])
def test_a_token_signed_with_a_shared_secret_is_refused(keys: SigningKeys, secret: str) -> None:
    forged = jwt.encode({"alg": "HS256", "kid": keys.current.kid}, _claims(), OctKey.import_key(secret))
    with pytest.raises(InvalidTokenError):
        _verify(_service(Registry(keys)), forged)


def test_an_unsigned_token_is_refused(keys: SigningKeys) -> None:
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "kid": keys.current.kid}).encode())
    body = base64.urlsafe_b64encode(json.dumps(_claims()).encode())
    unsigned = f"{header.decode().rstrip('=')}.{body.decode().rstrip('=')}."
    with pytest.raises(InvalidTokenError):
        _verify(_service(Registry(keys)), unsigned)


@pytest.mark.parametrize(
    "garbage", ["", "abc", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "eyJhbGciOiJFZDI1NTE5In0.e30.x"]
)
def test_garbage_and_unsigned_tokens_are_refused(keys: SigningKeys, garbage: str) -> None:
    with pytest.raises(InvalidTokenError):
        _verify(_service(Registry(keys)), garbage)


def test_a_token_of_an_unknown_key_is_refused_after_one_look_at_the_registry(keys: SigningKeys) -> None:
    registry, clock = Registry(keys), Clock()
    verifier = _service(registry, clock)
    unknown = TokenIssuer(SigningKeys(new_signing_key())).issue(_principal())
    for _ in range(20):  # made-up key ids do not make a fetch each
        with pytest.raises(InvalidTokenError):
            _verify(verifier, unknown)
    assert registry.fetches == 1


def test_tokens_of_the_previous_key_verify_during_a_rotation_and_the_new_key_is_picked_up() -> None:
    old, new = new_signing_key(), new_signing_key()
    registry, clock = Registry(SigningKeys(old)), Clock()
    verifier = _service(registry, clock)  # one running service, never restarted
    before = TokenIssuer(registry.keys).issue(_principal())
    assert _verify(verifier, before).name == "Lê Thị Hoa"
    # The registry now signs with the new key and still publishes the old one.
    registry.keys = SigningKeys(new, (old,))
    after = TokenIssuer(registry.keys).issue(_principal())
    clock.now += 6  # the key set was fetched a moment ago; an unknown key id asks again
    assert _verify(verifier, after).name == "Lê Thị Hoa"
    assert _verify(verifier, before).name == "Lê Thị Hoa"  # the overlap: old tokens still pass
    assert registry.fetches == 2
    # The old key's tokens have expired: the registry stops publishing it; the service forgets it
    # at its next refresh, even for a token it had verified before.
    registry.keys = SigningKeys(new)
    clock.now += 301
    with pytest.raises(InvalidTokenError):
        _verify(verifier, before)
    assert _verify(verifier, after).name == "Lê Thị Hoa"


def test_without_the_registrys_keys_a_service_answers_unavailable_then_recovers(keys: SigningKeys) -> None:
    registry, clock = Registry(keys), Clock()
    registry.down = True
    verifier = _service(registry, clock)
    token = TokenIssuer(keys).issue(_principal())
    with pytest.raises(KeysUnavailableError):
        _verify(verifier, token)
    registry.down = False
    with pytest.raises(KeysUnavailableError):  # asked a moment ago: not again at once
        _verify(verifier, token)
    clock.now += 6
    assert _verify(verifier, token).name == "Lê Thị Hoa"
    registry.down = True
    clock.now += 301  # the registry goes down later: the keys known still serve
    assert _verify(verifier, token).name == "Lê Thị Hoa"


def test_a_key_set_too_large_is_not_taken(keys: SigningKeys) -> None:
    crowd = SigningKeys(keys.current, tuple(new_signing_key() for _ in range(MAX_PUBLISHED)))
    verifier = _service(Registry(crowd))
    with pytest.raises(KeysUnavailableError):
        _verify(verifier, TokenIssuer(keys).issue(_principal()))


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
