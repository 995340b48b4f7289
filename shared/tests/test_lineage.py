"""Lineages come from the unit table (the whole tree read at once, a new unit asked of the table),
nearest unit first; a superseded unit answers to its successor."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from sqlalchemy import Column, MetaData, String, Table, Uuid, event

from tothon_shared.auth.lineage import descendants, lineage, unit_tree
from tothon_shared.readstore.store import ReadStore


def _store(tmp_path: Path) -> tuple[ReadStore, Table]:
    metadata = MetaData()
    units = Table(
        "units",
        metadata,
        Column("unit_id", Uuid, primary_key=True),
        Column("parent_id", Uuid),
        Column("successor_id", Uuid),
        Column("name", String(50)),
    )
    store = ReadStore(f"sqlite:///{tmp_path / 'r.sqlite'}", metadata)
    store.create_all()
    return store, units


def test_a_unit_lineage_runs_from_itself_to_the_root(tmp_path: Path) -> None:
    store, units = _store(tmp_path)
    city, ward, group, other = (uuid.uuid4() for _ in range(4))
    with store.transaction() as session:
        session.execute(
            units.insert(),
            [
                {"unit_id": city, "parent_id": None, "successor_id": None, "name": "city"},
                {"unit_id": ward, "parent_id": city, "successor_id": None, "name": "ward"},
                {"unit_id": group, "parent_id": ward, "successor_id": None, "name": "group"},
                {"unit_id": other, "parent_id": city, "successor_id": None, "name": "other ward"},
            ],
        )
    assert lineage(store, units, group) == [group, ward, city]
    assert lineage(store, units, city) == [city]
    assert lineage(store, units, uuid.uuid4()) == []
    assert set(descendants(store, units, ward)) == {ward, group}


def test_a_superseded_unit_answers_to_its_successor_not_its_old_parent(tmp_path: Path) -> None:
    # A ward of before the reform (under an abolished district) merged into a ward of today: its
    # group and its history fall under today's ward and city, and today's ward sees them.
    store, units = _store(tmp_path)
    old_city, district, old_ward, old_group, city, ward = (uuid.uuid4() for _ in range(6))
    with store.transaction() as session:
        session.execute(
            units.insert(),
            [
                {"unit_id": old_city, "parent_id": None, "successor_id": city, "name": "old city"},
                {"unit_id": district, "parent_id": old_city, "successor_id": None, "name": "district"},
                {"unit_id": old_ward, "parent_id": district, "successor_id": ward, "name": "old ward"},
                {"unit_id": old_group, "parent_id": old_ward, "successor_id": None, "name": "group"},
                {"unit_id": city, "parent_id": None, "successor_id": None, "name": "city"},
                {"unit_id": ward, "parent_id": city, "successor_id": None, "name": "ward"},
            ],
        )
    assert lineage(store, units, old_group) == [old_group, old_ward, ward, city]
    assert lineage(store, units, district) == [district, old_city, city]
    assert set(descendants(store, units, ward)) == {ward, old_ward, old_group}


def test_the_tree_is_read_once_and_a_new_unit_is_known_at_once(tmp_path: Path) -> None:
    store, units = _store(tmp_path)
    city, ward, group = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with store.transaction() as session:
        session.execute(
            units.insert(),
            [
                {"unit_id": city, "parent_id": None, "successor_id": None, "name": "city"},
                {"unit_id": ward, "parent_id": city, "successor_id": None, "name": "ward"},
            ],
        )
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    assert lineage(store, units, ward) == [ward, city]
    assert lineage(store, units, city) == [city]
    assert len(statements) == 1  # the whole tree, once
    assert lineage(store, units, uuid.uuid4()) == []  # unknown: asked of the table, tree kept
    with store.transaction() as session:
        session.execute(
            units.insert(), [{"unit_id": group, "parent_id": ward, "successor_id": None, "name": "g"}]
        )
    assert lineage(store, units, group) == [group, ward, city]  # created just now
    # The tree is read again, in a thread of its own, while requests go on with the one they have.
    deadline = time.monotonic() + 5
    with store.engine.connect() as connection:
        while unit_tree(connection, units).below(city) != {city, ward, group}:
            assert time.monotonic() < deadline, "the unit tree was not read again"
            time.sleep(0.01)
    assert lineage(store, units, group) == [group, ward, city]
