"""A bank statement's credits as the funds read them: its columns named once per bank (the
bank's export has its own headers, and a bank that changes them is noticed, not guessed), its
amounts in whole đồng however the bank writes them, its dates as Vietnamese banks write them, and
a key per line so that a statement imported twice, or two overlapping ones, pay each transfer once.

Every column of a statement is either read (its field), or known to be skipped (a balance, a
debit): any other column refuses the statement and is named, so a changed export is mapped again
rather than read wrong."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from tothon_funds.domain.errors import FundsError
from tothon_funds.domain.references import StatementLine
from tothon_shared.kernel.clock import VIETNAM
from tothon_shared.kernel.text import fold
from tothon_shared.sheet_values import CellError, header_names
from tothon_shared.sheet_values import parse_amount as parse_money
from tothon_shared.sheet_values import parse_day as read_day

# The fields a statement is read for: the day, the amount credited, the transfer's note, and (if
# the bank gives one) its transaction number; a debit column, when the bank has one, tells
# outgoing lines apart.
DAY, CREDIT, DESCRIPTION, TRANSACTION, DEBIT = "booked_on", "credit", "description", "transaction", "debit"
FIELDS = (DAY, CREDIT, DESCRIPTION, TRANSACTION, DEBIT)
REQUIRED = (DAY, CREDIT, DESCRIPTION)


class StatementError(FundsError):
    """A statement that cannot be read as its bank's: ``unknown_columns`` (``names``),
    ``bad_amount``/``bad_date`` (``row``), ``no_lines``, ``unknown_bank``, ``mapping`` (a mapping
    without the required fields, or naming a column twice)."""

    def __init__(self, *, code: str, row: int | None = None, names: tuple[str, ...] = ()) -> None:
        super().__init__(code=code)
        self.row, self.names = row, names


@dataclass(frozen=True)
class StatementFormat:
    """How one bank's statement names its columns: the headers of each field read, and those of
    the columns known and skipped."""

    bank: str
    columns: Mapping[str, tuple[str, ...]]
    skipped: tuple[str, ...] = ()
    _by_header: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if any(f not in self.columns or not self.columns[f] for f in REQUIRED) or set(self.columns) - set(
            FIELDS
        ):
            raise StatementError(code="mapping")
        for name, headers in self.columns.items():
            for header in headers:
                if fold(header) in self._by_header:
                    raise StatementError(code="mapping")
                self._by_header[fold(header)] = name
        for header in self.skipped:
            self._by_header.setdefault(fold(header), "")

    def field_of(self, header: str) -> str | None:
        """The field a header names; ``None`` for a column this format does not know (an empty
        header, a spacer column, reads as skipped)."""
        if not header.strip():
            return ""
        for name in header_names(header):
            found = self._by_header.get(fold(name))
            if found is not None:
                return found
        return None


def _format(
    bank: str, day: str, credit: str, description: str, transaction: str = "", debit: str = "", *skipped: str
) -> StatementFormat:
    columns = {DAY: (day,), CREDIT: (credit,), DESCRIPTION: (description,)}
    if transaction:
        columns[TRANSACTION] = (transaction,)
    if debit:
        columns[DEBIT] = (debit,)
    return StatementFormat(bank, columns, skipped)


# The exports of the banks most groups hold their account with, as their internet banking writes
# them (a group whose bank writes otherwise maps its columns once: ``Fund.map_statement``).
BANKS: dict[str, StatementFormat] = {
    f.bank: f
    for f in (
        _format(
            "vietcombank",
            "Ngày giao dịch",
            "Số tiền ghi có",
            "Mô tả",
            "Số tham chiếu",
            "Số tiền ghi nợ",
            "Số dư",
            "STT",
        ),
        _format(
            "bidv", "Ngày hiệu lực", "Ghi có", "Mô tả giao dịch", "Số giao dịch", "Ghi nợ", "Số dư", "STT"
        ),
        _format(
            "vietinbank", "Ngày giao dịch", "Có", "Nội dung giao dịch", "Mã giao dịch", "Nợ", "Số dư", "STT"
        ),
        _format(
            "agribank",
            "Ngày GD",
            "Số tiền ghi có",
            "Nội dung",
            "Số chứng từ",
            "Số tiền ghi nợ",
            "Số dư",
            "STT",
        ),
        _format(
            "techcombank", "Ngày giao dịch", "Ghi có", "Diễn giải", "Số bút toán", "Ghi nợ", "Số dư", "STT"
        ),
        _format(
            "mbbank",
            "Ngày giao dịch",
            "Số tiền ghi có",
            "Nội dung",
            "Số bút toán",
            "Số tiền ghi nợ",
            "Số dư",
            "STT",
        ),
    )
}


def parse_amount(text: str, row: int) -> int | None:
    """Whole đồng as banks write them (``tothon_shared.sheet_values``); ``None`` for an empty
    credit (or a dash, or 0); a fraction of a đồng, a negative amount or anything else refused."""
    if text.strip() in ("", "-", "0"):
        return None
    try:
        return parse_money(text) or None
    except CellError:
        raise StatementError(code="bad_amount", row=row) from None


def parse_day(text: str, row: int) -> date:
    """A day as Vietnamese banks write it: dd/mm/yyyy (with a time, or dashes, or dots), or ISO."""
    try:
        return read_day(text)
    except CellError:
        raise StatementError(code="bad_date", row=row) from None


@dataclass(frozen=True)
class ReadLine:
    """A credit read from a statement, with the key that pays it once."""

    key: str
    line: StatementLine


def credits(bank: str, rows: Iterable[tuple[int, Mapping[str, str]]]) -> list[ReadLine]:
    """The statement's credits (lines with an amount credited), each keyed by the bank's
    transaction number, or else by its day, amount, note and how many such lines came before."""
    seen: Counter[tuple[date, int, str]] = Counter()
    read: list[ReadLine] = []
    for number, cells in rows:
        amount = parse_amount(cells.get(CREDIT, ""), number)
        if amount is None:
            continue  # a debit, a subtotal, an empty line
        try:
            day = parse_day(cells.get(DAY, ""), number)
        except StatementError:
            if _is_total(cells):
                continue  # the statement's totals under its lines, which carry no day
            raise
        description = " ".join(cells.get(DESCRIPTION, "").split())[:500]
        transaction = cells.get(TRANSACTION, "").strip()
        if transaction:
            key = f"{bank}:{transaction}"
        else:
            same = (day, amount, description)
            seen[same] += 1
            digest = hashlib.sha256(description.encode()).hexdigest()[:16]
            key = f"{bank}:{day.isoformat()}:{amount}:{digest}:{seen[same]}"
        read.append(ReadLine(key[:200], StatementLine(number, day, amount, description)))
    return read


# How banks label the totals under a statement's lines ("Tổng cộng", "Cộng phát sinh", "Total"):
# not a transfer. Only on a line without a transaction number whose day is not a date, so a
# transfer from "Công ty ..." is never taken for one.
_TOTAL = re.compile(
    r"^(tong cong|tong so|tong phat sinh|cong phat sinh|tong|cong|total|grand total|sum)\b(?! ty)"
)


def _is_total(cells: Mapping[str, str]) -> bool:
    """Whether a line without a day is the statement's totals (no transaction number, a label)."""
    if cells.get(TRANSACTION, "").strip():
        return False
    return any(_TOTAL.match(fold(cells.get(f, ""))) for f in (DAY, DESCRIPTION))


def instant_of(day: date) -> datetime:
    """When a bank credit is recorded: noon of its day in Vietnam (the statement gives the day)."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=VIETNAM)
