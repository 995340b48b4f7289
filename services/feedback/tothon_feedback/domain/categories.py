"""Categories of feedback: who is competent for each, and how long each level has to answer.

A category names its competent level, the lowest level that can settle it (a case starts there,
not higher), and its deadlines at that level and at each level above it that a case may be
escalated to. Complaints and denunciations (khiếu nại, tố cáo) are categories too, so that they are
recognised, but they follow their own laws: they are redirected, never processed, and need no
deadlines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypedDict

from tothon_feedback.domain.errors import CatalogueError
from tothon_feedback.domain.levels import Level


@dataclass(frozen=True)
class Deadline:
    """How long one level has: to accept a case, in working hours; to resolve it, in working days
    (both counted from the case's arrival at that level)."""

    accept_hours: int
    resolve_days: int

    def __post_init__(self) -> None:
        if self.accept_hours < 1 or self.resolve_days < 1:
            raise CatalogueError(code="deadline_range")


class CategoryRecord(TypedDict):
    """A category as events store it (JSON: plain strings, numbers and lists)."""

    code: str
    name_vi: str
    name_en: str
    level: str
    formal_procedure: bool
    deadlines: dict[str, list[int]]


@dataclass(frozen=True)
class Category:
    """One category of feedback; ``formal_procedure`` marks complaints and denunciations."""

    code: str
    name_vi: str
    name_en: str
    level: Level
    formal_procedure: bool = False
    deadlines: Mapping[Level, Deadline] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.code.strip() or not self.name_vi.strip() or not self.name_en.strip():
            raise CatalogueError(code="name_required")
        if self.formal_procedure:
            return
        # A case may climb from its competent level to the city: each level it may reach needs
        # its deadline, or escalation would leave a case without one.
        if any(level not in self.deadlines for level in self.level.and_above()):
            raise CatalogueError(code="deadline_missing")

    def deadline_at(self, level: Level) -> Deadline:
        """The deadline of ``level`` for this category."""
        deadline = self.deadlines.get(level)
        if deadline is None:
            raise CatalogueError(code="deadline_missing")
        return deadline

    def as_record(self) -> CategoryRecord:
        """The category as events store it."""
        return CategoryRecord(
            code=self.code,
            name_vi=self.name_vi,
            name_en=self.name_en,
            level=self.level.value,
            formal_procedure=self.formal_procedure,
            deadlines={
                level.value: [deadline.accept_hours, deadline.resolve_days]
                for level, deadline in self.deadlines.items()
            },
        )

    @classmethod
    def from_record(cls, record: CategoryRecord) -> Category:
        """The category an event stored."""
        return cls(
            code=record["code"],
            name_vi=record["name_vi"],
            name_en=record["name_en"],
            level=Level(record["level"]),
            formal_procedure=record["formal_procedure"],
            deadlines={
                Level(level): Deadline(accept_hours=accept, resolve_days=resolve)
                for level, (accept, resolve) in record["deadlines"].items()
            },
        )
