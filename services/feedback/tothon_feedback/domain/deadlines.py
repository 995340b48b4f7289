"""When a case is due at a level, and whether it is due for escalation: pure functions of the
category, the working calendar and an instant the caller gives (the domain reads no clock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tothon_feedback.domain.calendar import DeadlineStatus, WorkingCalendar
from tothon_feedback.domain.categories import Category
from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.workflow import CaseStatus


@dataclass(frozen=True)
class Due:
    """A level's deadlines for a case that arrived there."""

    accept_by: datetime
    resolve_by: datetime


class DeadlineRule(Protocol):
    """The deadlines of a case arriving at ``level`` at ``arrived_at``."""

    def __call__(self, level: Level, arrived_at: datetime) -> Due: ...


def deadlines_for(category: Category, calendar: WorkingCalendar) -> DeadlineRule:
    """The rule of ``category`` counted on ``calendar``: accept within its working hours, resolve
    within its working days, both from the arrival at the level."""

    def due(level: Level, arrived_at: datetime) -> Due:
        deadline = category.deadline_at(level)
        return Due(
            accept_by=calendar.add_working_hours(arrived_at, deadline.accept_hours),
            resolve_by=calendar.add_working_days(arrived_at, deadline.resolve_days),
        )

    return due


class Escalatable(Protocol):
    """What deciding an automatic escalation reads of a case."""

    @property
    def status(self) -> CaseStatus: ...

    @property
    def level(self) -> Level: ...

    @property
    def current_due(self) -> datetime | None: ...


def due_for_escalation(case: Escalatable, now: datetime) -> bool:
    """Whether the scheduler escalates ``case`` at ``now``: it is open, its current deadline
    (to accept, once accepted to resolve) has passed, and there is a level above it."""
    due = case.current_due
    return case.status.is_open and due is not None and now > due and case.level.above is not None


def deadline_status(case: Escalatable, calendar: WorkingCalendar, now: datetime) -> DeadlineStatus | None:
    """On time, due today or late at ``now`` (the work queue's column); ``None`` once no unit is
    working on the case."""
    due = case.current_due
    return calendar.status(due, now) if due is not None else None
