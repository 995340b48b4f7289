"""Reading a commune's household spreadsheet: XLSX, or CSV as spreadsheet programs save it (UTF-8,
UTF-16 "Unicode text" or Windows-1258; comma, semicolon or tab), one row a person. The header is
the first row that names the required columns (a title and blank lines above it are skipped);
headers are Vietnamese as communes write them (case, tones and spacing do not matter), and columns
the import does not read are reported, not refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from tothon_registry.imports.columns import BY_FIELD, COLUMNS, REQUIRED, field_of
from tothon_shared.sheets import Header, SheetError, data_rows, find_header, tables

__all__ = ["Row", "Sheet", "SheetError", "read_sheet"]

Row = tuple[int, dict[str, str]]  # the row's number in the sheet, and its cells by field
EXAMPLE = {c.field: c.example for c in COLUMNS if c.example}  # the template's example row


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
    found = tables(content, filename, "import")
    header = find_header(found, field_of, REQUIRED, "import", lambda f: BY_FIELD[f].header)
    return _rows(header)


def _rows(header: Header) -> Sheet:
    fields = header.fields
    sheet = Sheet([], header.ignored, header.row, frozenset(f for f in fields if f))
    for number, cells in data_rows(header, "import"):
        row = {f: c.strip() for f, c in zip(fields, cells, strict=False) if f and c and c.strip()}
        if not row:
            continue  # a blank line
        if row == EXAMPLE and sheet.example_row is None:
            sheet.example_row = number
            continue
        sheet.rows.append((number, row))
    return sheet
