"""Cells as the values bank statements and registers hold: amounts in whole dong and days.

Vietnamese banks write thousands with dots (``1.500.000``), some with commas or spaces, some add
``VND`` or ``.00``; a dong has no fraction, so ``1500.5`` is refused rather than rounded. Days are
day/month/year as Vietnam writes them, ISO dates as some exports do, with or without a time, and
Excel's date cells or serial numbers. Plain Python (no spreadsheet library): a domain may use it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta


class CellError(ValueError):
    """A cell that is not the value its column holds: ``key`` names the message, ``params`` fill it."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


_CURRENCY = re.compile(r"(?i)\s*(?:vnd|vnđ|đồng|dong|đ|₫)\.?\s*")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")
_DECIMAL = re.compile(r"(?P<whole>[\d.,]+?)[.,](?P<fraction>\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")  # Excel's day numbers of 1982 to 2173


class AmountError(CellError):
    """Not an amount in whole dong: ``sheet.amount_format``, ``sheet.amount_fraction`` or
    ``sheet.amount_negative``."""


class DayError(CellError):
    """Not a day: ``sheet.date_format``, ``sheet.date_short_year``, ``sheet.date_swapped`` (with
    ``month``) or ``sheet.date_impossible``."""


def parse_amount(text: str) -> int:
    """Whole dong from an amount as banks write it (``1.500.000``, ``1,500,000``, ``1 500 000``,
    ``1500000``, ``1.500.000 VND``, ``+1,500,000.00``)."""
    number = _CURRENCY.sub("", text.strip()).strip()
    if number.startswith("-") or number.endswith("-") or number.startswith("("):
        raise AmountError("sheet.amount_negative")
    number = _SPACES.sub("", number.removeprefix("+"))
    decimal = _DECIMAL.fullmatch(number)
    if decimal and not _GROUPED.fullmatch(number):  # 1.500 is fifteen hundred, 1.50 one and a half
        if decimal["fraction"].strip("0"):
            raise AmountError("sheet.amount_fraction")
        number = decimal["whole"]
    if number.isdigit() and number.isascii():
        return int(number)
    if _GROUPED.fullmatch(number):
        return int(re.sub(r"[.,]", "", number))
    raise AmountError("sheet.amount_format")


def parse_day(value: object) -> date:
    """A day from a cell: a date or datetime, an Excel serial number, or text as dd/mm/yyyy,
    dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd, with or without a time of day."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    text = str(value).strip()
    if _SERIAL.fullmatch(text):
        return _serial(float(text))
    iso = re.fullmatch(_ISO.pattern + _TIME.pattern, text)
    if iso:
        return _day(int(iso[3]), int(iso[2]), int(iso[1]))
    dmy = re.fullmatch(_DMY.pattern + _TIME.pattern, text)
    if dmy is None:
        raise DayError("sheet.date_format")
    return day_month_year(text[: dmy.end(3)])


def day_month_year(text: str) -> date:
    """A day written day/month/year (``/``, ``.`` or ``-``, the year in full): the registry's
    dates of birth, and statements' days."""
    match = _DMY.fullmatch(text)
    if match is None:
        raise DayError("sheet.date_format")
    if len(match[3]) == 2:
        raise DayError("sheet.date_short_year")  # 05/03/26: 1926 or 2026
    return _day(int(match[1]), int(match[2]), int(match[3]))


def _day(day: int, month: int, year: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        if month > 12 and day <= 12:
            raise DayError("sheet.date_swapped", month=str(month)) from None
        raise DayError("sheet.date_impossible") from None


def _serial(number: float) -> date:
    """Excel's day number (the time of day, its fraction, dropped); from 1 March 1900, where
    Excel's own count stops counting a 29 February 1900 that was not."""
    if not 61 <= number < 2958466:  # to 31/12/9999
        raise DayError("sheet.date_impossible")
    return _EXCEL_EPOCH + timedelta(days=int(number))


_EXCEL_EPOCH = date(1899, 12, 30)


def header_names(header: str) -> Iterator[str]:
    """The names a header may be known by: as written, then its Vietnamese part alone. Exports
    often give the English under it, after a slash or in brackets ("Số tiền ghi có\n(Credit)",
    "Họ và tên / Full name"); a caller tries each in turn, the whole header first (so a
    "Ngày/tháng/năm sinh" it knows is never cut)."""
    yield header
    first = header.strip().splitlines()[0] if header.strip() else ""
    yield first
    yield re.split(r"[/(]", first, maxsplit=1)[0]
