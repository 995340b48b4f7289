"""The worker's deadline watch: a case whose unit let its deadline pass (to accept it, then to
resolve it) goes one level up by itself, as the system, with ``deadline_passed`` as the reason.

The read model names the candidates; the case itself decides (``FeedbackCase.escalate_overdue``),
so a case the read model has not caught up with (just accepted, just moved) is left alone, and two
workers racing on one case store one escalation: the second is refused by the event store."""

from __future__ import annotations

from datetime import datetime

import structlog
from eventsourcing.persistence import IntegrityError
from sqlalchemy import select

from tothon_feedback.application import FeedbackApplication
from tothon_feedback.domain.errors import CaseStateError
from tothon_feedback.domain.levels import Level
from tothon_feedback.places import parent_lookup
from tothon_feedback.readmodels.queries import OPEN
from tothon_feedback.readmodels.tables import cases
from tothon_shared.eventstore.context import acting_as
from tothon_shared.runtime.definition import Runtime, Schedule

log = structlog.get_logger(__name__)
# Cases escalated a round at most: a backlog (a long outage) is worked off over a few rounds
# without one round holding the worker for minutes.
BATCH = 500
EVERY_SECONDS = 60.0
_BELOW_THE_TOP = tuple(level.value for level in Level if level.above is not None)


def escalate_overdue(runtime: Runtime, now: datetime) -> int:
    """Escalate the open cases past their deadline at ``now``; how many went up."""
    app = runtime.app
    assert isinstance(app, FeedbackApplication)  # the feedback service's schedule
    query = (
        select(cases.c.case_id)
        .where(cases.c.status.in_(OPEN), cases.c.due < now, cases.c.level.in_(_BELOW_THE_TOP))
        .order_by(cases.c.due)
        .limit(BATCH)
    )
    with runtime.store.engine.connect() as connection:
        overdue = list(connection.execute(query).scalars())
    if not overdue:
        return 0
    parents, escalated = parent_lookup(runtime.store), 0
    with acting_as("system", reason="deadline_passed"):
        for case_id in overdue:
            try:
                app.escalate_overdue(case_id, now, parents)
            except (CaseStateError, IntegrityError):
                continue  # moved or taken on meanwhile, or another worker escalated it
            escalated += 1
    log.info("feedback.escalated_overdue", cases=escalated, candidates=len(overdue))
    return escalated


SCHEDULE = Schedule("escalate_overdue", EVERY_SECONDS, escalate_overdue)
