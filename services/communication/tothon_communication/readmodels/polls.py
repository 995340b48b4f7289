"""Household decisions for the API: one row a poll (its running turnout, and its result once
closed), one row a household that voted (for the household to see its own vote; a result never
lists who voted what)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Boolean, Column, Integer, String, Table, Uuid, select
from sqlalchemy.orm import Session

from tothon_communication.domain.poll import Ballot, Poll
from tothon_communication.readmodels.tables import metadata
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.kernel.sqltypes import UtcDateTime
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.definition import ProjectionSpec

polls = Table(
    "polls",
    metadata,
    Column("poll_id", Uuid, primary_key=True),
    Column("unit_id", Uuid, nullable=False, index=True),
    Column("question", String(500), nullable=False),
    Column("options", JSON, nullable=False),
    Column("opens_at", UtcDateTime, nullable=False),
    Column("closes_at", UtcDateTime, nullable=False, index=True),
    Column("threshold_percent", Integer, nullable=False),
    Column("eligible", Integer, nullable=False),
    Column("voted", Integer, nullable=False),
    Column("closed_at", UtcDateTime),
    Column("counts", JSON),  # once closed
    Column("winner", Integer),
    Column("passed", Boolean),
)
ballots = Table(
    "poll_ballots",
    metadata,
    Column("poll_id", Uuid, primary_key=True),
    Column("household_id", Uuid, primary_key=True),
    Column("option", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)
_EVENTS = (Poll.Opened, Poll.Counted, Poll.Closed, Ballot.Cast)


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    for logged in batch:
        event = logged.event
        if isinstance(event, Poll.Opened):
            session.execute(
                polls.insert().values(
                    poll_id=event.originator_id,
                    unit_id=event.unit_id,
                    question=event.question,
                    options=list(event.options),
                    opens_at=event.opens_at,
                    closes_at=event.closes_at,
                    threshold_percent=event.threshold_percent,
                    eligible=event.eligible,
                    voted=0,
                )
            )
        elif isinstance(event, Poll.Counted):
            session.execute(
                polls.update().where(polls.c.poll_id == event.originator_id).values(voted=polls.c.voted + 1)
            )
        elif isinstance(event, Poll.Closed):
            session.execute(
                polls.update()
                .where(polls.c.poll_id == event.originator_id)
                .values(
                    closed_at=event.at, counts=list(event.counts), winner=event.winner, passed=event.passed
                )
            )
        elif isinstance(event, Ballot.Cast):
            session.execute(
                ballots.insert().values(
                    poll_id=event.poll_id, household_id=event.household_id, option=event.option, at=event.at
                )
            )


PROJECTION = ProjectionSpec("polls", apply, (polls, ballots), events=_EVENTS)


def poll(store: ReadStore, poll_id: UUID) -> dict[str, Any] | None:
    with store.engine.connect() as connection:
        row = connection.execute(select(polls).where(polls.c.poll_id == poll_id)).first()
        return dict(row._mapping) if row is not None else None


def of_units(store: ReadStore, units: Sequence[UUID], limit: int) -> list[dict[str, Any]]:
    """Polls of these units, newest first."""
    query = select(polls).where(polls.c.unit_id.in_(units)).order_by(polls.c.opens_at.desc()).limit(limit)
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def for_household(
    store: ReadStore, household_id: UUID, chain: Sequence[UUID], limit: int
) -> list[dict[str, Any]]:
    """The polls of the units a household is in, newest first, with its own vote."""
    mine = (ballots.c.poll_id == polls.c.poll_id) & (ballots.c.household_id == household_id)
    query = (
        select(polls, ballots.c.option.label("my_option"))
        .select_from(polls.outerjoin(ballots, mine))
        .where(polls.c.unit_id.in_(chain))
        .order_by(polls.c.opens_at.desc())
        .limit(limit)
    )
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def due_to_close(store: ReadStore, now: Any) -> list[UUID]:
    query = select(polls.c.poll_id).where(polls.c.closed_at.is_(None), polls.c.closes_at <= now)
    with store.engine.connect() as connection:
        return list(connection.execute(query).scalars())
