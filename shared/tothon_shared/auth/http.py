"""Authentication and authorisation at the HTTP edge, the same in every service.

Each endpoint declares what it needs: ``Depends(require(Permission.X))`` for a permission held
somewhere, then ``authorize(principal, permission, lineage)`` for the unit the request is about.
No token: 401 with ``WWW-Authenticate: Bearer``. A token without the permission there: 403.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Coroutine, Iterable
from typing import Annotated, Any, Protocol, cast
from uuid import UUID

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tothon_shared.auth.keys import SigningKeyError, SigningKeys, signing_keys_from
from tothon_shared.auth.principal import Principal, covers
from tothon_shared.auth.published import (
    KeysUnavailableError,
    PublishedKeys,
    jwks_in_process,
    jwks_over_http,
)
from tothon_shared.auth.roles import Permission
from tothon_shared.auth.tokens import AccessTokenVerifier, InvalidTokenError, TokenIssuer
from tothon_shared.http.problems import ProblemError
from tothon_shared.runtime.settings import Mode, Settings

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="tothon"'}


class Verifier(Protocol):
    """Turns a bearer token into a principal, or raises ``InvalidTokenError`` (or
    ``KeysUnavailableError`` while it cannot tell)."""

    async def authenticate(self, token: str) -> Principal:
        """The token's principal."""


# Whether the principal's session is still open: a blocking check runs in a worker thread, an
# async one on the event loop (no thread hop).
SessionCheck = Callable[[Principal], bool] | Callable[[Principal], Coroutine[Any, Any, bool]]


class Authenticator:
    """The verifier of a service, and (in the registry) the check that the session is still open."""

    def __init__(self, verifier: Verifier, session_check: SessionCheck | None = None) -> None:
        self.verifier = verifier
        self.session_check = session_check
        self.session_open = _on_the_loop(session_check) if session_check is not None else None

    async def close(self) -> None:
        """Release what the session check holds (its connections), at the end of the process."""
        close = getattr(self.session_check, "close", None)
        if close is not None:
            await close()


def _on_the_loop(check: SessionCheck) -> Callable[[Principal], Coroutine[Any, Any, bool]]:
    """The check as a coroutine: an async one as it is, a blocking one in a worker thread."""
    # An async function, or an object whose ``__call__`` is one (a check holding a pool).
    if inspect.iscoroutinefunction(check) or inspect.iscoroutinefunction(type(check).__call__):
        return cast(Callable[[Principal], Coroutine[Any, Any, bool]], check)
    blocking = cast(Callable[[Principal], bool], check)

    async def in_a_thread(principal: Principal) -> bool:
        return await run_in_threadpool(blocking, principal)

    return in_a_thread


def token_issuer_for(settings: Settings) -> TokenIssuer:
    """The registry's signer, with its keys from the settings (``SigningKeyError`` without)."""
    return TokenIssuer(signing_keys_from(settings), settings.access_token_ttl_seconds)


def verifier_for(settings: Settings, own: SigningKeys | None = None) -> AccessTokenVerifier:
    """The registry's own tokens: the only ones the services accept (an external provider's
    tokens are exchanged for them at the registry). The registry verifies with its ``own``
    keys; the others with the key set they fetch from it, in-process in the embedded suite."""
    if own is not None:
        keys = PublishedKeys(jwks_in_process(own.jwks), known=own.jwks())
    elif settings.token_jwks_url:
        keys = PublishedKeys(jwks_over_http(settings.token_jwks_url))
    elif settings.mode is Mode.EMBEDDED:
        keys = PublishedKeys(jwks_in_process(signing_keys_from(settings).jwks))
    else:
        raise SigningKeyError(
            "set TOTHON_TOKEN_JWKS_URL to the registry's key set "
            "(http://<registry>/api/v1/auth/jwks.json): it verifies the access tokens"
        )
    return AccessTokenVerifier(keys)


# The bearer scheme, as the OpenAPI documents declare it; a missing token is answered below (a
# problem with the challenge), not by FastAPI.
_BEARER = HTTPBearer(
    scheme_name="bearer",
    bearerFormat="JWT",
    description="An access token from `POST /registry/api/v1/auth/sign-in` (or `/auth/exchange`).",
    auto_error=False,
)


async def current_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]
) -> Principal:
    """The caller, from the bearer token; 401 when absent, invalid, expired or revoked."""
    authenticator: Authenticator = request.app.state.authenticator
    if credentials is None or not credentials.credentials.strip():
        raise ProblemError(401, "auth.missing", headers=_CHALLENGE)
    try:
        principal = await authenticator.verifier.authenticate(credentials.credentials.strip())
    except InvalidTokenError:
        raise ProblemError(401, "auth.invalid", headers=_CHALLENGE) from None
    except KeysUnavailableError:
        raise ProblemError(
            503, "auth.keys_unavailable", title_key="token_keys.title", headers={"Retry-After": "5"}
        ) from None
    session_open = authenticator.session_open
    if session_open is not None and not await session_open(principal):
        raise ProblemError(401, "auth.revoked", headers=_CHALLENGE)
    request.state.principal = principal
    return principal


Authenticated = Annotated[Principal, Depends(current_principal)]


def require(permission: Permission) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    """A dependency: the caller, who must hold ``permission`` in at least one unit."""

    async def dependency(principal: Authenticated) -> Principal:
        if not principal.holds(permission):
            raise ProblemError(403, "auth.forbidden")
        return principal

    dependency.__name__ = f"require_{permission.value.replace(':', '_').replace('-', '_')}"
    _REQUIREMENTS[dependency] = permission
    return dependency


# The dependencies ``require`` made, and what each requires: their routes may answer 403, and the
# OpenAPI documents say so (``tothon_shared.http.openapi``).
_REQUIREMENTS: weakref.WeakKeyDictionary[Callable[..., Any], Permission] = weakref.WeakKeyDictionary()


def required_permission(call: object) -> Permission | None:
    """The permission a dependency made by ``require`` requires; None for any other callable."""
    if not callable(call):
        return None
    try:
        return _REQUIREMENTS.get(call)
    except TypeError:  # not weakly referenceable: not one of ours
        return None


def authorize(principal: Principal, permission: Permission, lineage: Iterable[UUID]) -> None:
    """403 unless ``principal`` holds ``permission`` over the unit whose lineage is given; 404 for
    a unit this service does not know (yet: units arrive as events)."""
    lineage = list(lineage)
    if not lineage:
        raise ProblemError(404, "unit.not_found")
    if not covers(principal.units_with(permission), lineage):
        raise ProblemError(403, "auth.forbidden")
