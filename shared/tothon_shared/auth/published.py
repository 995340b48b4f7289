"""The registry's public keys as a verifying service knows them: fetched, kept, refreshed.

The key set is fetched on the first request, again when it is older than ``max_age``, and when a
token names a key not in it (a rotation): at most once per ``min_interval`` however many tokens
ask, so made-up key ids cannot turn every request into a fetch. A failed fetch keeps the keys
known; with none known yet (the registry not up) requests get 503 and the next one tries again.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from joserfc.jwk import OKPKey

from tothon_shared.auth.keys import MAX_PUBLISHED, SigningKeyError, import_key

log = structlog.get_logger(__name__)

# Gives a JWK Set: over HTTP from the registry, or in-process where the registry runs alongside.
KeySource = Callable[[], Awaitable[dict[str, Any]]]


class KeysUnavailableError(Exception):
    """The registry's public keys are not known yet: the request cannot be verified now."""


class PublishedKeys:
    """The key set from ``source`` by ``kid``, kept for ``max_age`` seconds (``known``: the
    set to start with, when it is at hand)."""

    def __init__(
        self,
        source: KeySource,
        max_age: float = 300.0,
        min_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        known: dict[str, Any] | None = None,
    ) -> None:
        self._source = source
        self.max_age = max_age
        self.min_interval = min_interval
        self._clock = clock
        self._keys: dict[str, OKPKey] = {}
        self._fetched_at: float | None = None
        self._tried_at: float | None = None
        self._lock = asyncio.Lock()
        if known is not None:  # the registry's own keys: known from the start
            self._keys, self._fetched_at = _keys_of(known), clock()

    @property
    def loaded(self) -> bool:
        """Whether a key set was ever fetched."""
        return self._fetched_at is not None

    @property
    def stale(self) -> bool:
        """Whether the key set is missing or older than ``max_age``."""
        return self._fetched_at is None or self._clock() - self._fetched_at > self.max_age

    def key(self, kid: str) -> OKPKey | None:
        """The published key named ``kid``, if known."""
        return self._keys.get(kid)

    async def refresh(self) -> bool:
        """Fetch the key set unless it was tried less than ``min_interval`` ago; whether it was."""
        async with self._lock:  # concurrent askers wait for one fetch
            now = self._clock()
            if self._tried_at is not None and now - self._tried_at < self.min_interval:
                return False
            self._tried_at = now
            try:
                keys = _keys_of(await self._source())
            except Exception as error:  # the registry down, slow or answering nonsense
                log.warning("token_keys.fetch_failed", error=str(error) or type(error).__name__)
                return False
            if keys.keys() != self._keys.keys():
                log.info("token_keys.updated", kids=sorted(keys))
            self._keys, self._fetched_at = keys, now
            return True


def _keys_of(jwks: dict[str, Any]) -> dict[str, OKPKey]:
    items = jwks.get("keys")
    if not isinstance(items, list) or not items or len(items) > MAX_PUBLISHED:
        raise SigningKeyError(f"a key set of 1 to {MAX_PUBLISHED} keys was expected")
    keys = [import_key(json.dumps(item), private=False) for item in items]
    return {str(key.kid): key for key in keys}


def jwks_over_http(url: str, timeout: float = 5.0) -> KeySource:
    """The registry's key set from its JWKS endpoint."""

    def fetch() -> dict[str, Any]:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - a configured URL
            parsed: Any = json.load(response)
        if not isinstance(parsed, dict):
            raise SigningKeyError("the JWKS is not a JSON object")
        return parsed

    async def source() -> dict[str, Any]:
        return await asyncio.to_thread(fetch)

    return source


def jwks_in_process(jwks: Callable[[], dict[str, Any]]) -> KeySource:
    """The key set of a registry in the same process (the embedded suite): no HTTP to itself."""

    async def source() -> dict[str, Any]:
        return jwks()

    return source
