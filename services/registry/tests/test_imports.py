"""Bulk import of the spreadsheets communes keep: every row checked, errors by row number in
Vietnamese, nothing partial for a household, the same file twice changes nothing, and progress
that a page can follow; a 10,000-row file goes through."""

from __future__ import annotations

import io
import random
import re
import time
from collections.abc import Iterator
from datetime import date
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from registry_world import World
from sheets import GOOD, clerk_csv, clerk_xlsx, csv_file, finished, upload
from sqlalchemy import create_engine, func, select

from tothon_registry.domain.household import Household
from tothon_registry.domain.person import ErasureReason
from tothon_registry.imports.columns import COLUMNS
from tothon_registry.imports.households import plan
from tothon_registry.imports.sheet import read_sheet
from tothon_shared.eventstore.environment import SUBJECT_KEYS_URL
from tothon_shared.http.web import create_service_api
from tothon_shared.privacy.keys import subject_keys
from tothon_shared.runtime.service import ServiceRuntime

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
    planned = plan(read_sheet(csv_file(*GOOD, *BAD), "x.csv"))
    assert [h.code for h in planned.households] == ["HO-101", "HO-102", "HO-105"]
    assert planned.refused == {"HO-103", "HO-104"}
    messages = [e["message"] for e in planned.errors]
    assert messages == [
        "Dòng 5 — Ngày sinh: không có tháng 13 — ngày và tháng bị đảo chăng? (viết ngày/tháng/năm)",
        "Dòng 6 — Số định danh: đây là số chứng minh nhân dân (CMND) 9 số cũ; "
        "cần số định danh (CCCD) 12 chữ số",
        "Dòng 7: hộ HO-104 phải có đúng một chủ hộ",
    ]
    # A phone without consent is not kept, and the household is: the note says why.
    assert [n["message"] for n in planned.notes] == [
        "Dòng 8 — Số điện thoại: không lưu vì chưa có đồng ý nhận thông báo (cột Đồng ý nhận thông báo: Có)"
    ]
    assert planned.households[2].members[0].phone is None
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
    assert (job["status"], job["households_created"], job["households_refused"]) == ("done", 3, 2)
    assert job["processed_rows"] == job["total_rows"] == 7
    commune.catch_up()
    listed = commune.api.get(
        "/api/v1/households", params={"unit_id": str(commune.group)}, headers=commune.clients["leader"]
    ).json()
    assert [(h["code"], h["head_name"], h["member_count"]) for h in listed] == [
        ("HO-101", "Nguyễn Văn Hùng", 2),
        ("HO-102", "Lê Thị Hoa", 1),
        ("HO-105", "Đỗ Thị Na", 1),
    ]
    before, keys = commune.app.recorder.max_notification_id(), _subject_keys(commune)
    assert keys == 4  # one a person registered
    again = finished(commune, upload(commune, csv_file(*GOOD, *BAD)).json()["import_id"])
    assert (again["households_created"], again["households_unchanged"]) == (0, 3)
    assert commune.app.recorder.max_notification_id() == before
    assert _subject_keys(commune) == keys  # no key made for persons that were never added


def test_a_household_imported_again_after_a_members_erasure_is_left_unchanged(commune: World) -> None:
    finished(commune, upload(commune, csv_file(*GOOD)).json()["import_id"])
    commune.catch_up()
    household = commune.app.get_household(Household.create_id(commune.group, "HO-102"))
    commune.app.erase_person(household.members[0].person_id, ErasureReason.SUBJECT_REQUEST, date(2026, 1, 5))
    keys = _subject_keys(commune)
    again = finished(commune, upload(commune, csv_file(*GOOD)).json()["import_id"])
    assert (again["status"], again["households_created"], again["households_unchanged"]) == ("done", 0, 2)
    assert _subject_keys(commune) == keys


def _subject_keys(world: World) -> int:
    engine = create_engine(world.app.env[SUBJECT_KEYS_URL])
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(subject_keys)).scalar_one()
    engine.dispose()
    return int(count)


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


CLERK_FILES = {
    "xlsx": (clerk_xlsx, "so-ho-to-17.xlsx"),
    "csv utf-8": (clerk_csv, "so-ho-to-17.csv"),
    "csv windows-1258 semicolons": (lambda: clerk_csv("cp1258", ";"), "so-ho-to-17.csv"),
    "csv unicode text (utf-16, tabs)": (lambda: clerk_csv("utf-16", "\t"), "so-ho-to-17.txt.csv"),
}
# What a pydantic path or its English text looks like, which a clerk must never see.
_LIBRARY_TEXT = re.compile(r"\w+\.\d+\.\w+|Value error|String should|Input should|field required", re.I)


