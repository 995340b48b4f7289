"""A unit's lineage (itself and its ancestors) from a read model's unit table.

Scopes are checked against lineages: an assignment at a unit covers every unit whose lineage
contains it. Registry and consumers keep the same shape of table (``unit_id``, ``parent_id``,
``successor_id``). A superseded unit (merged, split, a pre-2025 ward) answers to its default
successor instead of its old parent, so the officials of the unit it became see its history.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Select,
    Table,
    bindparam,
    func,
    literal,
    select,
    text,
)

from tothon_shared.readstore.refreshed import Refreshed
from tothon_shared.readstore.store import ReadStore

LINEAGE_SECONDS = 5.0
MAX_DEPTH = 12  # group → old ward → new ward → province is 4 deep; a cycle must not loop forever


def answers_to(units: FromClause) -> ColumnElement[UUID]:
    """The unit a unit answers to: its default successor once superseded, else its parent."""
    return func.coalesce(units.c.successor_id, units.c.parent_id)


class UnitTree:
    """Every unit and the unit it answers to, read in one query: a city has a few thousand units,
    and every scoped request needs a lineage (a query per lookup cost more than the lookup)."""

    def __init__(self, answers: dict[UUID, UUID | None]) -> None:
        self.answers = answers
        self._below: dict[UUID, frozenset[UUID]] = {}

    def lineage(self, unit_id: UUID) -> list[UUID]:
        """``unit_id`` and the units it answers to, nearest first; empty if unknown."""
        chain: list[UUID] = []
        current: UUID | None = unit_id
        while current is not None and current in self.answers and len(chain) <= MAX_DEPTH:
            chain.append(current)
            current = self.answers[current]
        return chain

    def below(self, unit_id: UUID) -> frozenset[UUID]:
        """``unit_id`` and every unit that answers to it, directly or not."""
        found = self._below.get(unit_id)
        if found is None:
            children: dict[UUID, list[UUID]] = {}
            for child, parent in self.answers.items():
                if parent is not None:
                    children.setdefault(parent, []).append(child)
            reached, level = {unit_id}, [unit_id]
            for _ in range(MAX_DEPTH):
                level = [c for u in level for c in children.get(u, ()) if c not in reached]
                reached.update(level)
            found = self._below[unit_id] = frozenset(reached)
        return found


_trees: dict[Table, Refreshed[UnitTree]] = {}


def unit_tree(connection: Connection, units: Table) -> UnitTree:
    """The units of this database, kept in memory; once ``LINEAGE_SECONDS`` old, a thread of its
    own asks whether the table changed and reads it again if so (reading a city's units takes
    10–40 ms): a reorganisation reaches scope checks within that time and the time a reading
    takes."""
    trees = _trees.get(units)
    if trees is None:
        name = f"unit tree of {units.name}"
        trees = _trees[units] = Refreshed(name, LINEAGE_SECONDS, _reader(units), _version(units))
    return trees.get(connection)


def _reader(units: Table) -> Callable[[Connection], UnitTree]:
    statement = select(units.c.unit_id, answers_to(units))

    def read(connection: Connection) -> UnitTree:
        rows = connection.execute(statement).tuples().all()
        # (SQLite gives the coalesced id as text)
        return UnitTree({u: a if a is None or isinstance(a, UUID) else UUID(a) for u, a in rows})

    return read


def _version(units: Table) -> Callable[[Connection], Hashable]:
    # On PostgreSQL every row written gets the writing transaction's id (xmin): the number of rows
    # and the sum of those ids change with any insert, update or delete, and cost one scan of a
    # few thousand rows to ask. Elsewhere (SQLite, embedded) there is no such id: read again.
    statement = text(f"SELECT count(*), sum(xmin::text::bigint) FROM {units.name}")

    def version(connection: Connection) -> Hashable:
        if connection.dialect.name != "postgresql":
            return None
        return tuple(connection.execute(statement).one())

    return version


def lineage(
    store: ReadStore, units: Table, unit_id: UUID, connection: Connection | None = None
) -> list[UUID]:
    """``unit_id`` and the units it answers to, nearest first; empty if the unit is unknown. A
    caller that holds a connection passes it (no second connection for a request)."""
    if connection is None:
        with store.engine.connect() as own:
            return _lineage(own, units, unit_id)
    return _lineage(connection, units, unit_id)


def _lineage(connection: Connection, units: Table, unit_id: UUID) -> list[UUID]:
    tree = unit_tree(connection, units)
    if unit_id in tree.answers:
        return tree.lineage(unit_id)
    # A unit newer than the tree (units reach other services as events, and a new group is used
    # at once): its lineage from the table, and the whole tree read again next time.
    found = [UUID(str(r[0])) for r in connection.execute(_statement(units), {"unit_id": unit_id})]
    if found:  # not for an unknown unit: asking for random ids must not reload the tree each time
        _trees[units].expire(connection)
    return found


_STATEMENTS: dict[Table, Select[tuple[UUID]]] = {}


def _statement(units: Table) -> Select[tuple[UUID]]:
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
    return statement


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
