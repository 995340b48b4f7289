"""Household spreadsheets for the registry's import and export tests, and the upload helpers."""

from __future__ import annotations

import csv
import io
import time
import unicodedata
from datetime import date
from typing import Any

from openpyxl import Workbook
from registry_world import World

HEADER = ",".join(
    [
        "Mã hộ",
        "Họ và tên",
        "Quan hệ với chủ hộ",
        "Giới tính",
        "Ngày sinh",
        "Số định danh",
        "Số điện thoại",
        "Đồng ý nhận thông báo",
        "Cư trú",
    ]
)
GOOD = [
    "HO-101,NGUYỄN VĂN HÙNG,Chủ hộ,Nam,12/04/1972,048072000101,0905 123 456,Có,Thường trú",
    "HO-101,Trần Thị Mai,Vợ,Nữ,1975,,,,Thường trú",
    "HO-102,Lê Thị Hoa,Chủ hộ,Nữ,03/02/1968,048168000102,,,Thường trú",
]


def upload(world: World, content: bytes, filename: str = "ho-khau.csv", who: str = "leader") -> Any:
    return world.api.post(
        "/api/v1/imports",
        params={"unit_id": str(world.group), "filename": filename},
        content=content,
        headers=world.clients[who] | {"Content-Type": "application/octet-stream"},
    )


def finished(world: World, import_id: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = world.api.get(f"/api/v1/imports/{import_id}", headers=world.clients["leader"]).json()
        if job["status"] != "running":
            return dict(job)
        time.sleep(0.1)
    raise AssertionError("the import did not finish")


def csv_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8-sig")


# A residential group's sheet as a clerk keeps it: a title and a blank line above the header,
# headers in their own words, a numbering and a remarks column the import does not read, no
# consent column, capitals, phones written every way, IDs whose leading zero Excel dropped, an old
# 9-digit ID card number, day/month/year and year-only dates, blank lines, and mistakes.
CLERK_TITLE = "DANH SÁCH HỘ GIA ĐÌNH TỔ DÂN PHỐ 17 — NĂM 2026"
CLERK_HEADER = [
    "STT",
    "Mã hộ",
    "HỌ VÀ TÊN",
    "Quan hệ",
    "Giới tính",
    "Ngày sinh (dd/mm/yyyy)",
    "Số CCCD",
    "SĐT",
    "Dân tộc",
    "Cư trú",
    "Tạm trú đến",
    "Ghi chú",
]
# Cells as Excel holds them: numbers where Excel made a number of what was typed.
CLERK_ROWS: list[list[object]] = [
    # HO-01: right; the head's ID lost its leading zero (Excel), phones in three shapes (kept
    # nowhere: the sheet has no consent column).
    [
        1,
        "HO-01",
        "NGUYỄN VĂN HÙNG",
        "Chủ hộ",
        "Nam",
        date(1972, 4, 12),
        48072000101,
        "0905 123 456",
        "Kinh",
        "Thường trú",
        None,
        None,
    ],
    [
        2,
        "HO-01",
        "TRẦN THỊ MAI",
        "Vợ",
        "Nữ",
        1975,
        "048175000102",
        "84905111222",
        "Kinh",
        "Thường trú",
        None,
        None,
    ],
    [
        3,
        "HO-01",
        "Nguyễn Văn An",
        "Con",
        "Nam",
        "03/09/2001",
        "049201000103",
        "+84 935 222 333",
        "Kinh",
        "Tạm trú",
        "31/12/2030",
        "đi học",
    ],
    [None, None, None, None, None, None, None, None, None, None, None, None],
    # HO-02: right; an old 11-digit mobile number and a sex the import does not know are dropped.
    [4, "HO-02", "LÊ THỊ HOA", "Chủ hộ", "nữ", 1950, None, "01223456789", "Kinh", "Thường trú", None, "ốm"],
    [5, "HO-02", "Lê Văn Tí", "Cháu nội", "Trai", 2015, None, None, "Kinh", "Thuong tru", None, None],
    # HO-03: refused; row 10 has two errors (day and month swapped, an old ID card number).
    [
        6,
        "HO-03",
        "PHAN VĂN TÍ",
        "Chủ hộ",
        "Nam",
        "05/13/1980",
        201234567,
        "0905999888",
        "Kinh",
        "Thường trú",
        None,
        None,
    ],
    [7, "HO-03", None, "Vợ", "Nữ", 1982, None, None, "Kinh", "Thường trú", None, None],
    # HO-04: refused; no head.
    [8, "HO-04", "Võ Văn Tư", "Con", "Nam", 1990, None, None, "Kinh", "Thường trú", None, None],
    # HO-05: refused; a day that does not exist, and a temporary stay ending on no real day.
    [
        9,
        "HO-05",
        "ĐỖ THỊ NA",
        "Chủ hộ",
        "Nữ",
        "30/02/1990",
        None,
        None,
        "Kinh",
        "Tạm trú",
        "31/06/2027",
        None,
    ],
    # HO-06: right; temporary residence without its end date is dropped.
    [
        10,
        "HO-06",
        "Huỳnh Văn Phúc",
        "Chủ hộ",
        "Nam",
        "1988",
        "048088000106",
        None,
        "Kinh",
        "Tam tru",
        None,
        None,
    ],
    # No household code.
    [11, None, "Ngô Thị Lan", "Chủ hộ", "Nữ", 1960, None, None, "Kinh", "Thường trú", None, None],
    [None, None, None, None, None, None, None, None, None, None, None, None],
]
CLERK_FIRST_ROW = 4  # the title, a blank line and the header come first


def clerk_xlsx() -> bytes:
    """The clerk's sheet as XLSX."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.append([CLERK_TITLE])
    sheet.append([])
    sheet.append(CLERK_HEADER)
    for row in CLERK_ROWS:
        sheet.append(row)
    # The title across the table, and HO-01's code (and number) merged down its three members.
    sheet.merge_cells("A1:L1")
    sheet.merge_cells("A4:A6")
    sheet.merge_cells("B4:B6")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def clerk_csv(encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    """The clerk's sheet as a spreadsheet program saves it as CSV (numbers as Excel shows them)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([CLERK_TITLE])
    writer.writerow([])
    writer.writerow(CLERK_HEADER)
    writer.writerows([[_shown(v) for v in row] for row in CLERK_ROWS])
    text = out.getvalue()
    return to_windows_1258(text) if encoding == "cp1258" else text.encode(encoding)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def to_windows_1258(text: str) -> bytes:
    """Text as Vietnamese Windows saves it: letters with their vowel marks precomposed where the
    code page has them, tone marks as combining characters after them."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], list(decomposed[1:])
        tones = [m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in tones))
        out += (letter + "".join(tones)).encode("cp1258")
    return bytes(out)
