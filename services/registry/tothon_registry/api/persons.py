"""Routes for a person's record: the view (masked by role and purpose, every read logged),
consents given and withdrawn by the residents themselves, and erasure by the ward."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from tothon_registry.api.deps import Registry, Store, authorize_at, authorized_lineage
from tothon_registry.disclosure import Disclosure, PersonField, Purpose, disclosure_for, mask
from tothon_registry.domain.names import fold
from tothon_registry.domain.person import ConsentError, ConsentPurpose, ErasureReason, PersonErasedError
from tothon_registry.permissions import RegistryPermission as Permission
from tothon_registry.readmodels import person_search, queries
from tothon_registry.readmodels.access_log import log_reads, record_reads
from tothon_shared.auth.http import Authenticated, require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.commands import run_command
from tothon_shared.http.openapi import problems
from tothon_shared.http.problems import ProblemError
from tothon_shared.kernel.clock import today
from tothon_shared.kernel.identity import CitizenId, VietnamesePhone
from tothon_shared.privacy.keys import SubjectShreddedError
from tothon_shared.readstore.store import ReadStore

router = APIRouter(prefix="/api/v1/persons", tags=["persons"])

Shown = Literal["full", "masked", "hidden"]
_SHOWN: dict[Disclosure, Shown] = {
    Disclosure.FULL: "full",
    Disclosure.MASKED: "masked",
    Disclosure.HIDDEN: "hidden",
}


class ConsentOut(BaseModel):
    """A consent with when it was last given and withdrawn."""

    purpose: str
    given_at: datetime | None
    withdrawn_at: datetime | None


class PersonView(BaseModel):
    """A person's record as the caller may see it: hidden fields are null, masked ones partial."""

    person_id: UUID
    household_id: UUID
    unit_id: UUID
    relationship: str
    full_name: str | None
    sex: str | None
    birth_date: str | None = Field(
        description="YYYY-MM-DD, or only the year (when masked or all that is known)."
    )
    citizen_id: str | None
    phone: str | None
    ethnicity: str | None
    religion: str | None
    occupation: str | None
    health_status: str | None
    poverty_status: str | None
    residence_status: str | None
    residence_valid_until: date | None
    erased_on: date | None
    consents: list[ConsentOut]
    disclosure: dict[PersonField, Shown]
    purpose: Purpose | None


class ConsentIn(BaseModel):
    """A consent being given."""

    model_config = ConfigDict(extra="forbid")
    purpose: ConsentPurpose
    phone: VietnamesePhone | None = None


class ErasureIn(BaseModel):
    """Why a person's data is erased (a code, never free text: it stays readable)."""

    model_config = ConfigDict(extra="forbid")
    reason: ErasureReason


async def _person(store: Store, person_id: UUID) -> dict[str, Any]:
    view = await run_in_threadpool(queries.person_view, store, person_id)
    if view is None:
        raise ProblemError(404, "person.not_found")
    return view


class Found(BaseModel):
    """A person found: enough to tell people apart and open the record."""

    person_id: UUID
    household_id: UUID
    household_code: str
    unit_id: UUID
    full_name: str
    relationship: str
    birth_year: int | None = Field(description="Shown when the caller may see (at least) the birth year.")


class SearchResult(BaseModel):
    """A page of persons in the Vietnamese order of names; ``next`` fetches the following page."""

    items: list[Found]
    next: str | None


@router.get("", responses=problems(404))
async def search_persons(
    unit_id: UUID,
    purpose: Purpose,
    store: Store,
    principal: Annotated[Principal, Depends(require(Permission.HOUSEHOLDS_READ))],
    q: Annotated[str | None, Query(max_length=100, description="Name, with or without tones.")] = None,
    citizen_id: CitizenId | None = None,
    phone: VietnamesePhone | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    after: Annotated[
        str | None, Query(max_length=2000, description="The `next` of the previous page.")
    ] = None,
) -> SearchResult:
    """Find persons in a unit you serve (and the units below it) by name without tones ("nguyen thi
    be" finds "Nguyễn Thị Bê"), by citizen ID or by phone; sorted by given name, then family, then
    middle. Searching by ID or phone needs the right to see that field in full. Every person
    listed is a read of their name, and is logged."""
    asked = person_search.PersonQuery(fold(q or "").split(), citizen_id, phone, limit, None)
    search = Search(unit_id, purpose, asked, after)
    page, more, show_year = await run_in_threadpool(_search, store, principal, search)
    return SearchResult(
        items=[
            Found.model_validate(r | {"birth_year": r["birth_year"] if show_year else None}) for r in page
        ],
        next=person_search.encode_cursor(page[-1]["sort_key"], page[-1]["person_id"]) if more else None,
    )


