"""A fund's books: the double-entry ledger (``ledger.Ledger``) kept as events, one per entry, so
every balance is derived by replaying them and a mistake stays visible beside its reversal.

The aggregate keeps only what a new entry is checked against — the balances and the receipts
numbered each year — so that it is small enough to snapshot, and a contribution costs the same in
the first week and in a ward's ten-thousandth (``FundsApplication.snapshotting_intervals``). What
a reversal is checked against, the entries posted, is read from the events when one is asked for
(``reverse``'s ``history``): mistakes are rare, contributions are not.

Accounts: ``cash`` and ``bank`` (what the fund holds), ``income`` (contributions received),
``household:<id>`` is not an account here — a payment names its household in the entry, and what
a household owes is the obligations less its payments — and ``expense:<id>`` (what was spent)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_funds.domain.errors import FundsError
from tothon_funds.domain.ledger import Entry, Ledger, Line, transfer
from tothon_funds.domain.money import vnd
from tothon_shared.kernel.clock import VIETNAM

CASH, BANK, INCOME = "cash", "bank", "income"


class Means(StrEnum):
    """How money moved: cash the group leader collected or paid, or the group's bank account."""

    CASH = "cash"
    BANK = "bank"


# A receipt's verification code: ten of Crockford's letters and digits (no I, L, O, U), about 50
# bits: anyone holding a receipt checks it by its code, no one finds another's by guessing.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _year(at: datetime) -> int:
    """The year of an instant in Vietnam (receipts are numbered by Vietnam's year)."""
    return at.astimezone(VIETNAM).year


def verification_code() -> str:
    """A fresh receipt verification code."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


@dataclass(frozen=True)
class Receipt:
    """The receipt of a contribution: its number in the fund's year, its verification code, what
    was paid, by which household, how and when; void once the payment is reversed."""

    entry_id: UUID
    number: str
    code: str
    household_id: UUID
    amount: int
    means: str
    at: datetime
    void: bool = False
    levy_id: UUID | None = None


class BooksError(FundsError):
    """A posting the books refuse: ``reason_required``, ``insufficient_funds``."""


@dataclass(frozen=True)
class Posting:
    """An entry as posted, read back from the books' events (what a reversal is checked against)."""

    entry: Entry
    household_id: UUID | None


