"""Reading a commune's household spreadsheet: CSV (UTF-8, comma or semicolon) or XLSX, one row a
person, headers in Vietnamese as communes write them (case, tones and spacing do not matter)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime

from openpyxl import load_workbook

from tothon_registry.domain.names import fold

# Folded header → field.
HEADERS = {
    "ma ho": "code",
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "quan he voi chu ho": "relationship",
    "quan he": "relationship",
    "gioi tinh": "sex",
    "ngay sinh": "birth",
    "so dinh danh": "citizen_id",
    "so cccd": "citizen_id",
    "so dien thoai": "phone",
    "dong y nhan thong bao": "consent",
    "dan toc": "ethnicity",
    "ton giao": "religion",
    "nghe nghiep": "occupation",
    "cu tru": "residence_status",
    "tam tru den": "residence_valid_until",
}
REQUIRED = ("code", "full_name", "relationship")

Row = tuple[int, dict[str, str]]  # the row's number in the sheet, and its cells by field


class SheetError(ValueError):
    """The file is not a readable spreadsheet with the required columns."""


def read_rows(content: bytes, filename: str) -> list[Row]:
    """The data rows, numbered as the sheet shows them (the header is row 1)."""
    table = _xlsx(content) if filename.lower().endswith(".xlsx") else _csv(content)
    try:
        header = next(table)
    except StopIteration:
        raise SheetError("the file is empty") from None
    fields = [HEADERS.get(fold(h or "")) for h in header]
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        raise SheetError(f"missing columns: {', '.join(missing)}")
    rows = []
    for number, cells in enumerate(table, start=2):
        row = {f: c.strip() for f, c in zip(fields, cells, strict=False) if f and c and c.strip()}
        if row:
            rows.append((number, row))
    return rows


def _csv(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SheetError("the CSV file is not UTF-8") from None
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    return iter(csv.reader(io.StringIO(text), dialect))


def _xlsx(content: bytes) -> Iterator[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise SheetError("the XLSX file cannot be read") from error
    sheet = workbook.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield [_cell(v) for v in values]
    workbook.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")  # a date cell, written the Vietnamese way
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