@dataclass(frozen=True)
class Search:
    """What was asked, as the route received it."""

    unit_id: UUID
    purpose: Purpose
    query: person_search.PersonQuery  # from the first person, a page of ``limit``
    after: str | None  # the ``next`` of the previous page, as sent


def _search(
    store: ReadStore, principal: Principal, search: Search
) -> tuple[list[dict[str, Any]], bool, bool]:
    # One thread hop; the log of the page commits before the page is shown.
    with store.autocommit() as connection:
        unit_lineage = authorized_lineage(
            store, principal, Permission.HOUSEHOLDS_READ, search.unit_id, connection
        )
        seen = disclosure_for(principal, unit_lineage, search.purpose)
        query = search.query
        for field, value in ((PersonField.CITIZEN_ID, query.citizen_id), (PersonField.PHONE, query.phone)):
            if value is not None and seen[field] is not Disclosure.FULL:
                raise ProblemError(403, "auth.forbidden")
        if not (query.words or query.citizen_id or query.phone):
            raise ProblemError(422, "person.search_empty")
        try:
            cursor = person_search.decode_cursor(search.after) if search.after else None
        except ValueError:
            raise ProblemError(422, "person.search_cursor") from None
        show_year = seen[PersonField.BIRTH_DATE] is not Disclosure.HIDDEN
        fields = "full_name" + (",birth_date:year" if show_year else "")
        # One more than a page: whether a next page exists.
        asked = replace(query, limit=query.limit + 1, after=cursor)
        rows = person_search.search_persons(connection, search.unit_id, asked)
        page = rows[: query.limit]
        log_reads(
            connection, principal, [(r["household_id"], r["person_id"]) for r in page], fields, search.purpose
        )
    return page, len(rows) > query.limit, show_year


class HistoryEntry(BaseModel):
    """One change to a person's record: what, when, by whom (no values: the record shows those)."""

    event: str
    at: datetime
    actor_name: str
    detail: str | None = Field(description="A code: the consent purpose, the reason, the fields corrected…")


# What a history entry may say beyond its kind: codes only, never personal values.
_DETAIL = {
    "ConsentGiven": "purpose",
    "ConsentWithdrawn": "purpose",
    "Erased": "reason",
    "LeftHousehold": "reason",
    "RelationshipChanged": "relationship",
}


@router.get("/{person_id}/history", responses=problems(403, 404))
async def person_history(
    person_id: UUID, registry: Registry, store: Store, principal: Authenticated
) -> list[HistoryEntry]:
    """A person's record over time, oldest first: residents for their own household, officials
    in their units (a logged read)."""
    view = await _person(store, person_id)
    if principal.household_id != view["household_id"]:
        await authorize_at(store, principal, Permission.HOUSEHOLDS_READ, view["unit_id"])
        await run_in_threadpool(
            record_reads, store, principal, [(view["household_id"], person_id)], "history", "data_quality"
        )
    events = await run_in_threadpool(registry.person_history, person_id)
    names = await run_in_threadpool(queries.account_names, store, {c.actor for _e, c in events})
    entries = []
    for event, context in events:
        name = type(event).__name__
        detail = getattr(event, _DETAIL[name], None) if name in _DETAIL else None
        if name == "Corrected":
            detail = ",".join(sorted(getattr(event, "changes", None) or {})) or None
        entries.append(
            HistoryEntry(
                event=name,
                at=event.timestamp,
                actor_name=names.get(context.actor, context.actor),
                detail=str(detail) if detail is not None else None,
            )
        )
    return entries


