"""Routes for a person's record: the view (masked by role and purpose, every read logged),
consents given and withdrawn by the residents themselves, and erasure by the ward."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from tothon_registry.api.deps import Registry, Store
from tothon_registry.disclosure import Disclosure, PersonField, Purpose
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels import person_reads, person_search, queries
from tothon_shared.auth.http import Authenticated, require
from tothon_shared.auth.principal import Principal
from tothon_shared.http.openapi import problems
from tothon_shared.kernel.identity import CitizenId, VietnamesePhone
from tothon_shared.kernel.text import fold

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
    principal: Annotated[Principal, Depends(require(RegistryPermission.HOUSEHOLDS_READ))],
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
    found = await run_in_threadpool(
        person_reads.search, store, principal, person_reads.Search(unit_id, purpose, asked, after)
    )
    page = found.rows
    return SearchResult(
        items=[
            Found.model_validate(r | {"birth_year": r["birth_year"] if found.show_year else None})
            for r in page
        ],
        next=person_search.encode_cursor(page[-1]["sort_key"], page[-1]["person_id"]) if found.more else None,
    )


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
    await run_in_threadpool(person_reads.history_read, store, principal, person_id)
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
    seen = await run_in_threadpool(person_reads.record, store, principal, person_id, purpose)
    return PersonView.model_validate(
        {
            **seen.values,
            "disclosure": {f: _SHOWN[level] for f, level in seen.disclosure.items()},
            "purpose": purpose,
        }
    )
