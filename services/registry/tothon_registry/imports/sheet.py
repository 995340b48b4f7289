"""Reading a commune's household spreadsheet: XLSX, or CSV as spreadsheet programs save it (UTF-8,
UTF-16 "Unicode text" or Windows-1258; comma, semicolon or tab), one row a person. The header is
the first row that names the required columns (a title and blank lines above it are skipped);
headers are Vietnamese as communes write them (case, tones and spacing do not matter), and columns
the import does not read are reported, not refused."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.xml.functions import iterparse

from tothon_registry.imports.columns import BY_FIELD, COLUMNS, REQUIRED, field_of

Row = tuple[int, dict[str, str]]  # the row's number in the sheet, and its cells by field
# How far down a title and notes may push the header row.
HEADER_WITHIN = 20
_DELIMITERS = (",", ";", "\t")
_XLSX = b"PK\x03\x04"  # a zip archive, as every XLSX file is
_XLS = b"\xd0\xcf\x11\xe0"  # the Excel 97-2003 format
_MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
EXAMPLE = {c.field: c.example for c in COLUMNS if c.example}  # the template's example row


class SheetError(ValueError):
    """The file is not a readable spreadsheet with the required columns: ``key`` is the message
    in the catalogue; ``row`` the sheet row at fault, if one is."""

    def __init__(self, key: str, row: int | None = None, missing: tuple[str, ...] = ()) -> None:
        super().__init__(key)
        self.key = key
        self.row = row
        self.missing = missing  # the required columns' headers not found


@dataclass
class Sheet:
    """The data rows under the header, and the headers of columns the import does not read."""

    rows: list[Row]
    ignored: list[str] = field(default_factory=list)
    header_row: int = 1
    fields: frozenset[str] = frozenset()  # the columns the sheet has, by field
    example_row: int | None = None  # the template's example, left in the file and skipped


def read_sheet(content: bytes, filename: str) -> Sheet:
    """The sheet's data rows, numbered as a spreadsheet program shows them."""
    if not content.strip():
        raise SheetError("import.empty")
    if content.startswith(_XLSX):
        return _read(_xlsx_tables(content))
    if content.startswith(_XLS):
        raise SheetError("import.old_excel")
    if filename.lower().endswith(".xlsx"):
        raise SheetError("import.not_xlsx")
    return _read(_csv_tables(_decode(content)))


def _read(tables: Iterable[Iterator[list[str]]]) -> Sheet:
    """The first table (sheet, or reading of a CSV with one delimiter) with a header row."""
    missing: list[str] = list(REQUIRED)
    broken: SheetError | None = None
    for table in tables:
        try:
            found = _header(table)
        except csv.Error:  # a field over the CSV limit, a NUL byte: maybe only with this delimiter
            broken = broken or SheetError("import.csv_broken", getattr(table, "line_num", None))
            continue
        if isinstance(found, list):
            missing = min(missing, found, key=len)
            continue
        try:
            return _rows(table, *found)
        except csv.Error:
            raise SheetError("import.csv_broken", getattr(table, "line_num", None)) from None
    if broken is not None:
        raise broken
    if len(missing) == len(REQUIRED):
        raise SheetError("import.unreadable")
    raise SheetError("import.no_header", missing=tuple(BY_FIELD[f].header for f in missing))


def _header(table: Iterator[list[str]]) -> tuple[int, list[str | None], list[str]] | list[str]:
    """The header's row number, each column's field and the ignored headers; or, when no row
    within ``HEADER_WITHIN`` is a header, the required fields missing from the closest one."""
    closest: list[str] = list(REQUIRED)
    for number, cells in enumerate(islice(table, HEADER_WITHIN), start=1):
        fields = [field_of(c) for c in cells]
        missing = [f for f in REQUIRED if f not in fields]
        if not missing:
            ignored = [c.strip() for c, f in zip(cells, fields, strict=True) if f is None and c.strip()]
            return number, fields, ignored
        closest = min(closest, missing, key=len)
    return closest


def _rows(table: Iterator[list[str]], header_row: int, fields: list[str | None], ignored: list[str]) -> Sheet:
    sheet = Sheet([], ignored, header_row, frozenset(f for f in fields if f))
    for number, cells in enumerate(table, start=header_row + 1):
        row = {f: c.strip() for f, c in zip(fields, cells, strict=False) if f and c and c.strip()}
        if not row:
            continue  # a blank line
        if row == EXAMPLE and sheet.example_row is None:
            sheet.example_row = number
            continue
        sheet.rows.append((number, row))
    return sheet


def _decode(content: bytes) -> str:
    """The text of a CSV file as spreadsheet programs save it, in NFC (Windows-1258 writes tones
    as combining marks)."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif content[1:40:2].count(0) > 15:  # UTF-16 without its byte-order mark
        encodings = ["utf-16-le"]
    else:
        encodings = ["utf-8-sig", "cp1258"]
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # binary, not text
        return unicodedata.normalize("NFC", text)
    raise SheetError("import.not_text")


def _csv_tables(text: str) -> Iterator[Iterator[list[str]]]:
    """The text read with each delimiter in turn; the header row tells which one is right."""
    for delimiter in _DELIMITERS:
        yield csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_tables(content: bytes) -> Iterator[Iterator[list[str]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise SheetError("import.not_xlsx") from None
    try:
        for sheet in workbook.worksheets:
            yield _xlsx_rows(sheet.iter_rows(values_only=True), _merged(sheet))
    finally:
        workbook.close()


Range = tuple[int, int, int, int]  # min column, min row, max column, max row


def _xlsx_rows(values: Iterator[tuple[object, ...]], merged: list[Range]) -> Iterator[list[str]]:
    """The rows as text, a merged range's value in each of its cells: clerks merge a household's
    code down its members' rows, and the sheet holds it in the first of them only."""
    starting: dict[int, list[Range]] = {}
    for merge in merged:
        starting.setdefault(merge[1], []).append(merge)
    active: list[tuple[Range, list[str]]] = []
    try:
        for number, row in enumerate(values, start=1):
            cells = [_cell(v) for v in row]
            active = [(m, v) for m, v in active if m[3] >= number]
            active += [(m, cells[m[0] - 1 : m[2]]) for m in starting.get(number, [])]
            for (first, _, last, _), value in active:
                cells += [""] * (last - len(cells))
                cells[first - 1 : last] = [value[0] if value else ""] * (last - first + 1)
            yield cells
    except Exception:  # a part of the archive that cannot be read
        raise SheetError("import.not_xlsx") from None


def _merged(sheet: object) -> list[Range]:
    """The sheet's merged ranges. A read-only sheet does not read them; its XML is read again
    for them alone (openpyxl has no public way to it: without it, no ranges)."""
    try:
        source = sheet._get_source()  # type: ignore[attr-defined]
    except Exception:
        return []
    found = []
    with source:
        for _, element in iterparse(source):
            if element.tag == _MERGE_CELL:
                found.append(range_boundaries(element.get("ref", "")))
            element.clear()
    return [r for r in found if None not in r]  # type: ignore[misc]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")  # a date cell, written the Vietnamese way
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