@router.get("/{person_id}", responses=problems(403, 404))
async def get_person(
    person_id: UUID, store: Store, principal: Authenticated, purpose: Purpose | None = None
) -> PersonView:
    """A person's record. Residents see their own household's members in full; an official states
    a purpose and sees what both their role and that purpose allow. Every official read is
    logged, and the residents concerned can see it."""
    view = await _person(store, person_id)
    if principal.household_id == view["household_id"]:
        disclosure = dict.fromkeys(PersonField, Disclosure.FULL)
    else:
        unit_lineage = await authorize_at(store, principal, Permission.HOUSEHOLDS_READ, view["unit_id"])
        if purpose is None:
            raise ProblemError(422, "person.purpose_required")
        disclosure = disclosure_for(principal, unit_lineage, purpose)
        shown = [
            f if level is Disclosure.FULL else f"{f}:masked"
            for f, level in disclosure.items()
            if level is not Disclosure.HIDDEN
        ]
        # Logged before the data leaves: a read that is not on record does not happen.
        await run_in_threadpool(
            record_reads, store, principal, [(view["household_id"], person_id)], ",".join(shown), purpose
        )
    return PersonView.model_validate(
        {
            **view,
            **{str(f): _shown(f, _value(view, f), level) for f, level in disclosure.items()},
            "residence_valid_until": view["residence_valid_until"]
            if disclosure[PersonField.RESIDENCE_STATUS] is Disclosure.FULL
            else None,
            "disclosure": {f: _SHOWN[level] for f, level in disclosure.items()},
            "purpose": purpose,
        }
    )


def _value(view: dict[str, Any], field: PersonField) -> object:
    if field is PersonField.BIRTH_DATE:
        return view["birth_date"] or view["birth_year"]  # many older people have only a year
    return view[field]


def _shown(name: PersonField, value: object, level: Disclosure) -> object:
    if value is None or level is Disclosure.HIDDEN:
        return None
    if level is Disclosure.MASKED:
        return mask(name, value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if isinstance(value, int) else value


@router.post(
    "/{person_id}/consents", status_code=status.HTTP_204_NO_CONTENT, responses=problems(403, 404, 409)
)
async def give_consent(
    person_id: UUID,
    body: ConsentIn,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Authenticated,
) -> Response:
    """Consent, for yourself or a member of your household, to processing the law does not require."""
    view = await _person(store, person_id)
    _own_household(principal, view)
    try:
        await run_command(request, registry.give_consent, person_id, body.purpose, body.phone)
    except ConsentError:
        raise ProblemError(422, "person.phone_needs_consent") from None
    except (PersonErasedError, SubjectShreddedError):
        raise ProblemError(409, "person.erased") from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/{person_id}/consents/{purpose}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(403, 404, 409),
)
async def withdraw_consent(
    person_id: UUID,
    purpose: ConsentPurpose,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Authenticated,
) -> Response:
    """Withdraw a consent; what was kept only for it (the phone number) is no longer kept."""
    view = await _person(store, person_id)
    _own_household(principal, view)
    try:
        await run_command(request, registry.withdraw_consent, person_id, purpose)
    except ConsentError:
        raise ProblemError(409, "consent.not_given") from None
    except PersonErasedError:
        raise ProblemError(409, "person.erased") from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{person_id}/erasure", status_code=status.HTTP_204_NO_CONTENT, responses=problems(404))
async def erase_person(
    person_id: UUID,
    body: ErasureIn,
    request: Request,
    registry: Registry,
    store: Store,
    principal: Annotated[Principal, Depends(require(Permission.PERSONS_ERASE))],
) -> Response:
    """Erase a person's data (crypto-shredding): their stored events stay, unreadable; the
    household keeps its member count. Ward officials only, within their ward."""
    view = await _person(store, person_id)
    await authorize_at(store, principal, Permission.PERSONS_ERASE, view["unit_id"])
    await run_command(request, registry.erase_person, person_id, body.reason, today())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _own_household(principal: Principal, view: dict[str, Any]) -> None:
    if principal.household_id != view["household_id"]:
        raise ProblemError(403, "consent.own_household")
