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

from tothon_registry.domain.citizen_id import IdFinding, check_citizen_id
from tothon_registry.domain.household import count_heads
from tothon_registry.domain.person_details import ResidenceStatus

# A citizen ID card is issued from the age of 14.
ID_CARD_AGE = 14
OLDEST_PLAUSIBLE_AGE = 120


class Dimension(StrEnum):
    """Which promise a finding breaks."""

    VALID = "valid"
    COMPLETE = "complete"
    CLEAN = "clean"
    LIVE = "live"


class Severity(StrEnum):
    """How much a finding matters: the register says something wrong (error), something is
    missing or may be wrong (warning), or it is time to look again (notice)."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


class Rule(StrEnum):
    """Every rule's code, as findings carry it (the closed set a worklist is filtered by)."""

    ID_MALFORMED = IdFinding.MALFORMED.value
    ID_OLD_CARD = IdFinding.OLD_CARD.value
    ID_UNKNOWN_PREFIX = IdFinding.UNKNOWN_PREFIX.value
    ID_SEX_MISMATCH = IdFinding.SEX_MISMATCH.value
    ID_CENTURY_MISMATCH = IdFinding.CENTURY_MISMATCH.value
    ID_YEAR_MISMATCH = IdFinding.YEAR_MISMATCH.value
    BIRTH_IMPLAUSIBLE = "birth.implausible"
    SEX_MISSING = "sex.missing"
    RESIDENCE_MISSING = "residence_status.missing"
    BIRTH_MISSING = "birth.missing"
    ID_MISSING = "citizen_id.missing"
    TEMPORARY_EXPIRED = "residence.temporary_expired"
    DUPLICATE_ID = "duplicate.citizen_id"
    DUPLICATE_TWO_HOUSEHOLDS = "duplicate.two_households"
    DUPLICATE_NAME_AND_BIRTH = "duplicate.name_and_birth"
    # A duplicate whose twin lies outside the units of the official looking: said, not shown.
    DUPLICATE_ELSEWHERE = "duplicate.elsewhere"
    NO_HEAD = "household.no_head"
    TWO_HEADS = "household.two_heads"
    NOT_VERIFIED = "household.not_verified"
    OPEN_FLAG = "presence.open_flag"

    @property
    def severity(self) -> Severity:
        """Missing data is a warning, a possible duplicate too; staleness and open flags are
        notices; the rest say the register is wrong."""
        if self in _WARNINGS:
            return Severity.WARNING
        if self in _NOTICES:
            return Severity.NOTICE
        return Severity.ERROR


_WARNINGS = frozenset(
    {
        Rule.SEX_MISSING,
        Rule.RESIDENCE_MISSING,
        Rule.BIRTH_MISSING,
        Rule.ID_MISSING,
        Rule.DUPLICATE_NAME_AND_BIRTH,
        Rule.DUPLICATE_ELSEWHERE,
    }
)
_NOTICES = frozenset({Rule.TEMPORARY_EXPIRED, Rule.NOT_VERIFIED, Rule.OPEN_FLAG})


@dataclass(frozen=True)
class Finding:
    """One thing to put right, about a person or a household; a duplicate names its twins (the
    other records of the same person)."""

    code: str
    dimension: Dimension
    person_id: UUID | None
    household_id: UUID
    twins: tuple[UUID, ...] = ()

    @property
    def severity(self) -> Severity:
        """The severity of the finding's rule."""
        return _SEVERITY[self.code]


# Looked up by code for each finding: a dictionary, not the enum's constructor (ten times slower).
_SEVERITY = {str(rule): rule.severity for rule in Rule}


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
    if person.get("residence_status") == ResidenceStatus.TEMPORARY:
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
            found += _twinned(code, group)
    for group in by_name.values():
        if len(group) > 1 and len({p.get("citizen_id") for p in group if p.get("citizen_id")}) != len(group):
            found += _twinned("duplicate.name_and_birth", group)
    return found


def _twinned(code: str, group: list[Mapping[str, Any]]) -> list[Finding]:
    """A finding for each record of a group, naming the others as its twins."""
    ids = [p["person_id"] for p in group]
    return [
        Finding(
            code,
            Dimension.CLEAN,
            p["person_id"],
            p["household_id"],
            tuple(i for i in ids if i != p["person_id"]),
        )
        for p in group
    ]


def household_findings(household_id: UUID, relationships: Iterable[str]) -> list[Finding]:
    """A household needs exactly one head."""
    counted = count_heads(relationships)
    if counted == 1:
        return []
    code = "household.no_head" if counted == 0 else "household.two_heads"
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
    """Per dimension, the share of people without a finding about them in it (1.0 when all is
    well); findings about a household as a whole are not about its people."""
    return _shares(people, ((f.dimension, f.person_id) for f in findings if f.person_id is not None))


def household_score(households: int, findings: Iterable[Finding]) -> dict[str, float]:
    """Per dimension, the share of households without a finding about the household itself."""
    return _shares(households, ((f.dimension, f.household_id) for f in findings if f.person_id is None))


def _shares(total: int, troubles: Iterable[tuple[Dimension, UUID]]) -> dict[str, float]:
    # Each is counted in its own unit: a person among people, a household among households.
    troubled: dict[Dimension, set[UUID]] = defaultdict(set)
    for dimension, subject in troubles:
        troubled[dimension].add(subject)
    if total == 0:
        return {str(d): 1.0 for d in Dimension}
    return {str(d): round(max(0.0, 1 - len(troubled[d]) / total), 3) for d in Dimension}
