"""Writing the household spreadsheet in the columns the import reads, so that an exported file can
be uploaded again: one row a person, Vietnamese headers and words, dates as day/month/year.

Safe to open: a cell whose text starts like a formula (``=``, ``+``, ``-``, ``@``, tab, carriage
return: OWASP's list) is neutralised — in CSV by a leading single quote, in XLSX by the cell's
quote prefix (Excel's own single quote: shown and read back as typed, never evaluated) — and
characters text may not hold are left out. Phone numbers are written in the national form
(``0905…``), which reads back the same and never looks like a formula. One person's unreadable
value never fails the export: that cell stays empty, and the row is counted and logged."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import structlog
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell

from tothon_registry.disclosure import PersonField
from tothon_registry.domain.household import Relationship
from tothon_registry.imports.columns import COLUMNS as SHEET_COLUMNS
from tothon_registry.imports.columns import RELATIONSHIP_WORDS, RESIDENCE_WORDS, SEX_WORDS, YES_WORDS
from tothon_shared.kernel.text import strip_unsafe

log = structlog.get_logger(__name__)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The person field each of the sheet's columns (imports/columns.py, the one definition of them)
# shows; None: a household column, always shown.
_SHOWS: dict[str, PersonField | None] = {
    "code": None,
    "full_name": PersonField.FULL_NAME,
    "relationship": None,
    "sex": PersonField.SEX,
    "birth": PersonField.BIRTH_DATE,
    "citizen_id": PersonField.CITIZEN_ID,
    "phone": PersonField.PHONE,
    "consent": PersonField.PHONE,
    "ethnicity": PersonField.ETHNICITY,
    "religion": PersonField.RELIGION,
    "occupation": PersonField.OCCUPATION,
    "residence_status": PersonField.RESIDENCE_STATUS,
    "residence_valid_until": PersonField.RESIDENCE_STATUS,
}
COLUMNS: list[tuple[str, PersonField | None]] = [(c.header, _SHOWS[c.field]) for c in SHEET_COLUMNS]


def columns_for(shown: Iterable[PersonField]) -> list[str]:
    """The headers of an export that shows the fields ``shown`` (the others are left out whole:
    a masked value in a spreadsheet would only be mistaken for data)."""
    allowed = set(shown)
    return [header for header, field in COLUMNS if field is None or field in allowed]


def _relationship(person: Mapping[str, Any]) -> str:
    words = RELATIONSHIP_WORDS.get(person["relationship"], RELATIONSHIP_WORDS[Relationship.OTHER])
    return words.written(person.get("sex"))


def _birth(person: Mapping[str, Any]) -> str:
    birth = person.get("birth_date")
    return _day(birth) if birth else str(person.get("birth_year") or "")


def _phone(person: Mapping[str, Any]) -> str:
    phone = str(person.get("phone") or "")
    # Stored in E.164; +84 becomes the leading 0 everyone writes (and the import reads).
    return "0" + phone.removeprefix("+84") if phone.startswith("+84") else phone


def _word(words: Mapping[Any, str], value: object) -> str:
    """The sheet's word for a domain value (a value it has no word for stays blank)."""
    return words.get(value, "") if value else ""


def _text(name: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda person: str(person.get(name) or "")


# Each column's value for a person, by field, computed alone so that one unreadable value costs
# one cell.
_VALUES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "code": lambda person: str(person["code"]),
    "full_name": _text("full_name"),
    "relationship": _relationship,
    "sex": lambda person: _word(SEX_WORDS, person.get("sex")),
    "birth": _birth,
    "citizen_id": _text("citizen_id"),
    "phone": _phone,
    "consent": lambda person: YES_WORDS[0] if person.get("phone") else "",
    "ethnicity": _text("ethnicity"),
    "religion": _text("religion"),
    "occupation": _text("occupation"),
    "residence_status": lambda person: _word(RESIDENCE_WORDS, person.get("residence_status")),
    "residence_valid_until": lambda person: _day_of(person.get("residence_valid_until")),
}
# The same by header, as the export's callers name columns.
VALUES = {c.header: _VALUES[c.field] for c in SHEET_COLUMNS}


def cells(person: Mapping[str, Any], headers: Sequence[str]) -> tuple[list[str], list[str]]:
    """One person's row under ``headers``, and the headers of the cells that could not be made
    (left empty: the rest of the row is still worth having)."""
    row, failed = [], []
    for header in headers:
        try:
            row.append(strip_unsafe(VALUES[header](person)))
        except Exception:  # whatever one record holds, the export goes on
            row.append("")
            failed.append(header)
    return row, failed


def rows_of(persons: Iterable[Mapping[str, Any]], headers: Sequence[str]) -> tuple[list[list[str]], int]:
    """Every person's row, and how many rows lack a value that could not be read (each logged,
    by person id and column, never by value)."""
    rows, incomplete = [], 0
    for person in persons:
        row, failed = cells(person, headers)
        if failed:
            incomplete += 1
            log.warning("export.cells_unreadable", person_id=str(person.get("person_id")), columns=failed)
        rows.append(row)
    return rows, incomplete


def formula_like(text: str) -> bool:
    """Whether a spreadsheet program could take ``text`` for a formula."""
    return text.startswith(FORMULA_STARTS)


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _day_of(value: date | None) -> str:
    return _day(value) if value else ""


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 with a byte-order mark, which spreadsheet programs need to show Vietnamese letters."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([f"'{text}" if formula_like(text) else text for text in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """One sheet; every cell text, so that ID numbers keep their leading zeros."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Hộ gia đình")
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_xlsx_cell(sheet, text) for text in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(sheet: Any, text: str) -> Cell:
    cell: Cell = WriteOnlyCell(sheet, value=text)
    if formula_like(text):
        cell.data_type = "s"  # openpyxl would write a text starting with "=" as a formula
        cell.quotePrefix = True
    return cell
