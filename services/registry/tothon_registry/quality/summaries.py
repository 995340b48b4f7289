"""A rule that flags nearly every record of one import says something about the import (its
sheet had no such column, say), not about each record: it is listed once, with a count."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from tothon_registry.quality.rules import Finding

# A rule is summed up when it flags at least this share of an import's records (people for a
# rule about people, households for one about households) ...
SUMMARY_SHARE = 0.9
# ... and at least this many: a handful of findings is easier to read one by one.
SUMMARY_MIN = 10


@dataclass(frozen=True)
class Summary:
    """One rule's findings in one import, counted instead of listed."""

    code: str
    import_id: UUID
    count: int
    example: Finding


def summarise(
    findings: list[Finding],
    imported: Mapping[UUID, UUID],
    people_per_household: Mapping[UUID, int],
    expanded: UUID | None,
) -> tuple[list[Finding], list[Summary]]:
    """``findings`` split into those listed one by one and the summaries of rules that flag
    (nearly) every record of an import; ``imported`` maps a household to its import. The
    findings of the ``expanded`` import are listed one by one."""
    people: Counter[UUID] = Counter()
    homes: Counter[UUID] = Counter()
    for household, import_id in imported.items():
        people[import_id] += people_per_household.get(household, 0)
        homes[import_id] += 1
    groups: dict[tuple[str, UUID, bool], list[Finding]] = defaultdict(list)
    for finding in findings:
        source = imported.get(finding.household_id)
        if source is not None and source != expanded:
            groups[(finding.code, source, finding.person_id is None)].append(finding)
    summaries = []
    summed: set[int] = set()
    for (code, import_id, about_households), group in groups.items():
        records = homes[import_id] if about_households else people[import_id]
        if len(group) >= SUMMARY_MIN and len(group) >= SUMMARY_SHARE * records:
            summaries.append(Summary(code, import_id, len(group), group[0]))
            summed.update(id(f) for f in group)
    return [f for f in findings if id(f) not in summed], summaries
