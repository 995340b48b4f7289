"""The data-quality rules, as pure functions over the register's rows.

Each rule yields findings with a dimension — valid (đúng), complete (đủ), clean (sạch), live
(sống) — so that an official works through a worklist and scores follow from what is left. Rules
read the lookup tables, which follow the events, so scores change as events arrive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from tothon_registry.domain.citizen_id import check_citizen_id

# A citizen ID card is issued from the age of 14.
ID_CARD_AGE = 14
OLDEST_PLAUSIBLE_AGE = 120


class Dimension(StrEnum):
    """Which promise a finding breaks."""

    VALID = "valid"
    COMPLETE = "complete"
    CLEAN = "clean"
    LIVE = "live"


@dataclass(frozen=True)
class Finding:
    """One thing to put right, about a person or a household."""

    code: str
    dimension: Dimension
    person_id: UUID | None
    household_id: UUID


def person_findings(person: Mapping[str, Any], today: date) -> list[Finding]:
    """What is wrong or missing in one person's row (an erased person has nothing to check)."""
    if person.get("erased_on") is not None:
        return []
    found: list[tuple[str, Dimension]] = []
    year = person.get("birth_year")
    citizen_id = person.get("citizen_id")
    if citizen_id:
        found += [(str(f), Dimension.VALID) for f in check_citizen_id(citizen_id, person.get("sex"), year)]
    if year is not None and not today.year - OLDEST_PLAUSIBLE_AGE <= year <= today.year:
        found.append(("birth.implausible", Dimension.VALID))
    for field in ("sex", "residence_status"):
        if not person.get(field):
            found.append((f"{field}.missing", Dimension.COMPLETE))
    if year is None:
        found.append(("birth.missing", Dimension.COMPLETE))
    elif not citizen_id and today.year - year >= ID_CARD_AGE:
        found.append(("citizen_id.missing", Dimension.COMPLETE))
    if person.get("residence_status") == "temporary":
        until = person.get("residence_valid_until")
        if until is not None and until < today:
            found.append(("residence.temporary_expired", Dimension.LIVE))
    return [
        Finding(code, dimension, person["person_id"], person["household_id"]) for code, dimension in found
    ]


def duplicate_findings(persons: Iterable[Mapping[str, Any]]) -> list[Finding]:
    """Two records of one person: the same citizen ID (in one household or two), or the same
    name (without tones) and birth year."""
    by_id: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    by_name: dict[tuple[str, int], list[Mapping[str, Any]]] = defaultdict(list)
    for person in persons:
        if person.get("erased_on") is not None:
            continue
        if person.get("citizen_id"):
            by_id[person["citizen_id"]].append(person)
        if person.get("name_key") and person.get("birth_year") is not None:
            by_name[(person["name_key"], person["birth_year"])].append(person)
    found = []
    for group in by_id.values():
        if len(group) > 1:
            code = (
                "duplicate.two_households"
                if len({p["household_id"] for p in group}) > 1
                else "duplicate.citizen_id"
            )
            found += [Finding(code, Dimension.CLEAN, p["person_id"], p["household_id"]) for p in group]
    for group in by_name.values():
        if len(group) > 1 and len({p.get("citizen_id") for p in group if p.get("citizen_id")}) != len(group):
            found += [
                Finding("duplicate.name_and_birth", Dimension.CLEAN, p["person_id"], p["household_id"])
                for p in group
            ]
    return found


def household_findings(household_id: UUID, relationships: Iterable[str]) -> list[Finding]:
    """A household needs exactly one head."""
    heads = sum(1 for r in relationships if r == "head")
    if heads == 1:
        return []
    code = "household.no_head" if heads == 0 else "household.two_heads"
    return [Finding(code, Dimension.CLEAN, None, household_id)]


# How long a household may go unchecked before the register can no longer be called live.
STALE_AFTER_MONTHS = 12


def freshness_findings(household_id: UUID, verified_on: date, today: date, months: int) -> list[Finding]:
    """A household nobody has checked against reality for ``months`` months or more."""
    elapsed = (
        (today.year - verified_on.year) * 12 + today.month - verified_on.month - (today.day < verified_on.day)
    )
    if elapsed < months:
        return []
    return [Finding("household.not_verified", Dimension.LIVE, None, household_id)]


def flag_findings(flags: Iterable[Mapping[str, Any]]) -> list[Finding]:
    """Open ghost-resident flags: the register may not say who really lives there."""
    return [
        Finding("presence.open_flag", Dimension.LIVE, f.get("person_id"), f["household_id"])
        for f in flags
        if f.get("decision") is None
    ]


def score(people: int, findings: Iterable[Finding]) -> dict[str, float]:
    """Per dimension, the share of people without a finding in it (1.0 when all is well)."""
    troubled: dict[Dimension, set[UUID]] = defaultdict(set)
    for finding in findings:
        troubled[finding.dimension].add(finding.person_id or finding.household_id)
    if people == 0:
        return {str(d): 1.0 for d in Dimension}
    return {str(d): round(max(0.0, 1 - len(troubled[d]) / people), 3) for d in Dimension}
