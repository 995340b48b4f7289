"""A fund of a unit (a group, a village, a ward): its kind, always shown; the bank account its
VietQR codes pay into; the amount above which an expense needs two approvers; whether its public
report names who paid or shows anonymous household codes; its levies; and the periods closed to
new payments (a mistake in a closed period is corrected by a reversing entry in an open one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from tothon_funds.domain.errors import FundsError
from tothon_funds.domain.levies import Basis, FundKind, Levy
from tothon_funds.domain.money import vnd
from tothon_funds.domain.statements import BANKS, StatementError, StatementFormat
from tothon_funds.domain.vietqr import Transfer


class FundError(FundsError):
    """A change the fund refuses: ``name_required``, ``resolution_required`` (a community fund
    cites the households' vote), ``closed_period`` (a levy or payment dated in a closed period),
    ``period_order`` (closing before the last close), ``reason_required``."""


@dataclass(frozen=True)
class BankAccount:
    """Where transfers go: the bank's BIN (for VietQR), the account number and its holder."""

    bank_bin: str
    number: str
    holder: str

    def __post_init__(self) -> None:
        Transfer(self.bank_bin, self.number)  # refused as a VietQR would refuse it
        if not self.holder.strip():
            raise FundError(code="name_required")


class Fund(Aggregate):
    """One fund."""

    TOPIC = "funds:Fund:v1"

    class Created(Aggregate.Created):
        """The base of the aggregate's creation events (required once TOPIC is declared)."""

        TOPIC = "funds:Fund.Created:v1"

    @classmethod
    def open(
        cls,
        unit_id: UUID,
        name: str,
        kind: FundKind,
        actor: str,
        bank: BankAccount | None = None,
        resolution: str = "",
        two_approvals_above: int = 5_000_000,
        names_public: bool = False,
        poll_id: UUID | None = None,
    ) -> Fund:
        """Open a fund; a community fund cites the households' vote that decided it: a poll's
        result (``poll_id``, checked by the caller to have passed) or a meeting's resolution."""
        if not name.strip():
            raise FundError(code="name_required")
        if kind is FundKind.COMMUNITY and not resolution.strip() and poll_id is None:
            raise FundError(code="resolution_required")
        vnd(two_approvals_above)
        return cls(
            unit_id=unit_id,
            name=name.strip(),
            kind=kind.value,
            actor=actor,
            bank=[bank.bank_bin, bank.number, bank.holder] if bank else None,
            resolution=resolution,
            two_approvals_above=two_approvals_above,
            names_public=names_public,
            poll_id=poll_id,
        )

    class Opened(Created):
        """A fund was opened."""

        TOPIC = "funds:Fund.Opened:v1"
        unit_id: UUID
        name: str
        kind: str
        actor: str
        bank: list[str] | None
        resolution: str
        two_approvals_above: int
        names_public: bool
        # The households' poll that decided it (added later: absent from funds opened before).
        poll_id: UUID | None = None

    @event(Opened)
    def __init__(
        self,
        unit_id: UUID,
        name: str,
        kind: str,
        actor: str,
        bank: list[str] | None,
        resolution: str,
        two_approvals_above: int,
        names_public: bool,
        poll_id: UUID | None = None,
    ) -> None:
        self.unit_id, self.name, self.kind = unit_id, name, FundKind(kind)
        self.poll_id = poll_id
        self.bank = BankAccount(*bank) if bank else None
        self.resolution, self.two_approvals_above = resolution, two_approvals_above
        self.names_public = names_public
        self.levies: dict[UUID, Levy] = {}
        self.closed_until: date | None = None
        self.formats: dict[str, StatementFormat] = {}  # the keeper's mapping of a bank's columns

    def statement_format(self, bank: str) -> StatementFormat:
        """How a bank's statement is read for this fund: as its keeper mapped it, or as the bank
        is known to export it."""
        found = self.formats.get(bank) or BANKS.get(bank)
        if found is None:
            raise StatementError(code="unknown_bank")
        return found

    class StatementMapped(Aggregate.Event):
        """The keeper named a bank's statement columns (once per bank)."""

        TOPIC = "funds:Fund.StatementMapped:v1"
        bank: str
        columns: dict[str, list[str]]
        skipped: list[str]
        actor: str

    def map_statement(self, bank: str, columns: dict[str, list[str]], skipped: list[str], actor: str) -> None:
        """Name the columns of a bank's statement (checked as a format before it is kept)."""
        StatementFormat(bank, {k: tuple(v) for k, v in columns.items()}, tuple(skipped))
        self._mapped(bank=bank, columns=columns, skipped=skipped, actor=actor)

    @event(StatementMapped)
    def _mapped(self, bank: str, columns: dict[str, list[str]], skipped: list[str], actor: str) -> None:
        self.formats[bank] = StatementFormat(bank, {k: tuple(v) for k, v in columns.items()}, tuple(skipped))

    def approvals_needed(self, amount: int) -> int:
        """Two approvers above the fund's threshold, one otherwise."""
        return 2 if amount > self.two_approvals_above else 1

    def is_open_on(self, day: date) -> bool:
        """Whether payments dated ``day`` may still be recorded."""
        return self.closed_until is None or day > self.closed_until

    class LevyAnnounced(Aggregate.Event):
        """A levy of the fund for a period."""

        TOPIC = "funds:Fund.LevyAnnounced:v1"
        levy_id: UUID
        basis: str
        amount: int
        period_from: date
        period_to: date
        actor: str

    def announce_levy(
        self, levy_id: UUID, basis: Basis, amount: int, period_from: date, period_to: date, actor: str
    ) -> Levy:
        """Call for contributions for a period (open, and in the fund's kind's terms)."""
        levy = Levy(self.kind, basis, amount, period_from, period_to, self.resolution)
        if not self.is_open_on(period_from):
            raise FundError(code="closed_period")
        self._announce(levy_id, basis.value, amount, period_from, period_to, actor)
        return levy

    @event(LevyAnnounced)
    def _announce(
        self, levy_id: UUID, basis: str, amount: int, period_from: date, period_to: date, actor: str
    ) -> None:
        self.levies[levy_id] = Levy(self.kind, Basis(basis), amount, period_from, period_to, self.resolution)

    class PeriodClosed(Aggregate.Event):
        """The books are closed up to ``until``: nothing more is recorded on or before it."""

        TOPIC = "funds:Fund.PeriodClosed:v1"
        until: date
        actor: str
        reason: str

    def close_period(self, until: date, actor: str, reason: str) -> None:
        """Close the books up to a day (the end of a year, once its report is published)."""
        if not reason.strip():
            raise FundError(code="reason_required")
        if self.closed_until is not None and until <= self.closed_until:
            raise FundError(code="period_order")
        self._close(until, actor, reason)

    @event(PeriodClosed)
    def _close(self, until: date, actor: str, reason: str) -> None:
        self.closed_until = until

    class PublicationChanged(Aggregate.Event):
        """The group's published choice: who paid shown by name, or by household code."""

        TOPIC = "funds:Fund.PublicationChanged:v1"
        names_public: bool
        actor: str
        reason: str

    def publish_names(self, names_public: bool, actor: str, reason: str) -> bool:
        """Change whether the report names who paid; whether it changed."""
        if not reason.strip():
            raise FundError(code="reason_required")
        if names_public == self.names_public:
            return False
        self._publication(names_public, actor, reason)
        return True

    @event(PublicationChanged)
    def _publication(self, names_public: bool, actor: str, reason: str) -> None:
        self.names_public = names_public
