"""A rule that flags every record of an import (its sheet had no residence column, say) is one
line of the worklist with a count and the import's file, listed one by one on request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from registry_world import World
from sheets import csv_file, finished, upload

from tothon_shared.http.web import create_service_api
from tothon_shared.runtime.service import ServiceRuntime

GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Long", "Minh", "Nghĩa", "Phúc", "Quân"]


def _rows(prefix: str, count: int, residence: str) -> list[str]:
    # Men born in 1980, each heading a household of one, with a valid ID of their own.
    return [
        f"{prefix}-{i:03d},Trần Văn {GIVEN[i]},Chủ hộ,Nam,1980,04808000{i:04d},,,{residence}"
        for i in range(count)
    ]


@pytest.fixture
def commune(runtime: ServiceRuntime) -> Iterator[World]:
    with TestClient(create_service_api(runtime), raise_server_exceptions=False) as api:
        world = World(runtime, api)
        world.sign_in_as("leader")
        yield world


def _imported(world: World, rows: list[str], filename: str) -> str:
    started = upload(world, csv_file(*rows), filename)
    assert started.status_code == 202, started.text
    job = finished(world, started.json()["import_id"])
    assert job["errors"] == [], job
    world.catch_up()
    return str(started.json()["import_id"])


def _worklist(world: World, **params: Any) -> Any:
    query = {"unit_id": str(world.group), "stale_after_months": "60"} | params
    response = world.api.get("/api/v1/quality", params=query, headers=world.clients["leader"])
    assert response.status_code == 200, response.text
    return response.json()


def test_a_rule_flagging_a_whole_import_is_one_line_with_its_count_and_file(commune: World) -> None:
    import_id = _imported(commune, _rows("HO", 12, ""), "so-ho-to-51.csv")
    result = _worklist(commune)
    assert [(f["code"], f["summary"]) for f in result["findings"]] == [
        ("residence_status.missing", {"import_id": import_id, "filename": "so-ho-to-51.csv", "count": 12})
    ]
    assert result["total"] == 1
    # Expanded, the import's findings are listed one by one, a page at a time.
    expanded = _worklist(commune, import_id=import_id, limit="5")
    assert expanded["total"] == 12
    assert [f["full_name"] for f in expanded["findings"]] == [f"Trần Văn {g}" for g in GIVEN[:5]]
    assert all(f["summary"] is None for f in expanded["findings"])


def test_a_rule_flagging_a_few_records_of_an_import_lists_them(commune: World) -> None:
    _imported(commune, _rows("HO", 12, "Thường trú")[:10] + _rows("HX", 12, "")[10:], "so-ho.csv")
    result = _worklist(commune)
    assert [(f["code"], f["household_code"], f["summary"]) for f in result["findings"]] == [
        ("residence_status.missing", "HX-010", None),
        ("residence_status.missing", "HX-011", None),
    ]
