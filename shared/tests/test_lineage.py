"""Lineages come from the unit table in one query, nearest unit first."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import Column, MetaData, String, Table, Uuid

from tothon_shared.auth.lineage import lineage
from tothon_shared.readstore import ReadStore


def test_a_unit_lineage_runs_from_itself_to_the_root(tmp_path: Path) -> None:
    metadata = MetaData()
    units = Table(
        "units",
        metadata,
        Column("unit_id", Uuid, primary_key=True),
        Column("parent_id", Uuid),
        Column("name", String(50)),
    )
    store = ReadStore(f"sqlite:///{tmp_path / 'r.sqlite'}", metadata)
    store.create_all()
    city, ward, group, other = (uuid.uuid4() for _ in range(4))
    with store.transaction() as session:
        session.execute(
            units.insert(),
            [
                {"unit_id": city, "parent_id": None, "name": "city"},
                {"unit_id": ward, "parent_id": city, "name": "ward"},
                {"unit_id": group, "parent_id": ward, "name": "group"},
                {"unit_id": other, "parent_id": city, "name": "other ward"},
            ],
        )
    assert lineage(store, units, group) == [group, ward, city]
    assert lineage(store, units, city) == [city]
    assert lineage(store, units, uuid.uuid4()) == []