class FundBooks(Aggregate):
    """The books of one fund, their id derived from the fund's."""

    TOPIC = "funds:FundBooks:v1"

    class Created(Aggregate.Created):
        """The base of the aggregate's creation events (required once TOPIC is declared)."""

        TOPIC = "funds:FundBooks.Created:v1"

    @staticmethod
    def create_id(fund_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"tothon:funds:books:{fund_id}")

    class Opened(Created):
        """The books of a fund were opened."""

        TOPIC = "funds:FundBooks.Opened:v1"
        fund_id: UUID

    @event(Opened)
    def __init__(self, fund_id: UUID) -> None:
        self.fund_id = fund_id
        # Plain values only (a snapshot stores them as they are): each account's balance, and
        # the receipts issued in each year (by the year's digits).
        self.balances: dict[str, int] = {}
        self.numbered: dict[str, int] = {}

    class Posted(Aggregate.Event):
        """An entry was posted: its lines, what it is for, who posted it and when."""

        TOPIC = "funds:FundBooks.Posted:v1"
        # The payer's name is sealed with the household's own key (tothon_shared.privacy); an
        # entry that names no one is stored as it is.
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("payer",)
        SUBJECT_FIELD: ClassVar[str] = "household_id"
        entry_id: UUID
        lines: list[list[object]]
        memo: str
        reverses: UUID | None
        household_id: UUID | None
        actor: str
        at: datetime
        receipt_number: str | None
        receipt_code: str | None
        levy_id: UUID | None = None  # the levy a contribution pays (its obligation's)
        statement_line: str | None = None  # the bank statement line it came from
        # Who handed over the money, as the receipt names them (what a group that publishes
        # names shows; personal data, never published as an event).
        payer: str | None = None

    @event(Posted)
    def _post(
        self,
        entry_id: UUID,
        lines: list[list[object]],
        memo: str,
        reverses: UUID | None,
        household_id: UUID | None,
        actor: str,
        at: datetime,
        receipt_number: str | None,
        receipt_code: str | None,
        levy_id: UUID | None = None,
        statement_line: str | None = None,
        payer: str | None = None,
    ) -> None:
        for account, amount in lines:
            self.balances[str(account)] = self.balances.get(str(account), 0) + int(str(amount))
        if receipt_number is not None:
            year = str(_year(at))
            self.numbered[year] = self.numbered.get(year, 0) + 1

    def _record(
        self,
        entry: Entry,
        household_id: UUID | None,
        actor: str,
        at: datetime,
        receipted: bool = False,
        levy_id: UUID | None = None,
        statement_line: str | None = None,
        payer: str | None = None,
    ) -> Receipt | None:
        lines: list[list[object]] = [[line.account, line.amount] for line in entry.lines]
        year = _year(at)
        number = f"{year}-{self.numbered.get(str(year), 0) + 1:06d}" if receipted else None
        code = verification_code() if receipted else None
        self._post(
            entry.entry_id,
            lines,
            entry.memo,
            entry.reverses,
            household_id,
            actor,
            at,
            number,
            code,
            levy_id,
            statement_line,
            payer,
        )
        if number is None or code is None or household_id is None:
            return None
        means, amount = next((line.account, line.amount) for line in entry.lines if line.amount > 0)
        return Receipt(entry.entry_id, number, code, household_id, amount, means, at, False, levy_id)

    def receive(
        self,
        entry_id: UUID,
        household_id: UUID,
        amount: int,
        means: Means,
        actor: str,
        at: datetime,
        memo: str = "",
        levy_id: UUID | None = None,
        statement_line: str | None = None,
        payer: str | None = None,
    ) -> Receipt:
        """A household's contribution, into cash or the bank, for a levy if it names one; its
        receipt, numbered in the fund's year."""
        entry = transfer(entry_id, means.value, INCOME, vnd(amount), memo)
        receipt = self._record(entry, household_id, actor, at, True, levy_id, statement_line, payer or None)
        assert receipt is not None  # a contribution is receipted
        return receipt

    def spend(
        self,
        entry_id: UUID,
        expense_id: UUID,
        amount: int,
        means: Means,
        actor: str,
        at: datetime,
        memo: str = "",
    ) -> Entry:
        """An approved expense paid out of cash or the bank, if it holds enough."""
        if self.balance_of(means.value) < amount:
            raise BooksError(code="insufficient_funds")
        entry = transfer(entry_id, f"expense:{expense_id}", means.value, vnd(amount), memo)
        self._record(entry, None, actor, at)
        return entry

    def reverse(
        self,
        entry_id: UUID,
        reversal_id: UUID,
        actor: str,
        reason: str,
        at: datetime,
        history: Iterable[Posting],
    ) -> Entry:
        """Undo an entry with its reversal (never by editing it), with the reason; ``history`` is
        every entry posted so far, what a reversal is checked against (the entry exists, is not
        itself a reversal, and was not reversed before)."""
        if not reason.strip():
            raise BooksError(code="reason_required")
        postings = list(history)
        ledger = Ledger.of(p.entry for p in postings)
        reversal = ledger.reversal(entry_id, reversal_id, reason)
        ledger.check(reversal)  # refused here, before any event
        household = next((p.household_id for p in postings if p.entry.entry_id == entry_id), None)
        self._record(reversal, household, actor, at)
        return reversal

    def balance_of(self, account: str) -> int:
        """One account's balance."""
        return self.balances.get(account, 0)

    @property
    def balance(self) -> int:
        """What the fund holds: cash and bank together."""
        return self.balance_of(CASH) + self.balance_of(BANK)


def postings(events: Iterable[object]) -> list[Posting]:
    """The entries a fund's books' events posted, in order."""
    found = []
    for stored in events:
        if isinstance(stored, FundBooks.Posted):
            lines = tuple(Line(str(a), int(str(n))) for a, n in stored.lines)
            found.append(
                Posting(Entry(stored.entry_id, lines, stored.memo, stored.reverses), stored.household_id)
            )
    return found
