"""A fund's books: the double-entry ledger (``ledger.Ledger``) kept as events, one per entry, so
every balance is derived by replaying them and a mistake stays visible beside its reversal.

Accounts: ``cash`` and ``bank`` (what the fund holds), ``income`` (contributions received),
``household:<id>`` is not an account here — a payment names its household in the entry, and what
a household owes is the obligations less its payments — and ``expense:<id>`` (what was spent)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
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
    void: bool
    levy_id: UUID | None = None


class BooksError(FundsError):
    """A posting the books refuse: ``state`` (a reversal of what the books do not hold)."""


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
        self.ledger = Ledger()
        self.households: dict[UUID, UUID] = {}  # entry -> the household it is a payment of
        self.receipts: dict[UUID, Receipt] = {}  # a contribution's entry -> its receipt
        # The bank statement lines paid in (bank, account, transaction): a statement imported
        # twice, or two overlapping statements, pay each transfer once.
        self.statement_lines: set[str] = set()
        self._numbered: dict[int, int] = {}  # receipts issued in each year

    class Posted(Aggregate.Event):
        """An entry was posted: its lines, what it is for, who posted it and when."""

        TOPIC = "funds:FundBooks.Posted:v1"
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
        entry = Entry(entry_id, tuple(Line(str(a), int(str(n))) for a, n in lines), memo, reverses)
        self.ledger.post(entry)
        if household_id is not None:
            self.households[entry_id] = household_id
        if receipt_number is not None and receipt_code is not None and household_id is not None:
            means = next(line.account for line in entry.lines if line.amount > 0)
            amount = next(line.amount for line in entry.lines if line.amount > 0)
            self.receipts[entry_id] = Receipt(
                entry_id, receipt_number, receipt_code, household_id, amount, means, at, False, levy_id
            )
            year = _year(at)
            self._numbered[year] = self._numbered.get(year, 0) + 1
        if statement_line is not None:
            self.statement_lines.add(statement_line)
        if reverses is not None and reverses in self.receipts:
            voided = self.receipts[reverses]
            self.receipts[reverses] = Receipt(**{**voided.__dict__, "void": True})

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
    ) -> Entry:
        self.ledger.check(entry)  # refused here, before any event
        lines: list[list[object]] = [[line.account, line.amount] for line in entry.lines]
        number = f"{_year(at)}-{self._numbered.get(_year(at), 0) + 1:06d}" if receipted else None
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
        return entry

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
    ) -> Entry:
        """A household's contribution, into cash or the bank, for a levy if it names one; a bank
        statement's line is paid in once."""
        if statement_line is not None and statement_line in self.statement_lines:
            raise BooksError(code="statement_line_paid")
        entry = transfer(entry_id, means.value, INCOME, vnd(amount), memo)
        return self._record(entry, household_id, actor, at, True, levy_id, statement_line, payer or None)

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
        if self.ledger.balance(means.value) < amount:
            raise BooksError(code="insufficient_funds")
        entry = transfer(entry_id, f"expense:{expense_id}", means.value, vnd(amount), memo)
        return self._record(entry, None, actor, at)

    def reverse(self, entry_id: UUID, reversal_id: UUID, actor: str, reason: str, at: datetime) -> Entry:
        """Undo an entry with its reversal (never by editing it), with the reason."""
        if not reason.strip():
            raise BooksError(code="reason_required")
        reversal = self.ledger.reversal(entry_id, reversal_id, reason)
        return self._record(reversal, self.households.get(entry_id), actor, at)

    def receipt(self, entry_id: UUID) -> Receipt:
        """The receipt of a contribution."""
        found = self.receipts.get(entry_id)
        if found is None:
            raise BooksError(code="no_receipt")
        return found

    def paid_by(self, household_id: UUID) -> int:
        """What a household has paid into the fund, reversals deducted."""
        paid = 0
        for entry_id, household in self.households.items():
            if household == household_id:
                entry = self.ledger.entries[entry_id]
                paid -= sum(line.amount for line in entry.lines if line.account == INCOME)
        return paid

    @property
    def balance(self) -> int:
        """What the fund holds: cash and bank together."""
        return self.ledger.balance(CASH) + self.ledger.balance(BANK)
