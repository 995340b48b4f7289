"""Short-lived signed access tokens (JWT).

The registry signs them with its private key (Ed25519); every service verifies them by the public
keys the registry publishes (see ``keys.py`` and ``published.py``). A
city that runs its own OpenID Connect provider signs people in there: the registry verifies the
provider's token by its published keys (JWKS), finds the account linked to that identity, and
issues its own token, so roles always come from the registry's recorded assignments and sign-out
and revocation work the same way for everybody.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OKPKey

from tothon_shared.auth.keys import ALGORITHM, SigningKeys
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.published import KeysUnavailableError, PublishedKeys
from tothon_shared.auth.roles import Role

ISSUER = "tothon-registry"


class InvalidTokenError(Exception):
    """The token is missing, malformed, tampered with, expired or revoked."""


def _claims_of(principal: Principal) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "sub": str(principal.account_id),
        "sid": principal.session_id,
        "name": principal.name,
        "roles": [[str(g.role), str(g.unit_id)] for g in principal.grants],
    }
    if principal.household_id is not None:
        claims["household"] = str(principal.household_id)
    return claims


def _principal_of(claims: Mapping[str, Any]) -> Principal:
    try:
        grants = tuple(Grant(Role(role), UUID(unit)) for role, unit in claims.get("roles", []))
        household = claims.get("household")
        return Principal(
            account_id=UUID(str(claims["sub"])),
            session_id=str(claims.get("sid") or claims.get("jti") or ""),
            name=str(claims.get("name", "")),
            grants=grants,
            household_id=UUID(household) if household else None,
        )
    except (KeyError, ValueError, TypeError) as error:
        raise InvalidTokenError(f"unusable claims: {error}") from None


MAX_VERIFIED = 10_000  # tokens kept verified (live sessions of a process)


class TokenIssuer:
    """Signs the registry's access tokens with its current private key."""

    def __init__(self, keys: SigningKeys, ttl_seconds: int = 900, issuer: str = ISSUER) -> None:
        self.keys = keys
        self.ttl_seconds = ttl_seconds
        self.issuer = issuer

    def issue(self, principal: Principal, now: float | None = None) -> str:
        """A signed access token for ``principal``, valid for ``ttl_seconds``."""
        issued = int(now if now is not None else time.time())
        claims = _claims_of(principal) | {
            "iss": self.issuer,
            "iat": issued,
            "exp": issued + self.ttl_seconds,
            "jti": secrets.token_urlsafe(12),
        }
        header = {"alg": ALGORITHM, "typ": "JWT", "kid": self.keys.current.kid}
        return jwt.encode(header, claims, self.keys.current, algorithms=[ALGORITHM])


class AccessTokenVerifier:
    """Verifies the registry's access tokens by the registry's published keys.

    Every service verifies the same way: the registry with its own keys, the others with the key
    set fetched from the registry (``PublishedKeys``), kept fresh and re-fetched for a key it does
    not know yet. Only an Ed25519 signature by a published key passes: a shared secret (HS256),
    ``alg: none`` or a stranger's key under a known ``kid`` are all refused."""

    def __init__(self, keys: PublishedKeys, issuer: str = ISSUER) -> None:
        self.keys = keys
        self.issuer = issuer
        self._verified: dict[str, tuple[Principal, float, str]] = {}

    async def authenticate(self, token: str) -> Principal:
        """The token's principal, fetching the keys first when they are old, missing or do not
        include the token's; ``KeysUnavailableError`` while the registry's keys are unknown."""
        if self.keys.stale:
            await self.keys.refresh()  # at most once in a while, however many requests ask
        kept = self._kept(token, time.time())
        if kept is not None:
            return kept
        if self.keys.key(_key_id_of(token)) is None:
            await self.keys.refresh()
        if not self.keys.loaded:
            raise KeysUnavailableError
        return self.verify(token)

    def verify(self, token: str, now: float | None = None) -> Principal:
        """The principal of a valid token by the keys known now; ``InvalidTokenError`` otherwise."""
        at = now if now is not None else time.time()
        kept = self._kept(token, at)
        if kept is not None:
            return kept
        kid = _key_id_of(token)
        key = self.keys.key(kid)
        if key is None:
            raise InvalidTokenError(f"no published key {kid!r}")
        principal, expires = self._verify(token, key, now)
        if len(self._verified) >= MAX_VERIFIED:
            self._verified.clear()
        self._verified[token] = (principal, expires, kid)
        return principal

    def _kept(self, token: str, at: float) -> Principal | None:
        """A client sends the same token with every request until it expires: a token verified
        once is kept, with its expiry and its key (which must still be published), instead of
        being decoded again."""
        known = self._verified.get(token)
        if known is not None and at < known[1] and self.keys.key(known[2]) is not None:
            return known[0]
        return None

    def _verify(self, token: str, key: OKPKey, now: float | None) -> tuple[Principal, float]:
        try:
            decoded = jwt.decode(token, key, algorithms=[ALGORITHM])
            registry = jwt.JWTClaimsRegistry(
                now=int(now) if now is not None else None,
                iss={"essential": True, "value": self.issuer},
                exp={"essential": True},
                sub={"essential": True},
            )
            registry.validate(decoded.claims)
        except (JoseError, ValueError) as error:
            raise InvalidTokenError(str(error) or type(error).__name__) from None
        return _principal_of(decoded.claims), float(decoded.claims["exp"])


def _key_id_of(token: str) -> str:
    """The ``kid`` of a token signed with the registry's algorithm; anything else is refused."""
    try:
        header = json.loads(base64.urlsafe_b64decode(token.split(".", 1)[0] + "=="))
    except (ValueError, TypeError):
        raise InvalidTokenError("malformed token") from None
    if not isinstance(header, dict) or header.get("alg") != ALGORITHM:
        raise InvalidTokenError("not signed with the registry's algorithm")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidTokenError("no key id")
    return kid


class JwksTokenVerifier:
    """Verifies tokens of an external OpenID Connect provider by its published keys (JWKS)."""

    def __init__(self, jwks_url: str, issuer: str, audience: str | None = None) -> None:
        self.jwks_url = jwks_url
        self.issuer = issuer
        self.audience = audience
        self._keys: KeySet | None = None

    def _key_set(self, refresh: bool = False) -> KeySet:
        if self._keys is None or refresh:
            with urllib.request.urlopen(self.jwks_url, timeout=10) as response:  # noqa: S310 - https in deployments
                self._keys = KeySet.import_key_set(json.load(response))
        return self._keys

    def identity(self, token: str, now: float | None = None) -> ExternalIdentity:
        """Who the provider says signed in; keys are re-fetched once on a miss (key rotation)."""
        for refresh in (False, True):
            try:
                decoded = jwt.decode(token, self._key_set(refresh), algorithms=["RS256", "ES256"])
                break
            except JoseError as error:
                if refresh:
                    raise InvalidTokenError(str(error) or type(error).__name__) from None
        claims: dict[str, Any] = {
            "iss": {"essential": True, "value": self.issuer},
            "exp": {"essential": True},
            "sub": {"essential": True},
        }
        if self.audience:
            claims["aud"] = {"essential": True, "value": self.audience}
        try:
            jwt.JWTClaimsRegistry(now=int(now) if now is not None else None, **claims).validate(
                decoded.claims
            )
        except JoseError as error:
            raise InvalidTokenError(str(error) or type(error).__name__) from None
        return ExternalIdentity(self.issuer, str(decoded.claims["sub"]))


@dataclass(frozen=True)
class ExternalIdentity:
    """An identity at an external provider: its issuer and the subject it names."""

    issuer: str
    subject: str
