"""A spreadsheet file as tables of text rows: a CSV read with each delimiter in turn (the header
row tells which is right), or each sheet of an XLSX workbook, a merged range's value in each of
its cells. A file whose rows would not fit in memory is refused before it is read."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.xml.functions import iterparse

from tothon_shared.sheets.decoding import decode
from tothon_shared.sheets.errors import SheetError

Table = Iterator[list[str]]  # a table's rows, each its cells as text
DELIMITERS = (",", ";", "\t")
XLSX = b"PK\x03\x04"  # a zip archive, as every XLSX file is
XLS = b"\xd0\xcf\x11\xe0"  # the Excel 97-2003 format
# An XLSX file's parts unpacked, at most: a 10,000-row register is about 5 MB; more than this is a
# zip bomb (openpyxl loads the shared strings whole), whatever the upload's size.
MAX_UNPACKED = 100_000_000
# Cells read from one sheet, at most: a tiny file may declare a million rows of 16,384 columns (or
# merge a range that size) and keep the reader busy for hours.
MAX_CELLS = 50_000_000
_MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
Range = tuple[int, int, int, int]  # min column, min row, max column, max row


def tables(content: bytes, filename: str) -> Iterator[Table]:
    """The file's tables: an XLSX file's sheets, or a CSV file read with each delimiter."""
    if not content.strip():
        raise SheetError("sheet.empty")
    if content.startswith(XLSX):
        return xlsx_tables(content)
    if content.startswith(XLS):
        raise SheetError("sheet.old_excel")
    if filename.lower().endswith(".xlsx"):
        raise SheetError("sheet.not_xlsx")
    return csv_tables(decode(content))


def csv_tables(text: str) -> Iterator[Table]:
    """The text read with each delimiter in turn. A reader raises ``csv.Error`` (a field over the
    limit, a NUL) as it goes; its ``line_num`` says where."""
    for delimiter in DELIMITERS:
        yield csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def xlsx_tables(content: bytes) -> Iterator[Table]:
    """Each sheet's rows as text; ``sheet.not_xlsx`` for a broken workbook, ``sheet.too_large``
    for one that unpacks beyond ``MAX_UNPACKED`` or a sheet beyond ``MAX_CELLS``."""
    _refuse_bomb(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise SheetError("sheet.not_xlsx") from None
    try:
        for sheet in workbook.worksheets:
            yield xlsx_rows(sheet.iter_rows(values_only=True), _merged(sheet))
    finally:
        workbook.close()


def _refuse_bomb(content: bytes) -> None:
    """The parts' sizes as the archive declares them (zipfile stops reading a part at its
    declared size, so a part cannot lie about it)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SheetError("sheet.not_xlsx") from None
    if unpacked > MAX_UNPACKED:
        raise SheetError("sheet.too_large")


def xlsx_rows(values: Iterator[tuple[object, ...]], merged: list[Range]) -> Table:
    """The rows as text, a merged range's value in each of its cells: clerks merge a household's
    code down its members' rows, banks a date over its transactions, and the sheet holds it in
    the first cell only."""
    starting: dict[int, list[Range]] = {}
    for merge in merged:
        starting.setdefault(merge[1], []).append(merge)
    active: list[tuple[Range, list[str]]] = []
    read = 0
    try:
        for number, row in enumerate(values, start=1):
            # A blank row (a declared size's filler) is checked in C, not converted cell by cell.
            cells = [] if row.count(None) == len(row) else [cell_text(v) for v in row]
            active = [(m, v) for m, v in active if m[3] >= number]
            active += [(m, cells[m[0] - 1 : m[2]]) for m in starting.get(number, [])]
            for (first, _, last, _), value in active:
                cells += [""] * (last - len(cells))
                cells[first - 1 : last] = [value[0] if value else ""] * (last - first + 1)
            read += max(len(row), len(cells))
            if read > MAX_CELLS:
                raise SheetError("sheet.too_large")
            yield cells
    except SheetError:
        raise
    except Exception:  # a part of the archive that cannot be read
        raise SheetError("sheet.not_xlsx") from None


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
    except Exception:  # a broken part: the rows' reading says so
        return []
    return [r for r in found if None not in r]  # type: ignore[misc]


def cell_text(value: object) -> str:
    """A cell as text: a date the Vietnamese way (dd/mm/yyyy), a whole number without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
