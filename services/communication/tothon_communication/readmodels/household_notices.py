"""Personal notices for the API: one row a notice to one household (a step of its feedback case,
new dues, a payment's receipt), projected from the service's own events, and each household's
list in its reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, Column, String, Table, Uuid, select
from sqlalchemy.orm import Session

from tothon_communication.domain.household_notice import HouseholdNotice
from tothon_communication.messages import MESSAGES
from tothon_communication.readmodels.tables import metadata
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.http.messages import Lang
from tothon_shared.kernel.clock import VIETNAM
from tothon_shared.kernel.sqltypes import UtcDateTime
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.definition import ProjectionSpec

household_notices = Table(
    "household_notices",
    metadata,
    Column("notice_id", Uuid, primary_key=True),
    Column("household_id", Uuid, nullable=False, index=True),
    Column("unit_id", Uuid, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("subject_id", Uuid, nullable=False),
    Column("facts", JSON, nullable=False),
    Column("at", UtcDateTime, nullable=False, index=True),
)


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """A row for each notice posted."""
    for logged in batch:
        event = logged.event
        if isinstance(event, HouseholdNotice.Posted):
            session.execute(
                household_notices.insert().values(
                    notice_id=event.originator_id,
                    household_id=event.household_id,
                    unit_id=event.unit_id,
                    kind=event.kind,
                    subject_id=event.subject_id,
                    facts=event.facts,
                    at=event.at,
                )
            )


PROJECTION = ProjectionSpec(
    "household_notices", apply, (household_notices,), events=(HouseholdNotice.Posted,)
)


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")  # Vietnamese groups thousands with dots


def words(kind: str, facts: dict[str, Any], lang: Lang) -> str:
    """What a notice says, in ``lang``."""
    values = dict(facts)
    if "amount" in values:
        values["amount"] = _money(int(values["amount"]))
    if "level" in values:
        values["level"] = MESSAGES.get(f"communication.level.{values['level']}", {}).get(
            lang, values["level"]
        )
    if "resolve_by" in values:
        due = datetime.fromisoformat(str(values["resolve_by"])).astimezone(VIETNAM)
        values["resolve_by"] = due.strftime("%d/%m/%Y")
    return MESSAGES[f"communication.personal.{kind}"][lang].format(**values)


def of_household(
    store: ReadStore, household_id: UUID, lang: Lang, limit: int, offset: int
) -> list[dict[str, Any]]:
    """A household's personal notices, newest first, in ``lang``."""
    query = (
        select(household_notices)
        .where(household_notices.c.household_id == household_id)
        .order_by(household_notices.c.at.desc(), household_notices.c.notice_id)
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as connection:
        rows = [dict(r._mapping) for r in connection.execute(query)]
    return [r | {"text": words(r["kind"], r["facts"], lang)} for r in rows]
