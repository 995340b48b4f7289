"""Units as this process last loaded them, for the lineage every scoped command checks.

A command is authorised against its unit's lineage (a group, its ward, the province), and a
registration then checks its group once more. Loading each unit from the event store cost two round
trips (the snapshot store, then the events) and a decode: eight round trips a registration, the
largest share of its time once the API was busy. Kept units are instead asked, in one query for
the whole lineage, whether any of them has an event after the version kept: exact, since a
unit's events are numbered without gaps, and the answer is almost always "none".

Kept units are never handed to code that changes them: a use case that changes a unit loads its
own copy (``RegistryApplication.get_unit``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder
from eventsourcing.postgres import PostgresAggregateRecorder
from psycopg import sql

from tothon_registry.domain.unit import Unit

MAX_DEPTH = 12  # as the read models' lineage: a cycle must not loop forever

# The units among these (id → kept version) that have an event after that version.
Newer = Callable[[Mapping[UUID, int]], set[UUID]]


class KeptUnits:
    """Units kept in memory, each use checked against the event store in one query."""

    MAX_KEPT = 50_000  # a city has a few thousand units, a country a few hundred thousand

    def __init__(self, load: Callable[[UUID], Unit], newer: Newer) -> None:
        self._load = load
        self._newer = newer
        self._lock = threading.Lock()
        self._kept: dict[UUID, Unit] = {}

    def unit(self, unit_id: UUID) -> Unit:
        """The unit as of its latest event (not to be changed by the caller)."""
        kept = self._get(unit_id)
        if kept is not None and not self._newer({unit_id: kept.version}):
            return kept
        return self._keep(self._load(unit_id))

    def lineage(self, unit_id: UUID) -> list[UUID]:
        """The unit and the units it answers to, nearest first: its parents, and for a superseded
        unit its default successor's lineage."""
        for _ in range(3):
            chain, walked = self._walk(unit_id)
            changed = self._newer({u.id: u.version for u in walked})
            if not changed:
                return chain
            with self._lock:
                for stale in changed:
                    self._kept.pop(stale, None)
        return self._walk(unit_id, fresh=True)[0]  # units changing under every walk: load them all

    def _walk(self, unit_id: UUID, fresh: bool = False) -> tuple[list[UUID], list[Unit]]:
        chain = [unit_id]
        walked = [self._unit(unit_id, fresh)]
        while len(chain) < MAX_DEPTH:
            unit = walked[-1]
            following = unit.successor_id if not unit.in_force else unit.parent_id
            if following is None or following in chain:
                break
            chain.append(following)
            walked.append(self._unit(following, fresh))
        return chain, walked

    def _unit(self, unit_id: UUID, fresh: bool) -> Unit:
        kept = None if fresh else self._get(unit_id)
        return kept if kept is not None else self._keep(self._load(unit_id))

    def _get(self, unit_id: UUID) -> Unit | None:
        with self._lock:
            return self._kept.get(unit_id)

    def _keep(self, unit: Unit) -> Unit:
        with self._lock:
            kept = self._kept.get(unit.id)
            if kept is not None and kept.version > unit.version:
                return kept  # another thread loaded it later still
            if len(self._kept) >= self.MAX_KEPT:
                self._kept.clear()
            self._kept[unit.id] = unit
        return unit


def newer_events(recorder: AggregateRecorder) -> Newer:
    """How to ask ``recorder`` which aggregates have an event after a version: one query on
    PostgreSQL; elsewhere (the embedded SQLite store, in-memory) a probe per aggregate."""
    if isinstance(recorder, PostgresAggregateRecorder):
        # Planned for each call, never prepared: a plan prepared while the table was small (a
        # new deployment) scanned the whole table, and was kept as the table grew, until
        # autovacuum next analysed it: 2,000 registrations read 4 million rows. Planning anew
        # sees the table's present size and probes the index once a unit.
        statement = sql.SQL(
            "SELECT kept.id AS originator_id FROM unnest(%s::uuid[], %s::int[]) AS kept (id, version)"
            " WHERE EXISTS (SELECT FROM {} AS e"
            " WHERE e.originator_id = kept.id AND e.originator_version = kept.version)"
        ).format(sql.Identifier(recorder.events_table_name))

        def ask_postgres(versions: Mapping[UUID, int]) -> set[UUID]:
            ids = list(versions)
            with recorder.datastore.get_connection() as connection, connection.cursor() as cursor:
                cursor.execute(statement, (ids, [versions[i] + 1 for i in ids]), prepare=False)
                return {UUID(str(row["originator_id"])) for row in cursor.fetchall()}

        return ask_postgres

    def ask_each(versions: Mapping[UUID, int]) -> set[UUID]:
        return {
            aggregate_id
            for aggregate_id, version in versions.items()
            if recorder.select_events(aggregate_id, gt=version, limit=1)
        }

    return ask_each
