"""Queries over units as they were on a date: names and parents in force, successors, codes."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, func, or_, select

from tothon_registry.readmodels.tables import households, unit_successions, unit_versions, units
from tothon_shared.auth.lineage import lineage
from tothon_shared.auth.principal import covers
from tothon_shared.readstore.store import ReadStore

MAX_SUCCESSIONS = 10  # a chain of reforms longer than this is a data error, not history


def units_as_of(store: ReadStore, day: date, parent_id: UUID | None = None) -> list[dict[str, Any]]:
    """Units in force on ``day`` with the name and parent they had then, by name; optionally only
    the units that belonged to ``parent_id`` on that day. A day before the register's history
    begins is answered with the units of its first day (each row says since when it is known)."""
    with store.engine.connect() as connection:
        first = connection.execute(select(func.min(units.c.effective_from))).scalar()
        # The official list is recorded as in force from early 2025 (earlier reorganisations are
        # not in it): before that, the oldest units known are the best answer, not none at all.
        day = max(day, first) if first is not None else day
        return _units_on(connection, day, parent_id)


def _units_on(connection: Connection, day: date, parent_id: UUID | None) -> list[dict[str, Any]]:
    since = (
        select(unit_versions.c.unit_id, func.max(unit_versions.c.valid_from).label("since"))
        .where(unit_versions.c.valid_from <= day)
        .group_by(unit_versions.c.unit_id)
        .subquery()
    )
    query = (
        select(
            units.c.unit_id,
            units.c.kind,
            unit_versions.c.name,
            units.c.code,
            units.c.code_scheme,
            unit_versions.c.parent_id,
            units.c.effective_from,
            units.c.effective_to,
            units.c.successor_id,
        )
        .join(since, since.c.unit_id == units.c.unit_id)
        .join(
            unit_versions,
            and_(unit_versions.c.unit_id == units.c.unit_id, unit_versions.c.valid_from == since.c.since),
        )
        .where(units.c.effective_from <= day, or_(units.c.effective_to.is_(None), units.c.effective_to > day))
        .order_by(unit_versions.c.name, units.c.unit_id)
    )
    if parent_id is not None:
        query = query.where(unit_versions.c.parent_id == parent_id)
    return [dict(row._mapping) for row in connection.execute(query)]


def within(store: ReadStore, rows: list[dict[str, Any]], scopes: set[UUID]) -> list[dict[str, Any]]:
    """The rows of units that lie in any of ``scopes``: the unit or one it answers to today is
    one of them (as every scoped route authorises)."""
    if not scopes:
        return []
    with store.engine.connect() as connection:
        return [r for r in rows if covers(scopes, lineage(store, units, r["unit_id"], connection))]


def unit_detail(store: ReadStore, unit_id: UUID) -> dict[str, Any] | None:
    """A unit with its history: names and parents by date, the units it became and the units it
    succeeded, and where it resolves today (following successors until one is in force)."""
    with store.engine.connect() as connection:
        row = connection.execute(select(units).where(units.c.unit_id == unit_id)).first()
        if row is None:
            return None
        parent = units.alias("parent")
        versions = connection.execute(
            select(
                unit_versions.c.valid_from,
                unit_versions.c.name,
                unit_versions.c.parent_id,
                parent.c.name.label("parent_name"),
                parent.c.code.label("parent_code"),
            )
            .join(parent, parent.c.unit_id == unit_versions.c.parent_id, isouter=True)
            .where(unit_versions.c.unit_id == unit_id)
            .order_by(unit_versions.c.valid_from)
        )
        successors = connection.execute(
            select(unit_successions.c.successor_id.label("unit_id"), units.c.name, unit_successions.c.change)
            .join(units, units.c.unit_id == unit_successions.c.successor_id)
            .where(unit_successions.c.predecessor_id == unit_id)
            .order_by(unit_successions.c.position)
        )
        predecessors = connection.execute(
            select(unit_successions.c.predecessor_id.label("unit_id"), units.c.name, units.c.code_scheme)
            .join(units, units.c.unit_id == unit_successions.c.predecessor_id)
            .where(unit_successions.c.successor_id == unit_id)
            .order_by(units.c.name)
        )
        detail = dict(row._mapping)
        detail["history"] = [dict(v._mapping) for v in versions]
        detail["successors"] = [dict(s._mapping) for s in successors]
        detail["predecessors"] = [dict(p._mapping) for p in predecessors]
        detail["current_id"] = _current(connection, row)
        detail["household_count"] = connection.execute(
            select(func.count()).select_from(households).where(households.c.unit_id == unit_id)
        ).scalar_one()
        return detail


def _current(connection: Any, row: Any) -> UUID | None:
    """Follow default successors to the unit in force today (None if abolished without one)."""
    for _ in range(MAX_SUCCESSIONS):
        if row.effective_to is None:
            return UUID(str(row.unit_id))
        if row.successor_id is None:
            return None
        row = connection.execute(select(units).where(units.c.unit_id == row.successor_id)).first()
    return None


def units_by_code(store: ReadStore, code: str, scheme: str | None, day: date | None) -> list[dict[str, Any]]:
    """The units that carried ``code`` (in ``scheme``; on ``day`` if given), each with the unit in
    force it resolves to: codes are reused across reforms, so one code may name several units."""
    query = select(units).where(units.c.code == code).order_by(units.c.effective_from)
    if scheme is not None:
        query = query.where(units.c.code_scheme == scheme)
    if day is not None:
        query = query.where(
            units.c.effective_from <= day, or_(units.c.effective_to.is_(None), units.c.effective_to > day)
        )
    with store.engine.connect() as connection:
        found = []
        for row in connection.execute(query).all():
            item = dict(row._mapping)
            current = _current(connection, row)
            item["current_id"] = current
            item["current_name"] = (
                connection.execute(select(units.c.name).where(units.c.unit_id == current)).scalar()
                if current
                else None
            )
            found.append(item)
        return found


def contents(store: ReadStore, unit_ids: list[UUID]) -> list[UUID]:
    """The groups in force and the households that belong to these units: what a merge or
    split moves to the successors."""
    with store.engine.connect() as connection:
        groups = connection.execute(
            select(units.c.unit_id).where(units.c.parent_id.in_(unit_ids), units.c.effective_to.is_(None))
        ).scalars()
        found = [UUID(str(g)) for g in groups]
        held = connection.execute(
            select(households.c.household_id).where(households.c.unit_id.in_(unit_ids))
        ).scalars()
        return found + [UUID(str(h)) for h in held]
