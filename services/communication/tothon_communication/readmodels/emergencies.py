"""Emergencies for the API: a projection of the emergencies' and check-ins' own events (one row an
emergency, one row a household that answered), and the queries behind the leader's board — the
households of the audience not heard from yet and those needing help, with counts per unit.

As for notices, no row is written per household an emergency reaches: the households not heard
from are the directory's households of the audience without a check-in row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Column, String, Table, Text, Uuid, and_, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from tothon_communication.domain.emergency import CheckIn, Emergency
from tothon_communication.readmodels.announcements import (
    announcement_groups,
    announcements,
    audience,
    reaches_chain,
    reaching,
)
from tothon_communication.readmodels.tables import DIRECTORY, metadata
from tothon_shared.eventstore.notification_log import LoggedEvent
from tothon_shared.kernel.sqltypes import UtcDateTime
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.definition import ProjectionSpec

emergencies = Table(
    "emergencies",
    metadata,
    Column("emergency_id", Uuid, primary_key=True),
    Column("announcement_id", Uuid, nullable=False, unique=True),
    Column("unit_id", Uuid, nullable=False, index=True),
    Column("hazard", String(20), nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime),
)
check_ins = Table(
    "emergency_check_ins",
    metadata,
    Column("emergency_id", Uuid, primary_key=True),
    Column("household_id", Uuid, primary_key=True),
    Column("unit_id", Uuid, nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("note", Text),
    Column("by", String(80), nullable=False),
    Column("at", UtcDateTime, nullable=False),
)
_EVENTS = (Emergency.Declared, Emergency.Closed, CheckIn.Reported, CheckIn.Changed)


def apply(session: Session, batch: Sequence[LoggedEvent]) -> None:
    """Update the emergency tables for a page of events, in order."""
    for logged in batch:
        event = logged.event
        if isinstance(event, Emergency.Declared):
            session.execute(
                emergencies.insert().values(
                    emergency_id=event.originator_id,
                    announcement_id=event.announcement_id,
                    unit_id=event.unit_id,
                    hazard=event.hazard,
                    opened_at=event.at,
                )
            )
        elif isinstance(event, Emergency.Closed):
            session.execute(
                emergencies.update()
                .where(emergencies.c.emergency_id == event.originator_id)
                .values(closed_at=event.at)
            )
        elif isinstance(event, CheckIn.Reported):
            session.execute(
                check_ins.insert().values(
                    emergency_id=event.emergency_id,
                    household_id=event.household_id,
                    unit_id=event.unit_id,
                    status=event.status,
                    note=event.note,
                    by=event.by,
                    at=event.at,
                )
            )
        elif isinstance(event, CheckIn.Changed):
            session.execute(
                check_ins.update()
                .where(
                    check_ins.c.emergency_id == event.emergency_id,
                    check_ins.c.household_id == event.household_id,
                )
                .values(status=event.status, note=event.note, by=event.by, at=event.at)
            )


PROJECTION = ProjectionSpec("emergencies", apply, (emergencies, check_ins), events=_EVENTS)

_SHOWN = (
    emergencies.c.emergency_id,
    emergencies.c.announcement_id,
    emergencies.c.unit_id,
    emergencies.c.hazard,
    emergencies.c.opened_at,
    emergencies.c.closed_at,
    announcements.c.title,
    announcements.c.body,
)
_WITH_NOTICE = emergencies.join(
    announcements, announcements.c.announcement_id == emergencies.c.announcement_id
)


def emergency(
    store: ReadStore, emergency_id: UUID, connection: Connection | None = None
) -> dict[str, Any] | None:
    """One emergency with its notice's text and the groups it is narrowed to (on the caller's
    connection, if given)."""
    if connection is None:
        with store.engine.connect() as own:
            return emergency(store, emergency_id, own)
    row = connection.execute(
        select(*_SHOWN, announcements.c.narrowed)
        .select_from(_WITH_NOTICE)
        .where(emergencies.c.emergency_id == emergency_id)
    ).first()
    if row is None:
        return None
    found = dict(row._mapping)
    narrowed = found.pop("narrowed")
    if not narrowed:  # most emergencies: no second query
        return found | {"groups": []}
    groups = connection.execute(
        select(announcement_groups.c.unit_id).where(
            announcement_groups.c.announcement_id == row.announcement_id
        )
    ).scalars()
    return found | {"groups": list(groups)}


def reaches(found: dict[str, Any], chain: Sequence[UUID]) -> bool:
    """Whether an emergency (as ``emergency`` gives it) is for a household whose unit has lineage
    ``chain``: its notice's reach (an emergency is never narrowed to age bands)."""
    return reaches_chain(found, chain, 0)


