"""The cases for the queues, the case pages and the public outcomes: a projection of the feedback
service's own events into the cases, their timelines and the statistics (one transaction, so the
three always agree)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tothon_feedback.domain.case import FeedbackCase
from tothon_feedback.domain.routing import ArrivalRecord
from tothon_feedback.domain.workflow import SYSTEM
from tothon_feedback.readmodels import statistics
from tothon_feedback.readmodels.tables import case_files, case_steps, cases
from tothon_feedback.readmodels.tables import statistics as statistics_table
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.runtime.definition import ProjectionSpec

C = FeedbackCase
Row = dict[str, Any]

# Steps the resident and the public never see: who has the case and what the officials note.
_INTERNAL = (C.Noted, C.Assigned)
_STEP_NAMES: dict[type, str] = {
    C.Submitted: "submitted",
    C.Accepted: "accepted",
    C.Started: "started",
    C.Resolved: "resolved",
    C.Rejected: "rejected",
    C.Merged: "merged",
    C.Closed: "closed",
    C.Reopened: "reopened",
    C.Escalated: "escalated",
    C.Returned: "returned",
    C.Assigned: "assigned",
    C.Noted: "noted",
    C.Replied: "replied",
}


def _arrive(row: Row, arrival: ArrivalRecord, at: Any) -> None:
    row.update(
        status="submitted",
        unit_id=arrival["unit_id"],
        level=arrival["level"],
        accept_by=arrival["accept_by"],
        resolve_by=arrival["resolve_by"],
        due=arrival["accept_by"],
        arrived_at=at,
        assignee=None,
    )


def _submitted(event: Any) -> Row:
    position = event.position or [None, None]
    row: Row = {
        "case_id": event.originator_id,
        "category": event.category,
        "origin_unit_id": event.origin_unit_id,
        "channel": event.channel,
        "resident": event.resident,
        "submitted_by": event.actor,
        "text": event.text,
        "address": event.address,
        "latitude": position[0],
        "longitude": position[1],
        "name_public": event.name_public,
        "public_name": (event.public_name or None) if event.name_public else None,
        "attachments": list(event.attachments),
        "submitted_at": event.at,
        "answer": None,
        "evidence": [],
        "resolved_at": None,
        "resolved_on_time": None,
        "closed_at": None,
        "rating": None,
        "escalations": 0,
        "reopenings": 0,
        "deadlines_missed": 0,
        "merged_into": None,
    }
    _arrive(row, event.arrival, event.at)
    return row


def _change(row: Row, event: Any) -> None:
    """``row`` as ``event`` leaves it."""
    if isinstance(event, C.Accepted):
        row.update(status="accepted", due=row["resolve_by"])
    elif isinstance(event, C.Started):
        row.update(status="in_progress")
    elif isinstance(event, C.Resolved):
        on_time = event.at <= row["resolve_by"]
        row.update(
            status="resolved",
            answer=event.answer,
            evidence=list(event.evidence),
            resolved_at=event.at,
            resolved_on_time=on_time,
            due=None,
            deadlines_missed=row["deadlines_missed"] + (0 if on_time else 1),
        )
    elif isinstance(event, C.Rejected):
        row.update(status="rejected", due=None)
    elif isinstance(event, C.Merged):
        row.update(status="merged", merged_into=event.into, due=None)
    elif isinstance(event, C.Closed):
        row.update(status="closed", rating=event.rating, closed_at=event.at)
    elif isinstance(event, C.Reopened):
        _arrive(row, event.arrival, event.at)
        row.update(reopenings=row["reopenings"] + 1, resolved_at=None, resolved_on_time=None)
    elif isinstance(event, C.Escalated):
        _arrive(row, event.arrival, event.at)
        missed = 1 if event.actor == SYSTEM else 0
        row.update(escalations=row["escalations"] + 1, deadlines_missed=row["deadlines_missed"] + missed)
    elif isinstance(event, C.Returned):
        _arrive(row, event.arrival, event.at)
    elif isinstance(event, C.Assigned):
        row.update(assignee=event.official or None)


def _step(event: Any) -> Row:
    arrival = getattr(event, "arrival", None)
    detail: Row = {}
    for name in ("evidence", "rating", "official", "into", "attachments"):
        if hasattr(event, name):
            value = getattr(event, name)
            detail[name] = str(value) if name == "into" else value
    return {
        "case_id": event.originator_id,
        "version": event.originator_version,
        "step": _STEP_NAMES[type(event)],
        "actor": event.actor,
        "reason": event.reason,
        "at": event.at,
        "public": not isinstance(event, _INTERNAL),
        "text": getattr(event, "answer", None) or getattr(event, "text", None),
        "unit_id": arrival["unit_id"] if arrival else None,
        "level": arrival["level"] if arrival else None,
        "detail": detail,
    }


def _cited(event: object) -> list[Row]:
    """The files a submission attaches, or a resolution gives as evidence."""
    if isinstance(event, C.Submitted):
        kind, shas = "attachment", event.attachments
    elif isinstance(event, C.Resolved):
        kind, shas = "evidence", event.evidence
    else:
        return []
    return [{"case_id": event.originator_id, "sha256": sha, "kind": kind} for sha in dict.fromkeys(shas)]


def _new_citations(session: Session, citations: list[Row]) -> list[Row]:
    """The citations not recorded yet (a case re-resolved with the same evidence cites it once)."""
    if not citations:
        return []
    ids = {c["case_id"] for c in citations}
    query = select(case_files.c.case_id, case_files.c.sha256, case_files.c.kind).where(
        case_files.c.case_id.in_(ids)
    )
    known = {tuple(r) for r in session.execute(query)}
    fresh: dict[tuple[Any, str, str], Row] = {}
    for c in citations:
        key = (c["case_id"], c["sha256"], c["kind"])
        if key not in known:
            fresh[key] = c
    return list(fresh.values())


class _Batch:
    """A page of events applied in memory, then written in a few statements: filing is the
    busiest path, and a statement per table per event cost the worker more than the filing."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.new: dict[Any, Row] = {}  # cases filed in this page
        self.changed: dict[Any, tuple[Row, Row]] = {}  # stored cases: (as stored, as now)
        self.steps: list[Row] = []
        self.citations: list[Row] = []

    def row(self, case_id: Any) -> Row | None:
        if case_id in self.new:
            return self.new[case_id]
        if case_id not in self.changed:
            found = self.session.execute(select(cases).where(cases.c.case_id == case_id)).first()
            if found is None:
                return None  # its submission came before this projection existed
            stored = dict(found._mapping)
            self.changed[case_id] = (stored, dict(stored))
        return self.changed[case_id][1]

    def take(self, event: Any) -> None:
        if isinstance(event, C.Submitted):
            row = self.new[event.originator_id] = _submitted(event)
        else:
            found = self.row(event.originator_id)
            if found is None:
                return
            row = found
            _change(row, event)
        row.update(updated_at=event.at, version=event.originator_version)
        self.steps.append(_step(event))
        self.citations.extend(_cited(event))

    def write(self) -> None:
        session = self.session
        deltas: defaultdict[statistics.Key, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
        if self.new:
            session.execute(_INSERT_CASE, list(self.new.values()))
        for row in self.new.values():
            key, moved = statistics.delta(None, row)
            for name, value in moved.items():
                deltas[key][name] += value
        for case_id, (stored, row) in self.changed.items():
            values = {k: v for k, v in row.items() if stored[k] != v}
            if values:
                session.execute(cases.update().where(cases.c.case_id == case_id).values(**values))
            key, moved = statistics.delta(stored, row)
            for name, value in moved.items():
                deltas[key][name] += value
        if self.steps:
            session.execute(_INSERT_STEP, self.steps)
        if fresh := _new_citations(session, self.citations):
            session.execute(case_files.insert(), fresh)
        statistics.add(session, deltas)


# Made once, given each page's rows as parameters (compiled once, not per page).
_INSERT_CASE = cases.insert()
_INSERT_STEP = case_steps.insert()


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """Update the cases, their steps, the files they cite and the statistics for a page of
    events, in order."""
    page = _Batch(session)
    for logged in batch:
        if type(logged.event) in _STEP_NAMES:
            page.take(logged.event)
    page.write()


PROJECTION = ProjectionSpec(
    "feedback_cases",
    apply,
    (cases, case_steps, statistics_table, case_files),
    events=tuple(_STEP_NAMES),
)
