"""A unit's lineage (itself and its ancestors) from a read model's unit table, in one query.

Scopes are checked against lineages: an assignment at a unit covers every unit whose lineage
contains it. Registry and consumers keep the same shape of table (``unit_id``, ``parent_id``,
``successor_id``). A superseded unit (merged, split, a pre-2025 ward) answers to its default
successor instead of its old parent, so the officials of the unit it became see its history.
"""

from __future__ import annotations

import time
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, FromClause, Select, Table, bindparam, func, literal, select

from tothon_shared.readstore import ReadStore

LINEAGE_SECONDS = 5.0
MAX_CACHED = 50_000
MAX_DEPTH = 12  # group → old ward → new ward → province is 4 deep; a cycle must not loop forever


def answers_to(units: FromClause) -> ColumnElement[UUID]:
    """The unit a unit answers to: its default successor once superseded, else its parent."""
    return func.coalesce(units.c.successor_id, units.c.parent_id)


def lineage(
    store: ReadStore, units: Table, unit_id: UUID, connection: Connection | None = None
) -> list[UUID]:
    """``unit_id`` and the units it answers to, nearest first; empty if the unit is unknown.

    Every scoped request asks for one, and units change rarely: a lineage is kept for
    ``LINEAGE_SECONDS``, so a reorganisation reaches scope checks within that time. A caller
    that holds a connection passes it (no second connection for a request)."""
    cache: dict[tuple[str, UUID], tuple[float, list[UUID]]] = store.__dict__.setdefault("_lineages", {})
    now = time.monotonic()
    hit = cache.get((units.name, unit_id))
    if hit is not None and hit[0] > now:
        return list(hit[1])
    if connection is None:
        with store.engine.connect() as own:
            found = _lineage(own, units, unit_id)
    else:
        found = _lineage(connection, units, unit_id)
    if len(cache) > MAX_CACHED:
        cache.clear()
    if found:  # an unknown unit may arrive any moment (units reach other services as events)
        cache[(units.name, unit_id)] = (now + LINEAGE_SECONDS, found)
    return list(found)


_STATEMENTS: dict[Table, Select[tuple[UUID]]] = {}


def _lineage(connection: Connection, units: Table, unit_id: UUID) -> list[UUID]:
    # Built once per table: constructing a recursive query costs more CPU than running it.
    statement = _STATEMENTS.get(units)
    if statement is None:
        chain = (
            select(units.c.unit_id, answers_to(units).label("parent_id"), literal(0).label("depth"))
            .where(units.c.unit_id == bindparam("unit_id"))
            .cte("chain", recursive=True)
        )
        parent = units.alias("parent")
        chain = chain.union_all(
            select(parent.c.unit_id, answers_to(parent), (chain.c.depth + 1).label("depth")).where(
                parent.c.unit_id == chain.c.parent_id, chain.c.depth < MAX_DEPTH
            )
        )
        statement = _STATEMENTS[units] = select(chain.c.unit_id).order_by(chain.c.depth)
    return [UUID(str(r[0])) for r in connection.execute(statement, {"unit_id": unit_id})]


def below(units: FromClause, unit_id: UUID | ColumnElement[UUID]) -> Select[tuple[UUID]]:
    """A query of ``unit_id`` and every unit that answers to it, directly or not (units below it
    and the units it succeeded): to embed in another query, saving a round trip and a list of
    thousands of ids for a city-wide scope."""
    tree = (
        select(units.c.unit_id, literal(0).label("depth"))
        .where(units.c.unit_id == unit_id)
        .cte("tree", recursive=True)
    )
    child = units.alias("child")
    tree = tree.union_all(
        select(child.c.unit_id, (tree.c.depth + 1).label("depth")).where(
            answers_to(child) == tree.c.unit_id, tree.c.depth < MAX_DEPTH
        )
    )
    return select(tree.c.unit_id)


def descendants(store: ReadStore, units: Table, unit_id: UUID) -> list[UUID]:
    """``unit_id`` and every unit that answers to it, directly or not."""
    with store.engine.connect() as connection:
        return [UUID(str(r[0])) for r in connection.execute(below(units, unit_id))]
