"""The double-entry books behind every fund: each movement is an entry of lines, debits positive
and credits negative, that sum to zero; every balance is derived from the entries, so the books
always balance. A mistake is corrected by a reversing entry (the same lines, negated), never by
editing: an entry is reversed at most once, and a reversal is never reversed (post the entry
again instead).

Accounts are named by the caller (``cash``, ``bank``, ``fund:<id>:income``,
``household:<id>:due``, ``expense:<id>``); the books only keep them in balance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from uuid import UUID

from tothon_funds.domain.errors import LedgerError


@dataclass(frozen=True)
class Line:
    """One side of an entry: an account and an amount in đồng (debit > 0, credit < 0)."""

    account: str
    amount: int


@dataclass(frozen=True)
class Entry:
    """A balanced set of lines, with what it is for, and the entry it reverses if it is a reversal."""

    entry_id: UUID
    lines: tuple[Line, ...]
    memo: str = ""
    reverses: UUID | None = None

    def __post_init__(self) -> None:
        if len(self.lines) < 2:
            raise LedgerError(code="too_few_lines")
        for line in self.lines:
            if isinstance(line.amount, bool) or not isinstance(line.amount, int) or line.amount == 0:
                raise LedgerError(code="line_amount")
            if not line.account.strip():
                raise LedgerError(code="account_required")
        if sum(line.amount for line in self.lines) != 0:
            raise LedgerError(code="unbalanced")


def transfer(entry_id: UUID, debit: str, credit: str, amount: int, memo: str = "") -> Entry:
    """The simplest entry: ``amount`` from ``credit`` to ``debit``."""
    return Entry(entry_id, (Line(debit, amount), Line(credit, -amount)), memo)


@dataclass
class Ledger:
    """The entries posted, in order, and the balances they add up to."""

    entries: dict[UUID, Entry] = field(default_factory=dict)
    _balances: dict[str, int] = field(default_factory=dict)
    _reversed: set[UUID] = field(default_factory=set)

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> Ledger:
        """The books as these entries, posted in order, leave them (a replay)."""
        ledger = cls()
        for entry in entries:
            ledger.post(entry)
        return ledger

    def check(self, entry: Entry) -> None:
        """Refuse, as ``post`` would, an entry the books cannot take (nothing changes)."""
        if entry.entry_id in self.entries:
            raise LedgerError(code="duplicate_entry")
        if entry.reverses is not None:
            self._check_reversal(entry)

    def post(self, entry: Entry) -> None:
        """Add an entry (a reversal checked against the entry it reverses)."""
        self.check(entry)
        if entry.reverses is not None:
            self._reversed.add(entry.reverses)
        self.entries[entry.entry_id] = entry
        for line in entry.lines:
            self._balances[line.account] = self._balances.get(line.account, 0) + line.amount

    def _check_reversal(self, entry: Entry) -> None:
        original = self.entries.get(entry.reverses) if entry.reverses else None
        if original is None:
            raise LedgerError(code="unknown_entry")
        if original.reverses is not None:
            raise LedgerError(code="reversal_of_reversal")
        if original.entry_id in self._reversed:
            raise LedgerError(code="reversed_already")
        if sorted((line.account, -line.amount) for line in original.lines) != sorted(
            (line.account, line.amount) for line in entry.lines
        ):
            raise LedgerError(code="not_a_reversal")

    def reversal(self, entry_id: UUID, reversal_id: UUID, memo: str) -> Entry:
        """The entry that undoes ``entry_id`` (to post)."""
        original = self.entries.get(entry_id)
        if original is None:
            raise LedgerError(code="unknown_entry")
        lines = tuple(Line(line.account, -line.amount) for line in original.lines)
        return Entry(reversal_id, lines, memo, reverses=entry_id)

    @property
    def balances(self) -> Mapping[str, int]:
        """Each account's balance (debits less credits); they always sum to zero."""
        return MappingProxyType(self._balances)

    def balance(self, account: str) -> int:
        """One account's balance."""
        return self._balances.get(account, 0)

    def is_reversed(self, entry_id: UUID) -> bool:
        """Whether a reversing entry undid ``entry_id``."""
        return entry_id in self._reversed
