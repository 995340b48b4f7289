"""Where a case goes: up from the resident's unit to the category's competent level when filed,
one level up when escalated or reopened, down when returned. The unit tree is the registry's, so
the caller hands in the lookup of a unit's parent; the levels' order is the domain's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypedDict
from uuid import UUID

from tothon_feedback.domain.categories import Category
from tothon_feedback.domain.deadlines import DeadlineRule
from tothon_feedback.domain.errors import CaseStateError, SubmissionError
from tothon_feedback.domain.levels import Level

# The unit one level above a handling unit, for this case, or None at the top.
ParentLookup = Callable[[UUID], UUID | None]


class ArrivalRecord(TypedDict):
    """A case's arrival at a unit as events store it: the unit, its level, that level's deadlines."""

    unit_id: UUID
    level: str
    accept_by: datetime
    resolve_by: datetime


def arrival(unit_id: UUID, level: Level, when: datetime, deadlines: DeadlineRule) -> ArrivalRecord:
    """Arriving at ``unit_id`` (at ``level``) at ``when``, with the level's deadlines from then."""
    due = deadlines(level, when)
    return ArrivalRecord(
        unit_id=unit_id, level=level.value, accept_by=due.accept_by, resolve_by=due.resolve_by
    )


def competent_unit(
    unit_id: UUID, level: Level, category: Category, parent_unit: ParentLookup
) -> tuple[UUID, Level]:
    """The unit at ``category``'s competent level above ``unit_id`` (itself when it is there or
    higher): what the group can settle stays at the group, nothing starts higher than needed."""
    while level.rank < category.level.rank and (up := level.above) is not None:
        parent = parent_unit(unit_id)
        if parent is None:
            raise SubmissionError(code="no_competent_unit")
        unit_id, level = parent, up
    return unit_id, level


def one_level_up(unit_id: UUID, level: Level, parent_unit: ParentLookup) -> tuple[UUID, Level]:
    """The unit above ``unit_id``; refused at the top, or where the tree has no parent."""
    up = level.above
    parent = parent_unit(unit_id) if up is not None else None
    if up is None or parent is None:
        raise CaseStateError(code="top_level", step="escalate")
    return parent, up


def reopened_at(unit_id: UUID, level: Level, parent_unit: ParentLookup) -> tuple[UUID, Level]:
    """Where a reopened case goes: one level up, or where it is at the top."""
    up = level.above
    parent = parent_unit(unit_id) if up is not None else None
    return (parent, up) if parent is not None and up is not None else (unit_id, level)


def lower(level: Level, target: Level) -> Level:
    """``target``, refused unless it is below ``level``."""
    if target.rank >= level.rank:
        raise CaseStateError(code="not_lower", step="return")
    return target
