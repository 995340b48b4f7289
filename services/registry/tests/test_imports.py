"""Bulk import of the spreadsheets communes keep: every row checked, errors by row number in
Vietnamese, nothing partial for a household, the same file twice changes nothing, and progress
that a page can follow; a 10,000-row file goes through."""

from __future__ import annotations

import io
import random
import time
from collections.abc import Iterator
from datetime import date
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from registry_world import World
from sheets import GOOD, csv_file, finished, upload

from tothon_registry.imports.households import plan
from tothon_registry.imports.sheet import read_rows
from tothon_shared.runtime import ServiceRuntime
from tothon_shared.web import create_service_api

BAD = [
    "HO-103,Phan Văn Tí,Chủ hộ,Nam,05/13/1980,,,,",  # month first: there is no month 13
    "HO-103,Phan Thị Tèo,Con,Nữ,2001,201234567,,,",  # an old 9-digit ID number
    "HO-104,Võ Văn Tư,Con,Nam,1990,,,,",  # a household without a head
    "HO-105,Đỗ Thị Na,Chủ hộ,Nữ,1950,,0905111222,,",  # a phone without consent
]


@pytest.fixture
def commune(runtime: ServiceRuntime) -> Iterator[World]:
    # One event loop for the whole test, as in a server: an import runs on after its request.
    with TestClient(create_service_api(runtime), raise_server_exceptions=False) as api:
        yield _commune(runtime, api)


def _commune(runtime: ServiceRuntime, api: TestClient) -> World:
    world = World(runtime, api)
    world.sign_in_as("leader", "other_leader")
    return world


def test_rows_are_checked_and_reported_by_number_in_vietnamese() -> None:
    planned = plan(read_rows(csv_file(*GOOD, *BAD), "x.csv"))
    assert [h.code for h in planned.households] == ["HO-101", "HO-102"]
    assert planned.refused == {"HO-103", "HO-104", "HO-105"}
    messages = [e["message"] for e in planned.errors]
    assert messages[0] == "Dòng 5: Ngày sinh 05/13/1980: tháng 13 không có — ngày và tháng bị đảo chăng?"
    assert messages[1].startswith("Dòng 6: Số định danh: số định danh phải có 12 chữ số")
    assert messages[2] == "Dòng 7: hộ HO-104 phải có đúng một chủ hộ"
    assert messages[3].startswith("Dòng 8: chỉ ghi Số điện thoại khi người dân đồng ý")
    head = planned.households[0].members[0]
    assert (head.full_name, head.phone, head.birth_date) == (
        "Nguyễn Văn Hùng",
        "+84905123456",
        date(1972, 4, 12),
    )
    assert planned.households[0].members[1].birth_year == 1975  # a year alone


def test_an_import_registers_the_good_households_whole_and_twice_changes_nothing(commune: World) -> None:
    started = upload(commune, csv_file(*GOOD, *BAD))
    assert started.status_code == 202, started.text
    job = finished(commune, started.json()["import_id"])
    assert (job["status"], job["households_created"], job["households_refused"]) == ("done", 2, 3)
    assert job["processed_rows"] == job["total_rows"] == 7
    commune.catch_up()
    listed = commune.api.get(
        "/api/v1/households", params={"unit_id": str(commune.group)}, headers=commune.clients["leader"]
    ).json()
    assert [(h["code"], h["head_name"], h["member_count"]) for h in listed] == [
        ("HO-101", "Nguyễn Văn Hùng", 2),
        ("HO-102", "Lê Thị Hoa", 1),
    ]
    before = commune.app.recorder.max_notification_id()
    again = finished(commune, upload(commune, csv_file(*GOOD, *BAD)).json()["import_id"])
    assert (again["households_created"], again["households_unchanged"]) == (0, 2)
    assert commune.app.recorder.max_notification_id() == before


def test_xlsx_files_with_date_cells_are_read_too(commune: World) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Mã hộ", "Họ và tên", "Quan hệ với chủ hộ", "Giới tính", "Ngày sinh"])
    from datetime import datetime

    sheet.append(["HO-201", "Bùi Văn Lợi", "Chủ hộ", "Nam", datetime(1977, 5, 6)])
    sheet.append(["HO-201", "Hồ Thị Nga", "Vợ", "Nữ", 1979])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = finished(commune, upload(commune, buffer.getvalue(), "so-ho.xlsx").json()["import_id"])
    assert (job["households_created"], job["errors"]) == (1, [])


def test_unreadable_files_and_other_units_are_refused(commune: World) -> None:
    assert upload(commune, b"\xff\xfe garbage", "x.csv").status_code == 422
    assert upload(commune, "Tên,Tuổi\nA,3\n".encode(), "x.csv").status_code == 422  # no required columns
    assert upload(commune, csv_file(*GOOD), "x.pdf").status_code == 422
    assert upload(commune, csv_file(*GOOD), who="other_leader").status_code == 403


def test_a_ten_thousand_row_file_goes_through_with_progress(commune: World) -> None:
    random.seed(2026)
    family_names = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
    given = ["An", "Bình", "Châu", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Tâm", "Thảo"]
    lines: list[str] = []
    household = 0
    while len(lines) < 10_000:
        household += 1
        size = min(random.choice([1, 2, 3, 3, 4, 4, 5, 6]), 10_000 - len(lines))
        for member in range(size):
            relationship = "Chủ hộ" if member == 0 else random.choice(["Vợ", "Con", "Con", "Cháu", "Mẹ"])
            name = f"{random.choice(family_names)} Văn {random.choice(given)}"
            born = random.randint(1940, 2020)
            lines.append(f"HO-{household:05d},{name},{relationship},Nam,{born},,,,Thường trú")
    started = upload(commune, csv_file(*lines), "ca-to.csv")
    assert started.status_code == 202
    seen_progress = set()
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        url = f"/api/v1/imports/{started.json()['import_id']}"
        job = commune.api.get(url, headers=commune.clients["leader"]).json()
        seen_progress.add(job["processed_rows"])
        if job["status"] != "running":
            break
        time.sleep(0.2)
    assert (job["status"], job["total_rows"], job["processed_rows"]) == ("done", 10_000, 10_000)
    assert job["households_created"] == household
    assert len(seen_progress) > 2  # the page saw it move
    commune.catch_up()
    assert commune.app.get_household(UUID(str(_any_household(commune)))).code.startswith("HO-")


def _any_household(world: World) -> str:
    params = {"unit_id": str(world.group), "limit": 1}
    listed = world.api.get("/api/v1/households", params=params, headers=world.clients["leader"]).json()
    return str(listed[0]["household_id"])