@pytest.mark.parametrize("kind", CLERK_FILES)
def test_a_clerks_spreadsheet_keeps_every_right_household_and_says_what_it_dropped(kind: str) -> None:
    make, filename = CLERK_FILES[kind]
    planned = plan(read_sheet(make(), filename))
    assert [h.code for h in planned.households] == ["HO-01", "HO-02", "HO-06"]
    assert planned.refused == {"HO-03", "HO-04", "HO-05", ""}
    errors = [(e["row"], e["message"]) for e in planned.errors]
    assert errors == [
        (10, "Dòng 10 — Ngày sinh: không có tháng 13 — ngày và tháng bị đảo chăng? (viết ngày/tháng/năm)"),
        (
            10,
            "Dòng 10 — Số định danh: đây là số chứng minh nhân dân (CMND) 9 số cũ; "
            "cần số định danh (CCCD) 12 chữ số",
        ),
        (11, "Dòng 11 — Họ và tên: bắt buộc, không được để trống"),
        (12, "Dòng 12: hộ HO-04 phải có đúng một chủ hộ"),
        (13, "Dòng 13 — Ngày sinh: ngày không có thật"),
        (13, "Dòng 13 — Tạm trú đến: ngày không có thật"),
        (15, "Dòng 15 — Mã hộ: bắt buộc, không được để trống"),
    ]
    assert planned.errors[0]["message_en"] == (
        "Row 10 — Ngày sinh (date of birth): there is no month 13: are day and month swapped? "
        "(write day/month/year)"
    )
    notes = {(n["row"], n["column"], n["code"]) for n in planned.notes}
    assert notes == {
        (3, None, "import.sheet.ignored_columns"),
        (4, "Số định danh", "import.row.id_zero_restored"),
        (3, None, "import.sheet.no_consent_column"),  # once, not on each of rows 4, 5 and 6
        (8, "Số điện thoại", "import.row.phone_old"),
        (9, "Giới tính", "import.row.sex_dropped"),
        (14, "Cư trú", "import.row.temporary_without_end"),
    }
    assert planned.notes[1]["message"] == (
        "Dòng 3: tệp không có cột Đồng ý nhận thông báo nên 3 số điện thoại không được lưu "
        "(chỉ lưu số khi người dân đồng ý)"
    )
    for entry in planned.errors + planned.notes:
        assert entry["message"].startswith("Dòng ")
        assert entry["message_en"].startswith("Row ")
        assert not _LIBRARY_TEXT.search(entry["message"] + entry["message_en"]), entry
    first, second, third = planned.households[0].members
    assert (first.full_name, first.citizen_id, first.phone, first.birth_date) == (
        "Nguyễn Văn Hùng",
        "048072000101",  # the zero Excel dropped, put back
        None,  # no consent column: no consent
        date(1972, 4, 12),
    )
    assert (second.full_name, second.birth_year, third.residence_status) == (
        "Trần Thị Mai",
        1975,
        "temporary",
    )
    grandchild = planned.households[1].members[1]
    assert (grandchild.full_name, grandchild.relationship, grandchild.sex, grandchild.residence_status) == (
        "Lê Văn Tí",
        "grandchild",  # "Cháu nội"
        None,
        "permanent",
    )


def test_a_clerks_spreadsheet_shows_its_errors_and_notes_and_the_worklist_what_is_missing(
    commune: World,
) -> None:
    started = upload(commune, clerk_xlsx(), "so-ho-to-17.xlsx")
    assert started.status_code == 202, started.text
    job = finished(commune, started.json()["import_id"])
    assert (job["households_created"], job["households_refused"], job["total_rows"]) == (3, 4, 11)
    assert len(job["errors"]) == 7
    assert len(job["notes"]) == 6
    assert job["errors"][1]["column"] == "Số định danh"
    assert job["errors"][1]["code"] == "import.row.id_old_card"
    commune.catch_up()
    found = commune.api.get(
        "/api/v1/quality", params={"unit_id": str(commune.group)}, headers=commune.clients["leader"]
    ).json()["findings"]
    codes = {(f["household_code"], f["full_name"], f["code"]) for f in found}
    assert ("HO-02", "Lê Văn Tí", "sex.missing") in codes  # dropped at import, to put right
    assert ("HO-06", "Huỳnh Văn Phúc", "residence_status.missing") in codes
    assert ("HO-02", "Lê Thị Hoa", "citizen_id.missing") in codes


@pytest.mark.parametrize(
    ("typed", "kept", "code"),
    [
        ("048072000101", "048072000101", None),
        ("48072000101", "048072000101", "import.row.id_zero_restored"),  # Đà Nẵng, zero dropped
        ("1072000101", "001072000101", "import.row.id_zero_restored"),  # Hà Nội, both zeros dropped
        ("048 072 000 101", "048072000101", None),
        ("99072000101", None, "import.row.id_malformed"),  # 099 is no province: not a dropped zero
        ("201234567", None, "import.row.id_old_card"),
        ("4.8072E+10", None, "import.row.id_scientific"),
    ],
)
def test_citizen_ids_excel_shortened_are_put_right_only_when_unambiguous(
    typed: str, kept: str | None, code: str | None
) -> None:
    line = f"HO-1,Bùi Văn Lợi,Chủ hộ,Nam,1972,{typed},,,"
    planned = plan(read_sheet(csv_file(line), "x.csv"))
    members = [m for h in planned.households for m in h.members]
    assert [m.citizen_id for m in members] == ([kept] if kept else [])
    assert [e["code"] for e in planned.errors + planned.notes] == ([code] if code else [])


