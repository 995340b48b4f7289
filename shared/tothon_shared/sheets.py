"""Reading a spreadsheet as people export it: XLSX (merged cells spread over their range), or CSV
as spreadsheet programs and banks save it (UTF-8, UTF-16 "Unicode text" or Windows-1258; comma,
semicolon or tab). The header is the first row, within a few, that names a caller's required
columns: titles, account numbers and blank lines above it are skipped. What a header means is the
caller's vocabulary (``field_of``); refusals carry a message key under the caller's prefix."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.xml.functions import iterparse

# How far down a title and notes may push the header row.
HEADER_WITHIN = 20
_DELIMITERS = (",", ";", "\t")
_XLSX = b"PK\x03\x04"  # a zip archive, as every XLSX file is
_XLS = b"\xd0\xcf\x11\xe0"  # the Excel 97-2003 format
# An XLSX file's parts unpacked, at most: a 10,000-row register is about 7 MB; more than this is a
# zip bomb (openpyxl loads the shared strings whole), whatever the upload's size.
MAX_UNPACKED = 100_000_000
# Cells read from one sheet, at most: a tiny file may declare a million rows of 16,384 columns (or
# merge a range that size) and keep the reader busy for hours.
MAX_CELLS = 50_000_000
TOO_LARGE = "sheet.too_large"  # one key for every caller: the general catalogue says it
_MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"

Table = Iterator[list[str]]


class SheetError(ValueError):
    """The file is not a readable spreadsheet with the required columns: ``key`` is the message
    in the catalogue (``<prefix>.empty``, ``.old_excel``, ``.not_xlsx``, ``.not_text``,
    ``.csv_broken``, ``.unreadable``, ``.no_header``); ``row`` the sheet row at fault, if one is;
    ``missing`` the required columns' headers not found."""

    def __init__(self, key: str, row: int | None = None, missing: tuple[str, ...] = ()) -> None:
        super().__init__(key)
        self.key = key
        self.row = row
        self.missing = missing


@dataclass
class Header:
    """The table a header was found in, its row number, each column's field (``None``: a column
    the caller does not read) and those columns' headers."""

    table: Table
    row: int
    fields: list[str | None]
    ignored: list[str]


def tables(content: bytes, filename: str, prefix: str) -> Iterator[Table]:
    """The file's tables: each sheet of a workbook, or a CSV read with each delimiter in turn."""
    if not content.strip():
        raise SheetError(f"{prefix}.empty")
    if content.startswith(_XLSX):
        return _xlsx_tables(content, prefix)
    if content.startswith(_XLS):
        raise SheetError(f"{prefix}.old_excel")
    if filename.lower().endswith(".xlsx"):
        raise SheetError(f"{prefix}.not_xlsx")
    return _csv_tables(_decode(content, prefix))


def find_header(
    found: Iterable[Table],
    field_of: Callable[[str], str | None],
    required: Collection[str],
    prefix: str,
    header_of: Callable[[str], str] = str,
) -> Header:
    """The first table with a row naming every required field (``header_of`` names a missing
    field in the refusal)."""
    missing: list[str] = list(required)
    broken: SheetError | None = None
    for table in found:
        try:
            located = _header(table, field_of, required)
        except csv.Error:  # a field over the CSV limit, a NUL byte: maybe only with this delimiter
            broken = broken or SheetError(f"{prefix}.csv_broken", getattr(table, "line_num", None))
            continue
        if isinstance(located, list):
            missing = min(missing, located, key=len)
            continue
        return located
    if broken is not None:
        raise broken
    if len(missing) == len(required):
        raise SheetError(f"{prefix}.unreadable")
    raise SheetError(f"{prefix}.no_header", missing=tuple(header_of(f) for f in missing))


