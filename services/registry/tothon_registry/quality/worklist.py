"""A unit's data-quality worklist and scores, computed from the lookup tables on request (they
follow the events, so the worklist changes as corrections arrive)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from tothon_registry.quality.register import Register, read_register
from tothon_registry.quality.rules import (
    STALE_AFTER_MONTHS,
    Finding,
    Rule,
    Severity,
    duplicate_findings,
    flag_findings,
    freshness_findings,
    household_findings,
    household_score,
    person_findings,
    score,
)
from tothon_registry.quality.summaries import Summary, summarise
from tothon_shared.readstore.store import ReadStore

Target = tuple[UUID, UUID | None]


@dataclass(frozen=True)
class Selection:
    """Which findings to list: by rule and severity (None: all), one import's findings one by one
    instead of summed up, and the page."""

    rules: frozenset[Rule] | None = None
    severities: frozenset[Severity] | None = None
    expanded_import: UUID | None = None
    limit: int = 50
    offset: int = 0
    stale_after_months: int = STALE_AFTER_MONTHS

    def wants(self, finding: Finding) -> bool:
        """Whether the finding passes the filters."""
        return (self.rules is None or finding.code in self.rules) and (
            self.severities is None or finding.severity in self.severities
        )


def worklist(
    store: ReadStore, unit_ids: list[UUID], today: date, serves: Callable[[UUID], bool], selection: Selection
) -> tuple[dict[str, Any], list[Target]]:
    """The scores of ``unit_ids`` (the unit and each unit below it holding households) and a page
    of its findings; with the (household, person) pairs whose names the page shows, for the read
    log. ``serves`` says whether the official may read a unit's records: a duplicate's twin in a
    unit they do not serve is said to exist, never shown."""
    register = read_register(store, unit_ids)
    findings = _findings(register, today, selection.stale_after_months)
    result: dict[str, Any] = {
        "people": len(register.people),
        "households": len(register.homes),
        "scores": _scores(len(register.people), len(register.homes), findings),
        "units": _unit_scores(register, findings),
    }
    findings = _without_repeats([_hide_twins(f, register, serves) for f in findings])
    findings = [f for f in findings if selection.wants(f)]
    if selection.expanded_import is not None:
        findings = [f for f in findings if register.imported.get(f.household_id) == selection.expanded_import]
    listed, summaries = summarise(findings, register.imported, _sizes(register), selection.expanded_import)
    listed.sort(key=lambda f: (register.homes[f.household_id].code, f.code, str(f.person_id)))
    # Summaries first; only the page is turned into rows (a ward holds tens of thousands).
    every: list[Summary | Finding] = [*summaries, *listed]
    chosen = every[selection.offset : selection.offset + selection.limit]
    page = [_summary_item(c, register) if isinstance(c, Summary) else _item(c, register) for c in chosen]
    total = len(summaries) + len(listed)
    result |= {"total": total, "limit": selection.limit, "offset": selection.offset, "findings": page}
    return result, _shown(page)


def _findings(register: Register, today: date, months: int) -> list[Finding]:
    homes = register.homes
    found = [f for p in register.people for f in person_findings(p, today)]
    found += [f for f in duplicate_findings(register.people + register.elsewhere) if f.household_id in homes]
    found += [f for h in homes for f in household_findings(h, register.relationships[h])]
    found += flag_findings(register.flags)
    found += [f for h, home in homes.items() for f in freshness_findings(h, home.verified_on, today, months)]
    return found


def _sizes(register: Register) -> dict[UUID, int]:
    size: dict[UUID, int] = defaultdict(int)
    for person in register.people:
        size[person["household_id"]] += 1
    return size


def _scores(people: int, households: int, findings: list[Finding]) -> dict[str, dict[str, float]]:
    """People scored among people, households among households."""
    return {"persons": score(people, findings), "households": household_score(households, findings)}


def _unit_scores(register: Register, findings: list[Finding]) -> list[dict[str, Any]]:
    """Each unit holding households, scored on its own people and households (one pass each)."""
    homes: dict[UUID, int] = defaultdict(int)
    people: dict[UUID, int] = defaultdict(int)
    found: dict[UUID, list[Finding]] = defaultdict(list)
    for home in register.homes.values():
        homes[home.unit_id] += 1
    for person in register.people:
        people[register.homes[person["household_id"]].unit_id] += 1
    for finding in findings:
        found[register.homes[finding.household_id].unit_id].append(finding)
    return [
        {
            "unit_id": unit,
            "name": register.unit_names.get(unit, ""),
            "people": people[unit],
            "households": homes[unit],
            "scores": _scores(people[unit], homes[unit], found[unit]),
        }
        for unit in sorted(homes, key=lambda u: register.unit_names.get(u, ""))
    ]


def _hide_twins(finding: Finding, register: Register, serves: Callable[[UUID], bool]) -> Finding:
    """A duplicate whose twin lies in a unit the official does not serve becomes "possible
    duplicate elsewhere", without the twin; the twins they serve stay named."""
    hidden = [t for t in finding.twins if not serves(register.unit_of_person(t))]
    if not hidden:
        return finding
    shown = tuple(t for t in finding.twins if t not in hidden)
    return Finding(
        Rule.DUPLICATE_ELSEWHERE, finding.dimension, finding.person_id, finding.household_id, shown
    )


def _without_repeats(findings: list[Finding]) -> list[Finding]:
    """One "duplicate elsewhere" a person: found by ID and by name, it is still one twin unseen."""
    seen: set[UUID | None] = set()
    kept = []
    for finding in findings:
        if finding.code == Rule.DUPLICATE_ELSEWHERE:
            if finding.person_id in seen:
                continue
            seen.add(finding.person_id)
        kept.append(finding)
    return kept


def _item(finding: Finding, register: Register) -> dict[str, Any]:
    home = register.homes[finding.household_id]
    return {
        "code": finding.code,
        "dimension": str(finding.dimension),
        "severity": str(finding.severity),
        "person_id": finding.person_id,
        "full_name": register.name_of(finding.person_id),
        "household_id": finding.household_id,
        "household_code": home.code,
        "unit_id": home.unit_id,
        "twins": [register.twin(t) for t in finding.twins],
        "summary": None,
    }


def _summary_item(summary: Summary, register: Register) -> dict[str, Any]:
    example = summary.example
    return {
        "code": summary.code,
        "dimension": str(example.dimension),
        "severity": str(example.severity),
        "person_id": None,
        "full_name": None,
        "household_id": None,
        "household_code": None,
        "unit_id": register.homes[example.household_id].unit_id,
        "twins": [],
        "summary": {
            "import_id": summary.import_id,
            "filename": register.import_files.get(summary.import_id),
            "count": summary.count,
        },
    }


def _shown(page: list[dict[str, Any]]) -> list[Target]:
    """The records whose names the page shows: each finding's person and the twins named."""
    shown: list[Target] = []
    for item in page:
        if item["person_id"] is not None:
            shown.append((item["household_id"], item["person_id"]))
        shown += [(t["household_id"], t["person_id"]) for t in item["twins"]]
    return list(dict.fromkeys(shown))
