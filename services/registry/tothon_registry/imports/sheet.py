"""Reading a commune's household spreadsheet: XLSX, or CSV as spreadsheet programs save it (UTF-8,
UTF-16 "Unicode text" or Windows-1258; comma, semicolon or tab), one row a person. The header is
the first row that names the required columns (a title and blank lines above it are skipped);
headers are Vietnamese as communes write them (case, tones and spacing do not matter), and columns
the import does not read are reported, not refused. The reading itself is the shared one
(``tothon_shared.sheets``); this module gives it the household columns and the import's
messages."""

from __future__ import annotations

from dataclasses import dataclass, field

from tothon_registry.imports.columns import BY_FIELD, COLUMNS, REQUIRED, field_of
from tothon_shared import sheets
from tothon_shared.sheets import HEADER_WITHIN, SheetError

__all__ = ["EXAMPLE", "HEADER_WITHIN", "Row", "Sheet", "SheetError", "read_sheet"]

Row = sheets.Row  # the row's number in the sheet, and its cells by field
EXAMPLE = {c.field: c.example for c in COLUMNS if c.example}  # the template's example row
# The shared reader's refusals in the import's words; one it has no word for (a file too large
# once unpacked) keeps the shared catalogue's.
_KEYS = {
    f"sheet.{name}": f"import.{name}"
    for name in ("empty", "old_excel", "not_xlsx", "not_text", "csv_broken", "unreadable", "no_header")
}


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
    try:
        found = sheets.read_sheet(content, filename, field_of, REQUIRED, HEADER_WITHIN)
    except SheetError as error:
        missing = tuple(BY_FIELD[f].header for f in error.missing)
        raise SheetError(_KEYS.get(error.key, error.key), error.row, missing) from None
    header = found.header
    sheet = Sheet([], list(header.ignored), header.row, frozenset(f for f in header.fields if f))
    for number, row in found.rows:
        if row == EXAMPLE and sheet.example_row is None:
            sheet.example_row = number
            continue
        sheet.rows.append((number, row))
    return sheet
