"""The funds service's use cases."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar, cast
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import MutableOrImmutableAggregate
from eventsourcing.persistence import IntegrityError, Tracking

from tothon_funds.domain.books import FundBooks, Means, Receipt, postings
from tothon_funds.domain.expense import Expense
from tothon_funds.domain.fund import Fund, FundError
from tothon_funds.domain.household_account import HouseholdAccount
from tothon_funds.domain.ledger import Entry
from tothon_funds.domain.levies import Basis, Exemption, FundKind
from tothon_funds.domain.references import references_in
from tothon_funds.domain.statement import Statement, StatementKeys
from tothon_funds.domain.statements import ReadLine, instant_of
from tothon_shared.eventstore.application import TrackingApplication
from tothon_shared.kernel.clock import VIETNAM

A = TypeVar("A")


@dataclass(frozen=True)
class StatementImported:
    """What an import did: the statement, the lines paid in (with their entries), the lines left
    to match, and how many had been paid in before."""

    statement_id: UUID
    paid: list[tuple[ReadLine, Receipt]]
    left: list[ReadLine]
    already: int


class RoundItemError(Exception):
    """A collection round refused for one of its payments (``item``, from 0); the refusal itself
    is the cause."""

    def __init__(self, item: int) -> None:
        super().__init__(f"payment {item} of the round refused")
        self.item = item


@dataclass(frozen=True)
class Payment:
    """One contribution of a collection round."""

    household_id: UUID
    amount: int
    means: Means
    at: datetime
    memo: str = ""
    levy_id: UUID | None = None
    payer: str | None = None


F = TypeVar("F", bound=Callable[..., Any])
# Writes to one fund's books by several keepers or API processes at once: the event store refuses
# all but the first (optimistic concurrency); the others are run again on the books as they are
# then, rather than answered "conflict" for a contribution nobody else touched.
_ATTEMPTS = 8


def _retried(use_case: F) -> F:
    """Run a use case on a fund's books again when another write got there first."""

    @functools.wraps(use_case)
    def run(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(1, _ATTEMPTS):
            try:
                return use_case(*args, **kwargs)
            except IntegrityError:
                # Apart, a little longer each time: writers racing again at once race forever.
                time.sleep(random.uniform(0, 0.002 * attempt))  # noqa: S311  # not a secret
        return use_case(*args, **kwargs)

    return cast(F, run)


class FundsApplication(TrackingApplication):
    """The funds service's event store: household accounts, opened and kept from the registry's
    events (``integration.inbound``), each inbound message applied once."""

    name = "funds"
    # Payers' names and exemptions' grounds are sealed with per-household keys.
    stores_personal_data = True
    # A fund's books take an entry a contribution: read from a snapshot and the entries after it,
    # a contribution costs the same in the books' first week and in a ward's ten-thousandth.
    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[Any]], int]] = {FundBooks: 10}
    # The aggregates a contribution reads (its fund, its books, the household's account) are small:
    # kept in memory, copied out for each use case and brought up to date from the store first
    # (one query for what is newer), so several API processes stay correct.
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": "5000"}

    def open_account(
        self,
        household_id: UUID,
        unit_id: UUID,
        household_code: str,
        member_count: int,
        opened_on: date,
        source_event_id: UUID,
        tracking: Tracking | None = None,
    ) -> UUID:
        """Open a registered household's account (nothing new if it is open); its id."""
        account_id = HouseholdAccount.create_id(household_id)
        if self._find(account_id) is not None:
            self.save(tracking=tracking)  # nothing to change, but the message was seen
            return account_id
        account = HouseholdAccount.open(
            household_id, unit_id, household_code, member_count, opened_on, source_event_id
        )
        self.save(account, tracking=tracking)
        return account.id

    def count_members(
        self,
        household_id: UUID,
        member_count: int,
        on: date,
        source_event_id: UUID,
        tracking: Tracking | None = None,
        at: datetime | None = None,
    ) -> bool:
        """Take a household's new member count (recorded by the registry ``at``); whether its
        account changed (a household without an account, registered before funds kept accounts,
        is left alone). Its obligations follow."""
        account = self._find(HouseholdAccount.create_id(household_id))
        changed = account is not None and account.count_members(member_count, on, source_event_id, at)
        self.save(account if changed else None, tracking=tracking)
        return changed

    def count_ages(
        self,
        household_id: UUID,
        working_age: int,
        on: date,
        source_event_id: UUID,
        at: datetime,
        tracking: Tracking | None = None,
    ) -> bool:
        """Take how many of a household's members are of working age; whether its account
        changed. Its obligations follow."""
        account = self._find(HouseholdAccount.create_id(household_id))
        changed = account is not None and account.count_ages(working_age, on, source_event_id, at)
        self.save(account if changed else None, tracking=tracking)
        return changed

    def transfer_account(
        self,
        household_id: UUID,
        unit_id: UUID,
        on: date,
        source_event_id: UUID,
        tracking: Tracking | None = None,
    ) -> bool:
        """Move a household's account to the unit the household moved to; whether it changed."""
        account = self._find(HouseholdAccount.create_id(household_id))
        changed = account is not None and account.transfer(unit_id, on, source_event_id)
        self.save(account if changed else None, tracking=tracking)
        return changed

    def account(self, household_id: UUID) -> HouseholdAccount | None:
        """A household's account, if it has one."""
        return self._find(HouseholdAccount.create_id(household_id))

    def _find(self, account_id: UUID) -> HouseholdAccount | None:
        try:
            account: object = self.repository.get(account_id)
        except AggregateNotFoundError:
            return None
        assert isinstance(account, HouseholdAccount)  # the id is derived for accounts only
        return account

    # --- funds, their books and expenses (issue 17) ---

    def open_fund(self, unit_id: UUID, name: str, kind: FundKind, actor: str, **settings: Any) -> UUID:
        """Open a fund of a unit with its books (one save: neither without the other)."""
        fund = Fund.open(unit_id, name, kind, actor, **settings)
        self.save(fund, FundBooks(fund_id=fund.id))
        return fund.id

    def fund(self, fund_id: UUID) -> Fund:
        """A fund (``FundError`` ``not_found`` if there is none)."""
        return self._get(fund_id, Fund)

    def books(self, fund_id: UUID) -> FundBooks:
        """A fund's books."""
        return self._get(FundBooks.create_id(fund_id), FundBooks)

    def announce_levy(
        self, fund_id: UUID, basis: Basis, amount: int, period_from: date, period_to: date, actor: str
    ) -> UUID:
        """A fund's call for contributions for a period (``impose`` puts it on the households)."""
        fund, levy_id = self.fund(fund_id), uuid4()
        fund.announce_levy(levy_id, basis, amount, period_from, period_to, actor)
        self.save(fund)
        return levy_id

    def impose(self, fund_id: UUID, levy_id: UUID, household_ids: Iterable[UUID], batch: int = 200) -> int:
        """Put a levy on households (those with an account); how many got a new obligation. Safe
        to repeat: a household that has it keeps it. Saved in batches, so a ward's thousands of
        households do not make one huge write."""
        fund = self.fund(fund_id)
        levy = fund.levies.get(levy_id)
        if levy is None:
            raise FundError(code="levy_not_found")
        imposed, pending = 0, []
        for household_id in household_ids:
            account = self._find(HouseholdAccount.create_id(household_id))
            if account is not None and account.impose(levy_id, fund_id, levy) is not None:
                pending.append(account)
            if len(pending) >= batch:
                self.save(*pending)
                imposed, pending = imposed + len(pending), []
        self.save(*pending)
        return imposed + len(pending)

    def exempt(self, household_id: UUID, fund_id: UUID, exemption: Exemption, actor: str) -> UUID:
        """Exempt a household from a fund's levies (Decree 78/2021), with evidence; its id."""
        self.fund(fund_id)  # a fund that exists
        account = self._account(household_id)
        exemption_id = uuid4()
        account.exempt(exemption_id, fund_id, exemption, actor)
        self.save(account)
        return exemption_id

    def lift_exemption(self, household_id: UUID, exemption_id: UUID, actor: str, reason: str) -> None:
        """Withdraw a household's exemption, with the reason."""
        account = self._account(household_id)
        account.lift_exemption(exemption_id, actor, reason)
        self.save(account)

    def close_period(self, fund_id: UUID, until: date, actor: str, reason: str) -> None:
        """Close a fund's books up to a day."""
        fund = self.fund(fund_id)
        fund.close_period(until, actor, reason)
        self.save(fund)

    def publish_names(self, fund_id: UUID, names_public: bool, actor: str, reason: str) -> None:
        """Record the group's published choice: its report names who paid, or shows codes."""
        fund = self.fund(fund_id)
        if fund.publish_names(names_public, actor, reason):
            self.save(fund)

    def map_statement(
        self, fund_id: UUID, bank: str, columns: dict[str, list[str]], skipped: list[str], actor: str
    ) -> None:
        """Name a bank's statement columns for a fund (once per bank)."""
        fund = self.fund(fund_id)
        fund.map_statement(bank, columns, skipped, actor)
        self.save(fund)

    @_retried
    def import_statement(
        self,
        fund_id: UUID,
        bank: str,
        filename: str,
        lines: Sequence[ReadLine],
        references: Mapping[str, tuple[UUID, UUID]],
        actor: str,
    ) -> StatementImported:
        """Pay in each credit whose note carries a reference of the fund's obligations (on a day
        its books are open, and not paid in before); keep the others to match by hand. One save:
        a statement is imported whole or not at all."""
        fund, books, keys = self.fund(fund_id), self.books(fund_id), self._statement_keys(fund_id)
        paid: list[tuple[ReadLine, Receipt]] = []
        left: list[ReadLine] = []
        already = 0
        for read in lines:
            if read.key in keys.paid:
                already += 1
                continue
            found = next(
                (references[r] for r in references_in(read.line.description) if r in references), None
            )
            if found is None or not fund.is_open_on(read.line.booked_on):
                left.append(read)
                continue
            household_id, levy_id = found
            at = instant_of(read.line.booked_on)
            memo = f"Sao kê {bank}"
            receipt = books.receive(
                uuid4(), household_id, read.line.amount, Means.BANK, actor, at, memo, levy_id, read.key
            )
            paid.append((read, receipt))
        keys.add([read.key for read, _ in paid])
        statement = Statement.imported(fund_id, bank, filename, left, len(paid), already, actor)
        self.save(books, statement, keys)
        return StatementImported(statement.id, paid, left, already)

    @_retried
    def match_line(
        self, statement_id: UUID, key: str, household_id: UUID, levy_id: UUID | None, actor: str
    ) -> Receipt:
        """Pay in a line the keeper matched by hand to a household (and a levy)."""
        statement = self._get(statement_id, Statement)
        line = statement.line(key)
        fund, books = self.fund(statement.fund_id), self.books(statement.fund_id)
        if not fund.is_open_on(line.booked_on):
            raise FundError(code="closed_period")
        if levy_id is not None and levy_id not in fund.levies:
            raise FundError(code="levy_not_found")
        memo = f"Sao kê {statement.bank} (đối chiếu tay)"
        at = instant_of(line.booked_on)
        receipt = books.receive(uuid4(), household_id, line.amount, Means.BANK, actor, at, memo, levy_id, key)
        statement.match(key, household_id, levy_id, receipt.entry_id, actor)
        keys = self._statement_keys(statement.fund_id)
        keys.add([key])
        self.save(books, statement, keys)
        return receipt

    def _statement_keys(self, fund_id: UUID) -> StatementKeys:
        try:
            found: object = self.repository.get(StatementKeys.create_id(fund_id))
        except AggregateNotFoundError:
            return StatementKeys(fund_id=fund_id)
        assert isinstance(found, StatementKeys)  # the id is derived for these only
        return found

    def statement(self, statement_id: UUID) -> Statement:
        return self._get(statement_id, Statement)

    def expense(self, expense_id: UUID) -> Expense:
        """An expense (``FundError`` ``not_found`` if there is none)."""
        return self._get(expense_id, Expense)

    def _account(self, household_id: UUID) -> HouseholdAccount:
        account = self._find(HouseholdAccount.create_id(household_id))
        if account is None:
            raise FundError(code="not_found")
        return account

    @_retried
    def record_payment(
        self,
        fund_id: UUID,
        household_id: UUID,
        amount: int,
        means: Means,
        at: datetime,
        actor: str,
        memo: str = "",
        levy_id: UUID | None = None,
        statement_line: str | None = None,
        payer: str | None = None,
        check: Callable[[Fund, UUID | None], None] | None = None,
        locate: Callable[[UUID], UUID | None] | None = None,
    ) -> Receipt:
        """A household's contribution, in cash or by bank, on a day the books are open; for one
        of the fund's levies if it names one. Its receipt. ``check`` is the caller's permission,
        decided on the fund as read here and the household's unit (None: no account): the unit
        ``locate`` finds (the accounts' read model), else the account's own."""
        fund = self.fund(fund_id)
        if check is not None:
            unit = locate(household_id) if locate is not None else None
            if unit is None:  # not in the read model (yet): the account decides
                account = self.account(household_id)
                unit = account.unit_id if account is not None else None
            check(fund, unit)
        if not fund.is_open_on(at.astimezone(VIETNAM).date()):
            raise FundError(code="closed_period")
        if levy_id is not None and levy_id not in fund.levies:
            raise FundError(code="levy_not_found")
        books = self.books(fund_id)
        receipt = books.receive(
            uuid4(), household_id, amount, means, actor, at, memo, levy_id, statement_line, payer
        )
        self.save(books)
        return receipt

    @_retried
    def record_round(
        self,
        fund_id: UUID,
        payments: Sequence[Payment],
        actor: str,
        check: Callable[[Fund, UUID | None], None] | None = None,
        locate: Callable[[Sequence[UUID]], Mapping[UUID, UUID]] | None = None,
    ) -> list[Receipt]:
        """A collection round: contributions a keeper gathered door to door or at a meeting,
        recorded in one write with a receipt each, or none of them if one is refused. ``check``
        and ``locate`` as for ``record_payment``; ``locate`` finds many households at once."""
        fund = self.fund(fund_id)
        units = dict(locate([p.household_id for p in payments])) if locate is not None else {}
        for item, payment in enumerate(payments):
            try:
                if check is not None:
                    unit = units.get(payment.household_id)
                    if unit is None:  # not in the read model (yet): the account decides
                        account = self.account(payment.household_id)
                        unit = account.unit_id if account is not None else None
                    check(fund, unit)
                if not fund.is_open_on(payment.at.astimezone(VIETNAM).date()):
                    raise FundError(code="closed_period")
                if payment.levy_id is not None and payment.levy_id not in fund.levies:
                    raise FundError(code="levy_not_found")
            except Exception as refused:
                raise RoundItemError(item) from refused
        books = self.books(fund_id)
        receipts = [
            books.receive(
                uuid4(), p.household_id, p.amount, p.means, actor, p.at, p.memo, p.levy_id, None, p.payer
            )
            for p in payments
        ]
        self.save(books)
        return receipts

    @_retried
    def reverse_entry(self, fund_id: UUID, entry_id: UUID, actor: str, reason: str, at: datetime) -> Entry:
        """Correct a mistake by its reversing entry."""
        if not self.fund(fund_id).is_open_on(at.astimezone(VIETNAM).date()):
            raise FundError(code="closed_period")
        books = self.books(fund_id)
        # What a reversal is checked against: every entry posted, read from the books' events.
        history = postings(self.events.get(FundBooks.create_id(fund_id)))
        reversal = books.reverse(entry_id, uuid4(), actor, reason, at, history)
        self.save(books)
        return reversal

    def propose_expense(
        self, fund_id: UUID, amount: int, purpose: str, evidence: Sequence[str], proposer: str, at: datetime
    ) -> UUID:
        """Propose an expense with its evidence; the fund says how many approvals it needs."""
        needed = self.fund(fund_id).approvals_needed(amount)
        expense = Expense.propose(fund_id, amount, purpose, evidence, proposer, needed, at)
        self.save(expense)
        return expense.id

    @_retried
    def approve_expense(self, expense_id: UUID, approver: str, at: datetime) -> Expense:
        """An approval by someone other than the proposer."""
        expense = self._get(expense_id, Expense)
        expense.approve(approver, at)
        self.save(expense)
        return expense

    @_retried
    def reject_expense(self, expense_id: UUID, by: str, reason: str, at: datetime) -> Expense:
        """Refuse a proposal, with the reason."""
        expense = self._get(expense_id, Expense)
        expense.reject(by, reason, at)
        self.save(expense)
        return expense

    @_retried
    def pay_expense(self, expense_id: UUID, payer: str, means: Means, at: datetime) -> Expense:
        """Pay an approved expense out of the fund's books (both in one save)."""
        expense = self._get(expense_id, Expense)
        if not self.fund(expense.fund_id).is_open_on(at.astimezone(VIETNAM).date()):
            raise FundError(code="closed_period")
        expense.pay(payer, at)
        books = self.books(expense.fund_id)
        books.spend(uuid4(), expense.id, expense.amount, means, payer, at, expense.purpose)
        self.save(expense, books)
        return expense

    def _get(self, aggregate_id: UUID, kind: type[A]) -> A:
        try:
            found: object = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise FundError(code="not_found") from None
        if not isinstance(found, kind):
            raise FundError(code="not_found")
        return found
