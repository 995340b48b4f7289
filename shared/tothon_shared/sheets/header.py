"""Finding a sheet's header row among the title rows above it (a commune's name, a bank's account
number and period), in the caller's vocabulary, and reading the rows under it by field."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from tothon_shared.sheets.errors import SheetError
from tothon_shared.sheets.tables import Table, tables

Vocabulary = Callable[[str], str | None]  # a header's text → the field it names, or None
Row = tuple[int, dict[str, str]]  # the row's number in the sheet, and its non-blank cells by field
# How far down a title and notes may push the header row.
HEADER_WITHIN = 20


@dataclass(frozen=True)
class Header:
    """The header row's number, each column's field (None for a column the caller does not
    read) and the headers of those columns, as written."""

    row: int
    fields: tuple[str | None, ...]
    ignored: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    """A sheet's header and its data rows (blank rows left out), numbered as a spreadsheet
    program shows them."""

    header: Header
    rows: list[Row]


def read_sheet(
    content: bytes,
    filename: str,
    field_of: Vocabulary,
    required: Sequence[str],
    within: int = HEADER_WITHIN,
) -> Sheet:
    """The first table of the file (an XLSX sheet, or the CSV read with one delimiter) with a
    row naming every ``required`` field within its first ``within`` rows, and its rows. Raises
    ``SheetError`` only: ``sheet.unreadable`` when no row names any required field,
    ``sheet.no_header`` (with ``missing``) when the closest row lacks some."""
    return read_tables(tables(content, filename), field_of, required, within)


def read_tables(
    found: Iterable[Table], field_of: Vocabulary, required: Sequence[str], within: int = HEADER_WITHIN
) -> Sheet:
    """``read_sheet`` over tables already split (``tables``, ``csv_tables``, ``xlsx_tables``)."""
    missing: list[str] = list(required)
    broken: SheetError | None = None
    for table in found:
        try:
            header = find_header(table, field_of, required, within)
        except csv.Error:  # a field over the CSV limit, a NUL byte: maybe only with this delimiter
            broken = broken or SheetError("sheet.csv_broken", getattr(table, "line_num", None))
            continue
        if isinstance(header, list):
            missing = min(missing, header, key=len)
            continue
        try:
            return Sheet(header, list(data_rows(table, header)))
        except csv.Error:
            raise SheetError("sheet.csv_broken", getattr(table, "line_num", None)) from None
    if broken is not None:
        raise broken
    if len(missing) == len(required):
        raise SheetError("sheet.unreadable")
    raise SheetError("sheet.no_header", missing=tuple(missing))


def find_header(
    table: Table, field_of: Vocabulary, required: Sequence[str], within: int = HEADER_WITHIN
) -> Header | list[str]:
    """The first row within ``within`` that names every required field; or, when none does, the
    required fields missing from the closest one. Reads the table up to that row."""
    closest: list[str] = list(required)
    for number, cells in enumerate(islice(table, within), start=1):
        fields = [field_of(c) for c in cells]
        missing = [f for f in required if f not in fields]
        if not missing:
            ignored = [c.strip() for c, f in zip(cells, fields, strict=True) if f is None and c.strip()]
            return Header(number, tuple(fields), tuple(ignored))
        closest = min(closest, missing, key=len)
    return closest


def data_rows(table: Table, header: Header) -> Iterable[Row]:
    """The rows under the header, each cell trimmed and by its column's field; blank rows and
    cells left out."""
    for number, cells in enumerate(table, start=header.row + 1):
        row = {f: c.strip() for f, c in zip(header.fields, cells, strict=False) if f and c and c.strip()}
        if row:
            yield number, row
