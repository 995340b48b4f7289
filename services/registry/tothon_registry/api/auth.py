"""Sign-in, refresh, sign-out and the caller's own account."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from tothon_registry.accounts import SignedIn
from tothon_registry.api.deps import Registry
from tothon_registry.api.errors import EXTERNAL_SIGN_IN
from tothon_registry.permissions import PERMISSIONS
from tothon_shared.auth.http import Authenticated
from tothon_shared.auth.ratelimit import SlidingWindowLimiter
from tothon_shared.auth.roles import Role
from tothon_shared.auth.tokens import JwksTokenVerifier, TokenIssuer
from tothon_shared.http.commands import run_command
from tothon_shared.http.error_map import overriding
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class SignInIn(BaseModel):
    """Credentials."""

    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class RefreshIn(BaseModel):
    """A refresh token, used once."""

    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=10, max_length=300)


class PasswordChangeIn(BaseModel):
    """The current password and the new one."""

    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


class GrantOut(BaseModel):
    """A role over a unit."""

    role: str
    unit_id: str


class SessionOut(BaseModel):
    """A new access token (short-lived) and the refresh token to get the next one."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int
    refresh_token: str
    account_id: str
    name: str
    roles: list[GrantOut]


class MeOut(BaseModel):
    """The signed-in account, with what it may do somewhere (for navigation; every request is
    still checked against the unit it is about)."""

    account_id: str
    name: str
    household_id: str | None
    roles: list[GrantOut]
    permissions: list[str]
    appoints: list[Role]


# (Coroutines, as in deps.py: a plain function would cost a hop to a worker thread.)
async def _tokens(request: Request) -> TokenIssuer:
    issuer: TokenIssuer = request.app.state.token_issuer
    return issuer


async def _limiter(request: Request) -> SlidingWindowLimiter:
    state = request.app.state
    if not hasattr(state, "sign_in_limiter"):
        state.sign_in_limiter = SlidingWindowLimiter(state.runtime.settings.sign_in_rate_per_minute)
    limiter: SlidingWindowLimiter = state.sign_in_limiter
    if not limiter.allow(request.client.host if request.client else "unknown"):
        raise ProblemError(429, "auth.rate_limited", headers={"Retry-After": "60"})
    return limiter


Tokens = Annotated[TokenIssuer, Depends(_tokens)]


def _session(signed_in: SignedIn, tokens: TokenIssuer) -> SessionOut:
    principal = signed_in.principal
    return SessionOut(
        access_token=tokens.issue(principal),
        expires_in=tokens.ttl_seconds,
        refresh_token=signed_in.refresh_token,
        account_id=str(principal.account_id),
        name=principal.name,
        roles=[GrantOut(role=str(g.role), unit_id=str(g.unit_id)) for g in principal.grants],
    )


@router.get("/jwks.json", response_model=None)
async def get_token_keys(tokens: Tokens) -> JSONResponse:
    """The public keys that verify the registry's access tokens (a JWK Set, RFC 7517): the
    other services fetch them from here. During a rotation it lists the next or previous key too."""
    jwks: dict[str, Any] = tokens.keys.jwks()
    return JSONResponse(jwks, headers={"Cache-Control": "public, max-age=300"})


@router.post("/sign-in", dependencies=[Depends(_limiter)], responses=problems(401, 404, 423, 429))
async def sign_in(body: SignInIn, request: Request, registry: Registry, tokens: Tokens) -> SessionOut:
    """Sign in with a username and password."""
    signed_in = await run_command(request, registry.sign_in, body.username, body.password)
    return _session(signed_in, tokens)


class ExchangeIn(BaseModel):
    """A token of the city's own OpenID Connect provider (its ID or access token)."""

    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=20, max_length=8000)


async def external_verifier(request: Request) -> JwksTokenVerifier:
    """The city's provider, when the deployment names one (``TOTHON_OIDC_*``); 404 otherwise."""
    state = request.app.state
    settings = state.runtime.settings
    if not (settings.oidc_jwks_url and settings.oidc_issuer):
        raise ProblemError(404, "auth.external_not_configured")
    if not hasattr(state, "external_verifier"):
        state.external_verifier = JwksTokenVerifier(
            settings.oidc_jwks_url, settings.oidc_issuer, settings.oidc_audience
        )
    verifier: JwksTokenVerifier = state.external_verifier
    return verifier


@router.post("/exchange", dependencies=[Depends(_limiter)], responses=problems(401, 404, 423, 429))
async def exchange_external_token(
    body: ExchangeIn,
    request: Request,
    registry: Registry,
    tokens: Tokens,
    provider: Annotated[JwksTokenVerifier, Depends(external_verifier)],
) -> SessionOut:
    """Sign in with the city's identity provider: its token, verified by the provider's published
    keys, is exchanged for a registry session of the account linked to that identity. The roles
    are the registry's assignments, never the provider's claims."""
    with overriding(EXTERNAL_SIGN_IN):
        identity = await run_in_threadpool(provider.identity, body.token)
        signed_in = await run_command(request, registry.sign_in_external, identity.issuer, identity.subject)
    return _session(signed_in, tokens)


@router.post("/refresh", responses=problems(401, 404))
async def refresh_session(
    body: RefreshIn, request: Request, registry: Registry, tokens: Tokens
) -> SessionOut:
    """Exchange a refresh token for a new access token and a new refresh token."""
    signed_in = await run_command(request, registry.refresh, body.refresh_token)
    return _session(signed_in, tokens)


@router.post("/sign-out", status_code=status.HTTP_204_NO_CONTENT)
async def sign_out(request: Request, principal: Authenticated, registry: Registry) -> None:
    """End this session at once."""
    await run_command(request, registry.sign_out, principal.account_id, principal.session_id)


@router.get("/me")
async def get_me(principal: Authenticated) -> MeOut:
    """The signed-in account and its roles."""
    return MeOut(
        account_id=str(principal.account_id),
        name=principal.name,
        household_id=str(principal.household_id) if principal.household_id else None,
        roles=[GrantOut(role=str(g.role), unit_id=str(g.unit_id)) for g in principal.grants],
        permissions=sorted(str(p) for p in PERMISSIONS if principal.holds(p)),
        appoints=[r for r in Role if principal.may_appoint_at(r)],
    )


@router.put("/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(
    body: PasswordChangeIn, request: Request, principal: Authenticated, registry: Registry
) -> None:
    """Change your own password; your other sessions end."""
    await run_command(
        request,
        registry.change_password,
        principal.account_id,
        body.current_password,
        body.new_password,
    )
