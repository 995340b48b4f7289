"""The households' decisions that funds can cite: the results of the communication service's
polls (``PollClosed``), kept from its topic (rebuilt from it), so a community-decided fund cites
a poll that passed, of its own unit."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Boolean, Column, Integer, Table, Uuid, select
from sqlalchemy.orm import Session

from tothon_funds.readmodels.tables import metadata
from tothon_shared.contracts.communication import PollClosed
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.kernel.sqltypes import UtcDateTime
from tothon_shared.messaging.inbox import EventHandler
from tothon_shared.readstore.store import ReadStore

decided_polls = Table(
    "decided_polls",
    metadata,
    Column("poll_id", Uuid, primary_key=True),
    Column("unit_id", Uuid, nullable=False),
    Column("eligible", Integer, nullable=False),
    Column("voted", Integer, nullable=False),
    Column("counts", JSON, nullable=False),
    Column("winner", Integer),
    Column("passed", Boolean, nullable=False),
    Column("closed_at", UtcDateTime, nullable=False),
)


def _closed(session: Session, event: IntegrationEvent) -> None:
    assert isinstance(event, PollClosed)  # dispatched by event type
    assert event.unit_id is not None  # a poll is always of a unit
    if session.execute(
        select(decided_polls.c.poll_id).where(decided_polls.c.poll_id == event.subject_id)
    ).first():
        return  # a poll closes once; delivered again, nothing changes
    session.execute(
        decided_polls.insert().values(
            poll_id=event.subject_id,
            unit_id=event.unit_id,
            eligible=event.eligible,
            voted=event.voted,
            counts=list(event.counts),
            winner=event.winner,
            passed=event.passed,
            closed_at=event.closed_at,
        )
    )


def poll_handlers() -> dict[str, EventHandler]:
    """Handlers for the ``communication.civic`` channel."""
    return {"PollClosed": _closed}


POLL_TABLES = (decided_polls,)


def decided(store: ReadStore, poll_id: UUID) -> dict[str, Any] | None:
    """A poll's result, if it has closed (and reached this service)."""
    with store.engine.connect() as connection:
        row = connection.execute(select(decided_polls).where(decided_polls.c.poll_id == poll_id)).first()
        return dict(row._mapping) if row is not None else None
