"""Export of a unit's households in the columns the import reads: what a role and purpose show in
full, nothing masked, every person a logged read, and a file that reads back as it was."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from registry_world import World
from sheets import GOOD, csv_file, finished, upload
from sqlalchemy import select, update

from tothon_registry.disclosure import PersonField
from tothon_registry.exports.sheet import columns_for, rows_of, to_csv, to_xlsx
from tothon_registry.imports.households import plan
from tothon_registry.imports.sheet import read_sheet
from tothon_registry.readmodels.tables import personal_data_reads, persons
from tothon_shared.http.web import create_service_api
from tothon_shared.runtime.service import ServiceRuntime


@pytest.fixture
def commune(runtime: ServiceRuntime) -> Iterator[World]:
    with TestClient(create_service_api(runtime), raise_server_exceptions=False) as api:
        world = World(runtime, api)
        world.sign_in_as("leader", "ward", "other_leader")
        job = finished(world, upload(world, csv_file(*GOOD)).json()["import_id"])
        assert job["households_created"] == 2
        world.catch_up()
        yield world


def _export(world: World, who: str, purpose: str, format: str = "csv") -> Any:
    return world.api.get(
        "/api/v1/exports/households",
        params={"unit_id": str(world.group), "purpose": purpose, "format": format},
        headers=world.clients[who],
    )


def test_an_export_reads_back_as_the_households_it_came_from(commune: World) -> None:
    response = _export(commune, "ward", "data_quality")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["Mã hộ", "Họ và tên", "Quan hệ với chủ hộ"]
    assert "Số điện thoại" not in lines[0]  # data quality shows phones masked: left out whole
    again = plan(read_sheet(response.content, "export.csv"))
    assert again.errors == []
    assert [
        (h.code, [(m.full_name, m.relationship, m.sex) for m in h.members]) for h in again.households
    ] == [
        ("HO-101", [("Nguyễn Văn Hùng", "head", "male"), ("Trần Thị Mai", "spouse", "female")]),
        ("HO-102", [("Lê Thị Hoa", "head", "female")]),
    ]
    head = again.households[0].members[0]
    assert (head.citizen_id, head.birth_date.isoformat() if head.birth_date else None) == (
        "048072000101",
        "1972-04-12",
    )
    assert again.households[0].members[1].birth_year == 1975


def test_a_group_leader_exports_without_the_fields_shown_only_masked(commune: World) -> None:
    response = _export(commune, "leader", "contact", "xlsx")
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "Số định danh" not in rows[0]  # a leader sees IDs masked
    assert [r[1] for r in rows[1:]] == ["Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Thị Hoa"]
    assert "048072000101" not in str(rows)


def test_every_exported_person_is_a_logged_read_and_scope_holds(commune: World) -> None:
    assert _export(commune, "ward", "data_quality").status_code == 200
    with commune.runtime.store.engine.connect() as connection:
        logged = connection.execute(
            select(personal_data_reads.c.person_id, personal_data_reads.c.fields)
        ).all()
    exported = [row for row in logged if row.fields.endswith(",export")]
    assert len(exported) == 3
    assert _export(commune, "other_leader", "contact").status_code == 403
    assert _export(commune, "ward", "curiosity").status_code == 422


HOSTILE = {
    "full_name": '=HYPERLINK("http://x.vn","Bấm")',
    "relationship": "head",
    "sex": "female",
    "phone": "+84905123456",
    "consents": ["notifications_phone"],
    "occupation": "+Thợ may",
    "ethnicity": "@Kinh",
}


def test_cells_that_look_like_formulas_are_neutralised_and_phones_stay_readable(commune: World) -> None:
    commune.register("-HO-900", [HOSTILE])  # a code may start with a dash
    commune.catch_up()
    text = _export(commune, "ward", "social_welfare").content.decode("utf-8-sig")
    row = next(line for line in text.splitlines() if "HO-900" in line)
    for neutralised in ("'-HO-900,", "'=HYPERLINK", ",'+Thợ may,", ",'@Kinh,"):
        assert neutralised in row
    assert ",0905123456," in row  # the national form: no formula, and the import reads it back

    response = _export(commune, "ward", "social_welfare", "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    found = next(r for r in sheet.iter_rows() if r[0].value == "-HO-900")
    hostile = [c for c in found if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert sorted(str(c.value) for c in hostile) == sorted(
        ["-HO-900", str(HOSTILE["full_name"]), "+Thợ may", "@Kinh"]
    )
    # Text cells with Excel's quote prefix: shown as typed, never evaluated, read back as typed.
    assert all(c.data_type == "s" and c.quotePrefix for c in hostile)
    assert "0905123456" in [c.value for c in found]
    again = plan(read_sheet(response.content, "export.xlsx"))
    assert [(m.full_name, m.phone) for h in again.households if h.code == "-HO-900" for m in h.members] == [
        (HOSTILE["full_name"], "+84905123456")
    ]


def test_a_value_stored_before_the_text_rules_does_not_fail_the_export(commune: World) -> None:
    # A name with a control character and a bidirectional override, as stored before they were
    # refused: openpyxl refused the whole workbook for it.
    with commune.runtime.store.engine.begin() as connection:
        connection.execute(
            update(persons)
            .where(persons.c.full_name == "Lê Thị Hoa")
            .values(full_name="Lê Thị\x01 Hoa\u202e")
        )
    for format in ("xlsx", "csv"):
        response = _export(commune, "ward", "data_quality", format)
        assert response.status_code == 200, response.text
        again = plan(read_sheet(response.content, f"export.{format}"))
        assert [m.full_name for h in again.households for m in h.members][-1] == "Lê Thị Hoa"


def test_one_unreadable_record_is_exported_with_what_can_be_shown_and_counted() -> None:
    headers = columns_for(list(PersonField))
    good = {"person_id": "a", "code": "HO-1", "relationship": "head", "full_name": "Lê Thị Hoa"}
    broken = {"person_id": "b", "code": "HO-2", "relationship": "head", "full_name": "Lê Văn Tư"}
    broken["birth_date"] = "1985-13-45"  # not a date: what a damaged row could hold
    rows, incomplete = rows_of([good, broken], headers)
    assert incomplete == 1
    assert rows[1][:3] == ["HO-2", "Lê Văn Tư", "Chủ hộ"]
    assert rows[1][headers.index("Ngày sinh")] == ""
    assert to_xlsx(headers, rows)
    assert to_csv(headers, rows)