def data_rows(header: Header, prefix: str) -> Iterator[tuple[int, list[str]]]:
    """The rows under the header with their row numbers (as a spreadsheet program shows them)."""
    try:
        yield from enumerate(header.table, start=header.row + 1)
    except csv.Error:
        raise SheetError(f"{prefix}.csv_broken", getattr(header.table, "line_num", None)) from None


def _header(
    table: Table, field_of: Callable[[str], str | None], required: Collection[str]
) -> Header | list[str]:
    """The header (the table left at the row below it); or, when no row within
    ``HEADER_WITHIN`` is one, the required fields missing from the closest."""
    closest: list[str] = list(required)
    for number, cells in enumerate(islice(table, HEADER_WITHIN), start=1):
        fields = [field_of(c) for c in cells]
        missing = [f for f in required if f not in fields]
        if not missing:
            ignored = [c.strip() for c, f in zip(cells, fields, strict=True) if f is None and c.strip()]
            return Header(table, number, fields, ignored)
        closest = min(closest, missing, key=len)
    return closest


def _decode(content: bytes, prefix: str) -> str:
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
    raise SheetError(f"{prefix}.not_text")


def _csv_tables(text: str) -> Iterator[Table]:
    """The text read with each delimiter in turn; the header row tells which one is right."""
    for delimiter in _DELIMITERS:
        yield csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_tables(content: bytes, prefix: str) -> Iterator[Table]:
    _refuse_bomb(content, prefix)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise SheetError(f"{prefix}.not_xlsx") from None
    try:
        for sheet in workbook.worksheets:
            yield _xlsx_rows(sheet.iter_rows(values_only=True), _merged(sheet), prefix)
    finally:
        workbook.close()


def _refuse_bomb(content: bytes, prefix: str) -> None:
    """The parts' sizes as the archive declares them (zipfile stops reading a part at its
    declared size, so a part cannot lie about it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SheetError(f"{prefix}.not_xlsx") from None
    if unpacked > MAX_UNPACKED:
        raise SheetError(TOO_LARGE)


Range = tuple[int, int, int, int]  # min column, min row, max column, max row


def _xlsx_rows(values: Iterator[tuple[object, ...]], merged: list[Range], prefix: str) -> Table:
    """The rows as text, a merged range's value in each of its cells: clerks merge a household's
    code down its members' rows, and the sheet holds it in the first of them only."""
    starting: dict[int, list[Range]] = {}
    for merge in merged:
        starting.setdefault(merge[1], []).append(merge)
    active: list[tuple[Range, list[str]]] = []
    read = 0
    try:
        for number, row in enumerate(values, start=1):
            # A blank row (a declared size's filler) is checked in C, not converted cell by cell.
            cells = [] if row.count(None) == len(row) else [_cell(v) for v in row]
            active = [(m, v) for m, v in active if m[3] >= number]
            active += [(m, cells[m[0] - 1 : m[2]]) for m in starting.get(number, [])]
            for (first, _, last, _), value in active:
                cells += [""] * (last - len(cells))
                cells[first - 1 : last] = [value[0] if value else ""] * (last - first + 1)
            read += max(len(row), len(cells))
            if read > MAX_CELLS:
                raise SheetError(TOO_LARGE)
            yield cells
    except SheetError:
        raise
    except Exception:  # a part of the archive that cannot be read
        raise SheetError(f"{prefix}.not_xlsx") from None


def _merged(sheet: object) -> list[Range]:
    """The sheet's merged ranges. A read-only sheet does not read them; its XML is read again
    for them alone (openpyxl has no public way to it: without it, no ranges)."""
    try:
        source = sheet._get_source()  # type: ignore[attr-defined]
    except Exception:
        return []
    found = []
    try:
        with source:
            for _, element in iterparse(source):
                if element.tag == _MERGE_CELL:
                    found.append(range_boundaries(element.get("ref", "")))
                element.clear()
    except Exception:  # a broken part: reading its rows says so
        return []
    return [r for r in found if None not in r]  # type: ignore[misc]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")  # a date cell, written the Vietnamese way
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