def test_a_phone_is_kept_only_with_consent_and_its_dropped_zero_is_put_back() -> None:
    planned = plan(
        read_sheet(
            csv_file(
                "HO-1,Bùi Văn Lợi,Chủ hộ,Nam,1972,,905123456,Có,",  # Excel dropped the zero
                "HO-1,Hồ Thị Nga,Vợ,Nữ,1975,,0905 111 222,,",  # no consent
                "HO-1,Bùi Văn Tâm,Con,Nam,2000,,+1 202 555 0100,x,",  # not a Vietnamese number
            ),
            "x.csv",
        )
    )
    assert [m.phone for m in planned.households[0].members] == ["+84905123456", None, None]
    assert [m.consents for m in planned.households[0].members] == [["notifications_phone"], [], []]
    assert [n["code"] for n in planned.notes] == ["import.row.phone_no_consent", "import.row.phone_dropped"]


@pytest.mark.parametrize(
    ("content", "filename", "code"),
    [
        (b"", "x.csv", "import.empty"),
        (b"\n\n", "x.csv", "import.empty"),
        ("Mã hộ\nHO-1\n".encode(), "x.csv", "import.no_header"),  # no delimiter in the first line
        ("Tên,Tuổi\nA,3\n".encode(), "x.csv", "import.unreadable"),
        (bytes(range(256)) * 8, "x.csv", "import.not_text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "x.xlsx", "import.old_excel"),
        (b"PK\x03\x04 not really a zip", "x.xlsx", "import.not_xlsx"),
        ("Mã hộ,Họ và tên\n".encode(), "x.xlsx", "import.not_xlsx"),
    ],
)
def test_files_that_are_no_household_sheet_are_refused_with_the_reason(
    commune: World, content: bytes, filename: str, code: str
) -> None:
    refused = upload(commune, content, filename)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == code


def test_a_cell_over_the_csv_limit_is_refused_with_its_row(commune: World) -> None:
    huge = "HO-2,Bùi Văn Lợi,Chủ hộ,Nam,1972,,,," + "x" * 200_000
    refused = upload(commune, csv_file(*GOOD, huge), "x.csv")
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["code"] == "import.csv_broken"
    assert [e["row"] for e in body["errors"]] == [5]
    assert body["errors"][0]["message"].startswith("Dòng 5: Tệp CSV hỏng")


def test_a_title_line_without_delimiter_above_the_header_is_skipped(commune: World) -> None:
    content = ("SỔ HỘ TỔ 51\n\n" + csv_file(*GOOD).decode("utf-8-sig")).encode()
    job = finished(commune, upload(commune, content).json()["import_id"])
    assert (job["households_created"], job["errors"]) == (2, [])


def test_headers_with_english_beside_them_or_slashes_between_words_are_read(commune: World) -> None:
    header = (
        '"Mã hộ\n(Household code)","Họ và tên / Full name",Quan hệ với chủ hộ (Relationship),Giới tính,'
        "Ngày/tháng/năm sinh,Số định danh,Số điện thoại,Đồng ý nhận thông báo,Cư trú"
    )
    content = "\n".join([header, *GOOD, ""]).encode("utf-8-sig")
    job = finished(commune, upload(commune, content).json()["import_id"])
    assert (job["households_created"], job["errors"]) == (2, [])


def test_the_template_names_every_column_explains_it_and_imports_nothing_as_it_comes(commune: World) -> None:
    response = commune.api.get("/api/v1/imports/template", headers=commune.clients["leader"])
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in COLUMNS]
    assert "Đồng ý nhận thông báo" in headers
    notes = {c.value: c.comment.text for c in sheet[1] if c.comment}
    assert notes["Mã hộ"].startswith("Mã hộ — Bắt buộc.")
    assert "Văn bản" in notes["Số định danh"]
    assert "Không bắt buộc." in notes["Số định danh"]
    assert [c.value for c in sheet[2]][:3] == ["HO-001", "Nguyễn Văn Hùng", "Chủ hộ"]
    as_is = finished(commune, upload(commune, response.content, "mau.xlsx").json()["import_id"])
    assert (as_is["households_created"], [n["code"] for n in as_is["notes"]]) == (
        0,
        ["import.sheet.example_skipped"],
    )
    sheet.append(["HO-9", "Ngô Thị Lan", "Chủ hộ", "Nữ", "1960"])
    filled = io.BytesIO()
    workbook = sheet.parent
    assert workbook is not None
    workbook.save(filled)
    job = finished(commune, upload(commune, filled.getvalue(), "mau.xlsx").json()["import_id"])
    assert job["households_created"] == 1
    columns = commune.api.get("/api/v1/imports/columns", headers=commune.clients["leader"]).json()
    assert [(c["header"], c["required"]) for c in columns][:4] == [
        ("Mã hộ", True),
        ("Họ và tên", True),
        ("Quan hệ với chủ hộ", True),
        ("Giới tính", False),
    ]
    assert all(c["note_vi"] and c["note_en"] for c in columns)
