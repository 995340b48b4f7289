"""A unit's lineage (itself and its ancestors) from a read model's unit table, in one query.

Scopes are checked against lineages: an assignment at a unit covers every unit whose lineage
contains it. Registry and consumers keep the same shape of table (``unit_id``, ``parent_id``).
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Table, literal, select

from tothon_shared.readstore import ReadStore

MAX_DEPTH = 10  # province → ward → group is 3 deep; a cycle must not loop forever


def lineage(store: ReadStore, units: Table, unit_id: UUID) -> list[UUID]:
    """``unit_id`` and its ancestors, nearest first; empty if the unit is unknown."""
    chain = (
        select(units.c.unit_id, units.c.parent_id, literal(0).label("depth"))
        .where(units.c.unit_id == unit_id)
        .cte("chain", recursive=True)
    )
    parent = units.alias("parent")
    chain = chain.union_all(
        select(parent.c.unit_id, parent.c.parent_id, (chain.c.depth + 1).label("depth")).where(
            parent.c.unit_id == chain.c.parent_id, chain.c.depth < MAX_DEPTH
        )
    )
    with store.engine.connect() as connection:
        rows = connection.execute(select(chain.c.unit_id).order_by(chain.c.depth))
        return [UUID(str(r[0])) for r in rows]


def descendants(store: ReadStore, units: Table, unit_id: UUID) -> list[UUID]:
    """``unit_id`` and every unit below it."""
    tree = (
        select(units.c.unit_id, literal(0).label("depth"))
        .where(units.c.unit_id == unit_id)
        .cte("tree", recursive=True)
    )
    child = units.alias("child")
    tree = tree.union_all(
        select(child.c.unit_id, (tree.c.depth + 1).label("depth")).where(
            child.c.parent_id == tree.c.unit_id, tree.c.depth < MAX_DEPTH
        )
    )
    with store.engine.connect() as connection:
        return [UUID(str(r[0])) for r in connection.execute(select(tree.c.unit_id))]
