"""Reading spreadsheets people and banks make: CSV in any encoding and delimiter they save, XLSX
with merged cells, a header row found under title rows in the caller's vocabulary; and the
amounts and days their cells hold. The registry's household import and the funds' bank
statements read through it."""

from tothon_shared.sheets.decoding import decode
from tothon_shared.sheets.errors import CellError, SheetError
from tothon_shared.sheets.header import (
    HEADER_WITHIN,
    Header,
    Row,
    Sheet,
    Vocabulary,
    data_rows,
    find_header,
    read_sheet,
    read_tables,
)
from tothon_shared.sheets.tables import (
    MAX_CELLS,
    MAX_UNPACKED,
    Table,
    cell_text,
    csv_tables,
    tables,
    xlsx_tables,
)
from tothon_shared.sheets.values import AmountError, DayError, day_month_year, parse_amount, parse_day

__all__ = [
    "HEADER_WITHIN",
    "MAX_CELLS",
    "MAX_UNPACKED",
    "AmountError",
    "CellError",
    "DayError",
    "Header",
    "Row",
    "Sheet",
    "SheetError",
    "Table",
    "Vocabulary",
    "cell_text",
    "csv_tables",
    "data_rows",
    "day_month_year",
    "decode",
    "find_header",
    "parse_amount",
    "parse_day",
    "read_sheet",
    "read_tables",
    "tables",
    "xlsx_tables",
]