def declared_at(store: ReadStore, units: Sequence[UUID], open_only: bool) -> list[dict[str, Any]]:
    """Emergencies declared at these units, newest first (an official's list)."""
    query = (
        select(*_SHOWN)
        .select_from(_WITH_NOTICE)
        .where(emergencies.c.unit_id.in_(units))
        .order_by(emergencies.c.opened_at.desc())
        .limit(100)
    )
    if open_only:
        query = query.where(emergencies.c.closed_at.is_(None))
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def for_household(store: ReadStore, household_id: UUID, chain: Sequence[UUID]) -> list[dict[str, Any]]:
    """The open emergencies a household (whose unit has lineage ``chain``) is asked to answer,
    newest first, with its answer so far."""
    mine = and_(
        check_ins.c.emergency_id == emergencies.c.emergency_id, check_ins.c.household_id == household_id
    )
    query = (
        select(*_SHOWN, check_ins.c.status, check_ins.c.note, check_ins.c.at.label("answered_at"))
        .select_from(_WITH_NOTICE.outerjoin(check_ins, mine))
        .where(
            reaching(chain, 0),  # its notice's reach: the unit's lineage and the groups named
            emergencies.c.closed_at.is_(None),
        )
        .order_by(emergencies.c.opened_at.desc())
    )
    with store.engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(query)]


def board(store: ReadStore, found: dict[str, Any], within: UUID, limit: int) -> dict[str, Any]:
    """The leader's board for the households of ``within`` an emergency reaches: per unit, how
    many it reaches, are safe, need help and were not heard from; the households needing help
    (with their note) and those not heard from (by code, at most ``limit`` of each)."""
    households = DIRECTORY.households
    theirs = and_(
        check_ins.c.emergency_id == found["emergency_id"],
        check_ins.c.household_id == households.c.household_id,
    )
    joined = households.outerjoin(check_ins, theirs)
    with store.engine.connect() as connection:
        where = and_(
            audience(connection, found["unit_id"], found["groups"]), audience(connection, within, ())
        )
        counts = connection.execute(
            select(
                households.c.unit_id,
                func.count().label("reached"),
                func.count(check_ins.c.status).filter(check_ins.c.status == "safe").label("safe"),
                func.count(check_ins.c.status).filter(check_ins.c.status == "needs_help").label("needs_help"),
            )
            .select_from(joined)
            .where(where)
            .group_by(households.c.unit_id)
        ).all()
        needing = connection.execute(
            select(
                households.c.household_id,
                households.c.household_code,
                households.c.unit_id,
                check_ins.c.note,
                check_ins.c.at,
            )
            .select_from(joined)
            .where(where, check_ins.c.status == "needs_help")
            .order_by(check_ins.c.at)
            .limit(limit)
        ).all()
        silent = connection.execute(
            select(households.c.household_id, households.c.household_code, households.c.unit_id)
            .select_from(joined)
            .where(where, check_ins.c.status.is_(None))
            .order_by(households.c.unit_id, households.c.household_code)
            .limit(limit)
        ).all()
        names = select(DIRECTORY.units.c.unit_id, DIRECTORY.units.c.name).where(
            DIRECTORY.units.c.unit_id.in_([r.unit_id for r in counts])
        )
        named = dict(connection.execute(names).tuples().all())
    units = sorted(
        (
            {
                "unit_id": r.unit_id,
                "unit_name": named.get(r.unit_id, ""),
                "reached": r.reached,
                "safe": r.safe,
                "needs_help": r.needs_help,
                "not_heard": r.reached - r.safe - r.needs_help,
            }
            for r in counts
        ),
        key=lambda u: str(u["unit_name"]),
    )
    return {
        "units": units,
        "needing_help": [dict(r._mapping) for r in needing],
        "not_heard": [dict(r._mapping) for r in silent],
    }
