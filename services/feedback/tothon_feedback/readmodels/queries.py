"""Queries over the cases: a unit's work queue with each case's deadline status, one case and its
timeline, a resident's own cases, and the public outcomes (without personal data)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, Select, and_, select, true

from tothon_feedback.domain.calendar import DeadlineStatus, WorkingCalendar
from tothon_feedback.domain.repeats import EarlierCase
from tothon_feedback.readmodels.tables import DIRECTORY, case_files, case_steps, cases
from tothon_shared.auth.lineage import below
from tothon_shared.kernel.clock import VIETNAM
from tothon_shared.readstore.store import ReadStore

# Only its time zone is read (``status``): the same for every city's office hours.
_CALENDAR = WorkingCalendar()
OPEN = ("submitted", "accepted", "in_progress")
# What the public sees of a resolved case: its category, where (the unit, not the address), when,
# the answer and its evidence, and the rating; never the resident or their words.
_PUBLIC = (
    cases.c.case_id,
    cases.c.category,
    cases.c.status,
    cases.c.level,
    cases.c.origin_unit_id,
    cases.c.unit_id,
    cases.c.submitted_at,
    cases.c.resolved_at,
    cases.c.answer,
    cases.c.evidence,
    cases.c.rating,
    cases.c.public_name,
)


def deadline_status(due: datetime | None, now: datetime) -> DeadlineStatus | None:
    """On time, due today (the same date in Vietnam) or late; ``None`` without a deadline."""
    return _CALENDAR.status(due, now) if due is not None else None


def _deadline_filter(status: DeadlineStatus, now: datetime) -> ColumnElement[bool]:
    end_of_today = datetime.combine(now.astimezone(VIETNAM).date() + timedelta(days=1), time(), VIETNAM)
    if status is DeadlineStatus.LATE:
        return cases.c.due < now
    if status is DeadlineStatus.DUE_TODAY:
        return and_(cases.c.due >= now, cases.c.due < end_of_today)
    return cases.c.due >= end_of_today


@dataclass(frozen=True)
class QueueFilter:
    """Which cases of a unit's queue: by status (open ones by default), deadline status, and the
    official they were given to; with the units below when overseeing them."""

    statuses: tuple[str, ...] = OPEN
    deadline: DeadlineStatus | None = None
    assignee: str | None = None
    include_below: bool = False
    category: str | None = None


def queue(
    store: ReadStore, unit_id: UUID, now: datetime, wanted: QueueFilter, limit: int, offset: int
) -> list[dict[str, Any]]:
    """A unit's cases, soonest deadline first, each with its deadline status at ``now``."""
    units = below(DIRECTORY.units, unit_id) if wanted.include_below else None
    query: Select[Any] = select(cases).where(
        cases.c.unit_id.in_(units) if units is not None else cases.c.unit_id == unit_id,
        cases.c.status.in_(wanted.statuses),
        _deadline_filter(wanted.deadline, now) if wanted.deadline is not None else true(),
        cases.c.assignee == wanted.assignee if wanted.assignee is not None else true(),
        cases.c.category == wanted.category if wanted.category is not None else true(),
    )
    query = query.order_by(cases.c.due.is_(None), cases.c.due, cases.c.case_id).limit(limit).offset(offset)
    with store.engine.connect() as connection:
        rows = [dict(r._mapping) for r in connection.execute(query)]
    for row in rows:
        row["deadline_status"] = deadline_status(row["due"], now)
    return rows


def case_of(store: ReadStore, case_id: UUID) -> dict[str, Any] | None:
    """A case as it stands, if there is one."""
    with store.engine.connect() as connection:
        row = connection.execute(select(cases).where(cases.c.case_id == case_id)).first()
    return dict(row._mapping) if row is not None else None


def timeline(store: ReadStore, case_id: UUID, public_only: bool) -> list[dict[str, Any]]:
    """A case's steps in order; only the public ones for the resident and the public."""
    query = select(case_steps).where(case_steps.c.case_id == case_id)
    if public_only:
        query = query.where(case_steps.c.public.is_(True))
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query.order_by(case_steps.c.version))]


def cases_of_resident(
    store: ReadStore, residents: Sequence[str], limit: int, offset: int
) -> list[dict[str, Any]]:
    """A resident's own cases (filed by them, or for their household), the newest first."""
    query = (
        select(cases)
        .where(cases.c.resident.in_(residents))
        .order_by(cases.c.submitted_at.desc(), cases.c.case_id)
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def open_cases_of(connection: Connection, resident: str) -> list[EarlierCase]:
    """A resident's cases still being handled: what a new submission may repeat."""
    query = select(cases.c.case_id, cases.c.category, cases.c.text, cases.c.submitted_at).where(
        cases.c.resident == resident, cases.c.status.in_(OPEN)
    )
    return [EarlierCase(r.case_id, r.category, r.text, r.submitted_at) for r in connection.execute(query)]


def public_outcomes(
    store: ReadStore, unit_id: UUID, category: str | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    """The resolved cases of a unit's subtree, the latest first, without personal data."""
    query = select(*_PUBLIC).where(
        cases.c.origin_unit_id.in_(below(DIRECTORY.units, unit_id)),
        cases.c.status.in_(("resolved", "closed")),
        cases.c.category == category if category is not None else true(),
    )
    query = query.order_by(cases.c.resolved_at.desc(), cases.c.case_id).limit(limit).offset(offset)
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def cases_citing(store: ReadStore, sha: str) -> list[dict[str, Any]]:
    """The cases that cite a file (as an attachment or as evidence), with what access needs."""
    query = (
        select(
            cases.c.case_id,
            cases.c.resident,
            cases.c.unit_id,
            cases.c.origin_unit_id,
            cases.c.status,
            case_files.c.kind,
        )
        .join(case_files, case_files.c.case_id == cases.c.case_id)
        .where(case_files.c.sha256 == sha)
    )
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


@dataclass(frozen=True)
class Open311Filter:
    """GeoReport's request filters: ids (which override the rest), types, a window of filing
    dates, open or closed."""

    case_ids: list[UUID]
    codes: list[str]
    start: datetime
    end: datetime
    statuses: list[str]


def open311_requests(store: ReadStore, wanted: Open311Filter, limit: int) -> list[dict[str, Any]]:
    """The cases a GeoReport request list asks for, the newest first."""
    query: Select[Any] = select(cases)
    if wanted.case_ids:
        query = query.where(cases.c.case_id.in_(wanted.case_ids))
    else:
        query = query.where(cases.c.submitted_at >= wanted.start, cases.c.submitted_at <= wanted.end)
        if wanted.codes:
            query = query.where(cases.c.category.in_(wanted.codes))
        if wanted.statuses and len(set(wanted.statuses)) == 1:
            is_open = cases.c.status.in_(OPEN)
            query = query.where(is_open if wanted.statuses[0] == "open" else ~is_open)
    query = query.order_by(cases.c.submitted_at.desc(), cases.c.case_id).limit(limit)
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def public_steps(store: ReadStore, start: datetime, end: datetime, limit: int) -> list[dict[str, Any]]:
    """The public steps of every case taken between ``start`` and ``end``, oldest first."""
    query = (
        select(case_steps)
        .where(case_steps.c.public.is_(True), case_steps.c.at >= start, case_steps.c.at <= end)
        .order_by(case_steps.c.at, case_steps.c.case_id, case_steps.c.version)
        .limit(limit)
    )
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]
