"""The Open311 keys for their administrators: which system holds which, since when, revoked or not
(never a secret: the events carry none)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tothon_feedback.domain.api_keys import Open311Key
from tothon_feedback.readmodels.tables import open311_keys
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.definition import ProjectionSpec


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """Record issued and revoked keys."""
    for logged in batch:
        event: Any = logged.event
        if isinstance(event, Open311Key.Issued):
            session.execute(
                open311_keys.insert().values(
                    key_id=event.originator_id,
                    system=event.system,
                    issued_by=event.actor,
                    issued_at=event.timestamp,
                    reason=event.reason,
                )
            )
        elif isinstance(event, Open311Key.Revoked):
            session.execute(
                open311_keys.update()
                .where(open311_keys.c.key_id == event.originator_id)
                .values(revoked_by=event.actor, revoked_at=event.timestamp)
            )


PROJECTION = ProjectionSpec(
    "open311_keys", apply, (open311_keys,), events=(Open311Key.Issued, Open311Key.Revoked)
)


def keys(store: ReadStore) -> list[dict[str, Any]]:
    """Every key, the newest first."""
    with store.engine.connect() as connection:
        query = select(open311_keys).order_by(open311_keys.c.issued_at.desc())
        return [dict(r._mapping) for r in connection.execute(query)]
