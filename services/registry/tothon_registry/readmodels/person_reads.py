"""The read side's policy for a person's record: who may read it (their household, or officials
serving its unit), what each sees (by role and purpose, the rest masked or hidden), and the log
of every official read, written before the data leaves. The routes call one function each."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from tothon_registry.disclosure import Disclosure, PersonField, Purpose, disclosure_for, mask
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels import person_search, queries
from tothon_registry.readmodels.access_log import log_reads, record_reads
from tothon_registry.readmodels.refusals import ReadRefusedError
from tothon_registry.readmodels.scope import authorized_lineage
from tothon_shared.auth.principal import Principal
from tothon_shared.readstore.store import ReadStore


def person(store: ReadStore, person_id: UUID) -> dict[str, Any]:
    """The person's row in the read model (their household and unit), or a refusal."""
    view = queries.person_view(store, person_id)
    if view is None:
        raise ReadRefusedError("person_not_found")
    return view


def authorize_change(
    store: ReadStore, principal: Principal, person_id: UUID, permission: RegistryPermission
) -> None:
    """Refuse a change to the person's record unless the caller holds ``permission`` in their unit."""
    authorized_lineage(store, principal, permission, person(store, person_id)["unit_id"])


def member_of_own_household(store: ReadStore, principal: Principal, person_id: UUID) -> dict[str, Any]:
    """The person, when they belong to the caller's own household (consents are theirs to give)."""
    view = person(store, person_id)
    if principal.household_id != view["household_id"]:
        raise ReadRefusedError("not_own_household")
    return view


@dataclass(frozen=True)
class Record:
    """A person's record as the caller may see it, and how much of each field that is."""

    values: dict[str, Any]
    disclosure: dict[PersonField, Disclosure]


def record(store: ReadStore, principal: Principal, person_id: UUID, purpose: Purpose | None) -> Record:
    """The record: in full for the person's own household; for an official serving its unit,
    what both their role and the stated purpose allow, the read logged first."""
    view = person(store, person_id)
    if principal.household_id == view["household_id"]:
        disclosure = dict.fromkeys(PersonField, Disclosure.FULL)
    else:
        unit_lineage = authorized_lineage(
            store, principal, RegistryPermission.HOUSEHOLDS_READ, view["unit_id"]
        )
        if purpose is None:
            raise ReadRefusedError("purpose_required")
        disclosure = disclosure_for(principal, unit_lineage, purpose)
        shown = [
            f if level is Disclosure.FULL else f"{f}:masked"
            for f, level in disclosure.items()
            if level is not Disclosure.HIDDEN
        ]
        # Logged before the data leaves: a read that is not on record does not happen.
        record_reads(store, principal, [(view["household_id"], person_id)], ",".join(shown), purpose)
    values = {
        **view,
        **{str(f): _shown(f, _value(view, f), level) for f, level in disclosure.items()},
        "residence_valid_until": view["residence_valid_until"]
        if disclosure[PersonField.RESIDENCE_STATUS] is Disclosure.FULL
        else None,
    }
    return Record(values, disclosure)


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


def history_read(store: ReadStore, principal: Principal, person_id: UUID) -> None:
    """Refuse unless the caller may read the person's history: their own household, or an
    official serving its unit (whose read is logged)."""
    view = person(store, person_id)
    if principal.household_id != view["household_id"]:
        authorized_lineage(store, principal, RegistryPermission.HOUSEHOLDS_READ, view["unit_id"])
        record_reads(store, principal, [(view["household_id"], person_id)], "history", "data_quality")


@dataclass(frozen=True)
class Search:
    """What was asked, as the route received it."""

    unit_id: UUID
    purpose: Purpose
    query: person_search.PersonQuery  # from the first person, a page of ``limit``
    after: str | None  # the ``next`` of the previous page, as sent


@dataclass(frozen=True)
class Page:
    """A page of persons found, whether more follow, and whether their birth year may be shown."""

    rows: list[dict[str, Any]]
    more: bool
    show_year: bool


def search(store: ReadStore, principal: Principal, asked: Search) -> Page:
    """A page of the persons found in a unit the caller serves (and those below it). Searching by
    citizen ID or phone needs the right to see that field in full; each person listed is a
    logged read of their name. One connection; the log of the page commits before it is shown."""
    with store.autocommit() as connection:
        unit_lineage = authorized_lineage(
            store, principal, RegistryPermission.HOUSEHOLDS_READ, asked.unit_id, connection
        )
        seen = disclosure_for(principal, unit_lineage, asked.purpose)
        query = asked.query
        for field, value in ((PersonField.CITIZEN_ID, query.citizen_id), (PersonField.PHONE, query.phone)):
            if value is not None and seen[field] is not Disclosure.FULL:
                raise ReadRefusedError("field_not_searchable")
        if not (query.words or query.citizen_id or query.phone):
            raise ReadRefusedError("search_empty")
        cursor = _cursor(asked.after)
        show_year = seen[PersonField.BIRTH_DATE] is not Disclosure.HIDDEN
        fields = "full_name" + (",birth_date:year" if show_year else "")
        # One more than a page: whether a next page exists.
        rows = person_search.search_persons(
            connection, asked.unit_id, replace(query, limit=query.limit + 1, after=cursor)
        )
        page = rows[: query.limit]
        log_reads(
            connection, principal, [(r["household_id"], r["person_id"]) for r in page], fields, asked.purpose
        )
    return Page(page, len(rows) > query.limit, show_year)


def _cursor(after: str | None) -> Any:
    if after is None:
        return None
    try:
        return person_search.decode_cursor(after)
    except ValueError:
        raise ReadRefusedError("search_cursor") from None
