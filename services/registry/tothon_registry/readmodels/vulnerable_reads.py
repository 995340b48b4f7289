"""Who needs help first when a typhoon or a flood comes: the people of a unit's subtree who are
elderly and living alone, infants, or (for those who may see health) people whose health status is
recorded — the register records no disability as such, so the health status stands in for it.

Every list is a logged read of the persons it names (purpose ``emergency_response``), and each
field is shown as the caller's role and that purpose allow (a group leader sees names, phones
and birth years, never health)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, or_, select

from tothon_registry.disclosure import Disclosure, PersonField, Purpose, disclosure_for, mask
from tothon_registry.domain.age_bands import YEAR_ONLY_BIRTHDAY, plus_months
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels.access_log import log_reads
from tothon_registry.readmodels.scope import authorized_lineage
from tothon_registry.readmodels.tables import households, persons, units
from tothon_shared.auth.lineage import descendants
from tothon_shared.auth.principal import Principal
from tothon_shared.readstore.store import ReadStore

# Law on the Elderly 2009, Article 2: an elderly person is a citizen aged 60 or more.
ELDERLY_YEARS = 60
# An infant: in their first year.
INFANT_MONTHS = 12


def _born(row: Any) -> date | None:
    if row.birth_date is not None:
        born: date = row.birth_date
        return born
    return date(row.birth_year, *YEAR_ONLY_BIRTHDAY) if row.birth_year is not None else None


def kinds_of(row: Any, today: date, health_shown: bool) -> list[str]:
    """Why a person is on the list (none: they are not)."""
    found: list[str] = []
    born = _born(row)
    if born is not None and row.member_count == 1 and plus_months(born, 12 * ELDERLY_YEARS) <= today:
        found.append("elderly_alone")
    if row.birth_date is not None and today < plus_months(row.birth_date, INFANT_MONTHS):
        found.append("infant")
    if health_shown and (row.health_status or "").strip():
        found.append("health")
    return found


def vulnerable(
    store: ReadStore, principal: Principal, unit_id: UUID, today: date, limit: int, offset: int
) -> list[dict[str, Any]]:
    """The people of ``unit_id`` and the units below it who need help first, by unit and household
    code; the read logged before the data leaves, in the same transaction."""
    chain = authorized_lineage(store, principal, RegistryPermission.HOUSEHOLDS_READ, unit_id)
    shown = disclosure_for(principal, chain, Purpose.EMERGENCY_RESPONSE)
    health_shown = shown[PersonField.HEALTH_STATUS] is Disclosure.FULL
    infant_born_after = date(today.year - 1, today.month, 1)  # a month's margin; exact below
    elderly_born_by = today.year - ELDERLY_YEARS
    candidates = or_(
        persons.c.birth_date >= infant_born_after,
        and_(
            households.c.member_count == 1,
            func.coalesce(func.extract("year", persons.c.birth_date), persons.c.birth_year)
            <= elderly_born_by,
        ),
        *([func.length(func.trim(persons.c.health_status)) > 0] if health_shown else []),
    )
    with store.engine.begin() as connection:
        below = descendants(store, units, unit_id)
        query = (
            select(
                persons.c.person_id,
                persons.c.household_id,
                persons.c.full_name,
                persons.c.phone,
                persons.c.birth_date,
                persons.c.birth_year,
                persons.c.health_status,
                households.c.code.label("household_code"),
                households.c.unit_id,
                households.c.member_count,
            )
            .select_from(persons.join(households, households.c.household_id == persons.c.household_id))
            .where(
                households.c.unit_id.in_(below),
                persons.c.left_on.is_(None),
                persons.c.erased_on.is_(None),
                candidates,
            )
            .order_by(households.c.unit_id, households.c.code, persons.c.person_id)
        )
        rows = [(r, kinds_of(r, today, health_shown)) for r in connection.execute(query)]
        page = [(r, k) for r, k in rows if k][offset : offset + limit]
        read = [
            f if shown[f] is Disclosure.FULL else f"{f}:masked"
            for f in (
                PersonField.FULL_NAME,
                PersonField.PHONE,
                PersonField.BIRTH_DATE,
                PersonField.HEALTH_STATUS,
            )
            if shown[f] is not Disclosure.HIDDEN
        ]
        # Logged before the data leaves, with it: a read that is not on record does not happen.
        log_reads(
            connection,
            principal,
            [(r.household_id, r.person_id) for r, _ in page],
            ",".join(read),
            Purpose.EMERGENCY_RESPONSE,
        )
    return [
        {
            "person_id": r.person_id,
            "household_id": r.household_id,
            "household_code": r.household_code,
            "unit_id": r.unit_id,
            "full_name": r.full_name if shown[PersonField.FULL_NAME] is Disclosure.FULL else None,
            "phone": _field(shown, PersonField.PHONE, r.phone),
            "birth_year": _year(r),
            "kinds": kinds,
            "health_status": r.health_status if health_shown else None,
        }
        for r, kinds in page
    ]


def _year(row: Any) -> int | None:
    born = _born(row)
    return born.year if born is not None else None


def _field(shown: dict[PersonField, Disclosure], name: PersonField, value: object) -> str | None:
    level = shown[name]
    if level is Disclosure.HIDDEN or value is None:
        return None
    return str(value) if level is Disclosure.FULL else mask(name, value)
