"""Routes for outbound delivery: a resident gives the household's members' contacts for
notifications by e-mail, SMS or Zalo (only for a person whose consent the registry records),
city IT configures the SMS and Zalo gateways (https webhooks with a signing secret, never shown
again), and officials read the delivery log of their units (city IT all of it)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from tothon_communication.api.announcements import _app, _over, store_of
from tothon_communication.domain.outbound import Means, check_webhook_url
from tothon_communication.permissions import CommunicationPermission
from tothon_communication.readmodels import outbound as reads
from tothon_communication.readmodels.tables import DIRECTORY
from tothon_shared.auth.http import Authenticated, require
from tothon_shared.auth.lineage import descendants
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.paging import MAX_OFFSET
from tothon_shared.http.problems import ProblemError
from tothon_shared.runtime.settings import Mode

_P = CommunicationPermission
Admin = Annotated[Principal, Depends(require(_P.CHANNELS_MANAGE))]
router = APIRouter(prefix="/api/v1", tags=["outbound"])


# --- a household's contacts ---


class ContactIn(BaseModel):
    """A member's address for notifications by one means."""

    model_config = ConfigDict(extra="forbid")
    person_id: UUID
    means: Means
    address: str = Field(max_length=300)


class ContactOut(BaseModel):
    contact_id: UUID
    person_id: UUID
    means: Means
    address: str | None = Field(description="None once removed.")
    consent: bool = Field(description="Whether the registry records the person's consent now.")


def _own(principal: Principal, household_id: UUID) -> None:
    if principal.household_id != household_id:
        raise ProblemError(403, "communication.outbound.not_your_household")


@router.get("/households/{household_id}/contacts", responses=problems(403, 404))
async def contacts_of(household_id: UUID, request: Request, principal: Authenticated) -> list[ContactOut]:
    """The contacts the household gave, each with whether its person's consent stands."""
    _own(principal, household_id)
    store, app = store_of(request), _app(request)

    def listed() -> list[dict[str, Any]]:
        consent = reads.consenting(store, household_id)
        return [
            {
                "contact_id": c["contact_id"],
                "person_id": c["person_id"],
                "means": c["means"],
                "address": None if c["removed"] else app.contact_address(c["contact_id"]),
                "consent": consent.get(c["person_id"], False),
            }
            for c in reads.household_contacts(store, household_id)
        ]

    return [ContactOut.model_validate(c) for c in await run_in_threadpool(listed)]


class ConsentOut(BaseModel):
    person_id: UUID
    consent: bool


@router.get("/households/{household_id}/consents", responses=problems(403, 404))
async def consents_of(household_id: UUID, request: Request, principal: Authenticated) -> list[ConsentOut]:
    """The household's members whose consent to notifications the registry told of, and whether
    it stands: those for whom a contact may be given."""
    _own(principal, household_id)
    found = await run_in_threadpool(reads.consenting, store_of(request), household_id)
    return [ConsentOut(person_id=p, consent=c) for p, c in found.items()]


@router.put("/households/{household_id}/contacts", status_code=204, responses=problems(403, 404, 422))
async def give_contact(
    household_id: UUID, body: ContactIn, request: Request, principal: Authenticated
) -> Response:
    """Give (or change) a member's address for a means; only for a member whose consent to
    notifications the registry records."""
    _own(principal, household_id)
    consent = await run_in_threadpool(reads.consenting, store_of(request), household_id)
    if not consent.get(body.person_id, False):
        raise ProblemError(422, "communication.outbound.no_consent")
    await run_command(
        request, _app(request).give_contact, body.person_id, household_id, body.means, body.address
    )
    return Response(status_code=204)


@router.delete(
    "/households/{household_id}/contacts/{person_id}/{means}", status_code=204, responses=problems(403, 404)
)
async def remove_contact(
    household_id: UUID, person_id: UUID, means: Means, request: Request, principal: Authenticated
) -> Response:
    """Take a member's address back: nothing more is sent to it, from now on."""
    _own(principal, household_id)
    given = await run_in_threadpool(reads.household_contacts, store_of(request), household_id)
    if not any(c["person_id"] == person_id and c["means"] == means for c in given):
        raise ProblemError(404, "communication.outbound.not_found")
    if not await run_command(request, _app(request).remove_contact, person_id, means):
        raise ProblemError(404, "communication.outbound.not_found")
    return Response(status_code=204)


# --- gateways (city IT) ---


class GatewayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=500, description="https, except in the embedded demo.")
    secret: str = Field(max_length=500, description="Signs each request (HMAC-SHA256); never shown again.")


class GatewayOut(BaseModel):
    means: Means
    url: str
    configured_by: str


@router.put("/gateways/{means}", status_code=204, responses=problems(403, 404, 422))
async def configure(means: Means, body: GatewayIn, request: Request, principal: Admin) -> Response:
    """Where SMS or Zalo messages go: the gateway's webhook and the secret that signs requests."""
    embedded = request.app.state.runtime.settings.mode is Mode.EMBEDDED
    url = check_webhook_url(body.url, plain_http_allowed=embedded)
    await run_command(
        request, _app(request).configure_gateway, means, url, body.secret, str(principal.account_id)
    )
    return Response(status_code=204)


@router.get("/gateways", responses=problems(403))
async def configured(request: Request, principal: Admin) -> list[GatewayOut]:
    """The gateways configured (never their secrets)."""
    return [
        GatewayOut.model_validate(g) for g in await run_in_threadpool(reads.gateway_list, store_of(request))
    ]


# --- the delivery log ---


class TryOut(BaseModel):
    attempt: int
    at: datetime
    outcome: str
    error: str | None


class DeliveryOut(BaseModel):
    delivery_id: UUID
    source: str
    household_id: UUID
    unit_id: UUID
    means: Means
    status: str = Field(description="queued, retrying, delivered, failed (given up) or dropped (no consent).")
    attempts: int
    due_at: datetime | None
    queued_at: datetime
    finished_at: datetime | None
    last_error: str | None
    tries: list[TryOut]


@router.get("/deliveries", responses=problems(403))
async def delivery_log(
    request: Request,
    principal: Admin,
    status: str | None = Query(default=None, max_length=10),
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> list[DeliveryOut]:
    """Every outbound message of the city, newest first, with its attempts (city IT)."""
    rows = await run_in_threadpool(reads.log, store_of(request), None, status, limit, offset)
    return [DeliveryOut.model_validate(r) for r in rows]


@router.get("/units/{unit_id}/deliveries", responses=problems(403, 404))
async def unit_delivery_log(
    unit_id: UUID,
    request: Request,
    principal: Authenticated,
    status: str | None = Query(default=None, max_length=10),
    limit: int = Query(default=50, ge=1, le=200),
    offset: int = Query(default=0, ge=0, le=MAX_OFFSET),
) -> list[DeliveryOut]:
    """The outbound messages to the households of a unit you serve and the units below it,
    newest first, with their attempts."""
    store = store_of(request)

    def listed() -> list[dict[str, Any]]:
        _over(store, principal, _P.ANNOUNCEMENTS_READ, unit_id)
        return reads.log(store, descendants(store, DIRECTORY.units, unit_id), status, limit, offset)

    return [DeliveryOut.model_validate(r) for r in await run_in_threadpool(listed)]
