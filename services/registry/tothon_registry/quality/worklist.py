"""A unit's data-quality worklist and scores, computed from the lookup tables on request (they
follow the events, so the worklist changes as corrections arrive)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import select

from tothon_registry.quality.rules import (
    STALE_AFTER_MONTHS,
    Finding,
    duplicate_findings,
    flag_findings,
    freshness_findings,
    household_findings,
    person_findings,
    score,
)
from tothon_registry.readmodels.tables import household_members, households, persons, presence_flags
from tothon_shared.readstore import ReadStore


def worklist(
    store: ReadStore, unit_ids: list[UUID], today: date, stale_after_months: int = STALE_AFTER_MONTHS
) -> dict[str, Any]:
    """Findings for the households and people of ``unit_ids``, with scores for the unit and for
    each household; a household unchecked for ``stale_after_months`` is a finding."""
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(households.c.household_id, households.c.code, households.c.verified_on).where(
                households.c.unit_id.in_(unit_ids)
            )
        ).all()
        homes = {r.household_id: r.code for r in rows}
        verified = {r.household_id: r.verified_on for r in rows}
        people = [
            dict(r._mapping)
            for r in connection.execute(
                select(persons).where(persons.c.household_id.in_(homes), persons.c.left_on.is_(None))
            )
        ]
        ids = {p["citizen_id"] for p in people if p["citizen_id"]}
        # The same ID anywhere in the register, not only in this unit, is a duplicate.
        elsewhere = (
            [
                dict(r._mapping)
                for r in connection.execute(
                    select(persons).where(
                        persons.c.citizen_id.in_(ids),
                        persons.c.left_on.is_(None),
                        persons.c.household_id.not_in(homes),
                    )
                )
            ]
            if ids
            else []
        )
        relationships: dict[UUID, list[str]] = defaultdict(list)
        for row in connection.execute(
            select(household_members.c.household_id, household_members.c.relationship).where(
                household_members.c.household_id.in_(homes)
            )
        ):
            relationships[row.household_id].append(row.relationship)
        flags = [
            dict(r._mapping)
            for r in connection.execute(
                select(presence_flags).where(
                    presence_flags.c.household_id.in_(homes), presence_flags.c.decision.is_(None)
                )
            )
        ]
    findings: list[Finding] = [f for p in people for f in person_findings(p, today)]
    findings += [f for f in duplicate_findings(people + elsewhere) if f.household_id in homes]
    findings += [f for h in homes for f in household_findings(h, relationships[h])]
    findings += flag_findings(flags)
    findings += [f for h in homes for f in freshness_findings(h, verified[h], today, stale_after_months)]
    names = {p["person_id"]: p["full_name"] for p in people}
    per_home: dict[UUID, list[Finding]] = defaultdict(list)
    for finding in findings:
        per_home[finding.household_id].append(finding)
    size: dict[UUID, int] = defaultdict(int)
    for person in people:
        size[person["household_id"]] += 1
    return {
        "people": len(people),
        "households": len(homes),
        "scores": score(len(people), findings),
        "household_scores": [
            {"household_id": h, "household_code": homes[h], "scores": score(size[h], per_home[h])}
            for h in sorted(homes, key=lambda h: homes[h])
            if per_home[h]
        ],
        "findings": [
            {
                "code": f.code,
                "dimension": str(f.dimension),
                "person_id": f.person_id,
                "full_name": names.get(f.person_id) if f.person_id else None,
                "household_id": f.household_id,
                "household_code": homes[f.household_id],
            }
            for f in sorted(findings, key=lambda f: (homes[f.household_id], f.code))
        ],
    }
