"""A bank statement imported into a fund: the lines it paid in at once (by the references their
notes carry) are in the books; the lines left (no known reference, a closed period) stay here
for the keeper to match by hand, each once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_funds.domain.statements import ReadLine, StatementError


@dataclass(frozen=True)
class OpenLine:
    """A line left to match: its key, row in the file, day, amount and note."""

    key: str
    row: int
    booked_on: date
    amount: int
    description: str


class Statement(Aggregate):
    """One import of one statement."""

    TOPIC = "funds:Statement:v1"

    class Created(Aggregate.Created):
        """The base of the aggregate's creation events (required once TOPIC is declared)."""

        TOPIC = "funds:Statement.Created:v1"

    @classmethod
    def imported(
        cls,
        fund_id: UUID,
        bank: str,
        filename: str,
        left: list[ReadLine],
        paid: int,
        already: int,
        actor: str,
    ) -> Statement:
        lines = [
            [r.key, r.line.line, r.line.booked_on.isoformat(), r.line.amount, r.line.description]
            for r in left
        ]
        return cls(
            fund_id=fund_id,
            bank=bank,
            filename=filename,
            lines=lines,
            paid=paid,
            already=already,
            actor=actor,
        )

    class Imported(Created):
        """A statement was imported: how many lines it paid in, how many were paid in before,
        and the lines left to match."""

        TOPIC = "funds:Statement.Imported:v1"
        fund_id: UUID
        bank: str
        filename: str
        lines: list[list[object]]
        paid: int
        already: int
        actor: str

    @event(Imported)
    def __init__(
        self,
        fund_id: UUID,
        bank: str,
        filename: str,
        lines: list[list[object]],
        paid: int,
        already: int,
        actor: str,
    ) -> None:
        self.fund_id, self.bank = fund_id, bank
        self.open: dict[str, OpenLine] = {
            str(k): OpenLine(str(k), int(str(n)), date.fromisoformat(str(d)), int(str(a)), str(t))
            for k, n, d, a, t in lines
        }

    def line(self, key: str) -> OpenLine:
        """A line still left to match."""
        found = self.open.get(key)
        if found is None:
            raise StatementError(code="line_not_open")
        return found

    class LineMatched(Aggregate.Event):
        """The keeper matched a line to a household (and a levy): paid in as ``entry_id``."""

        TOPIC = "funds:Statement.LineMatched:v1"
        key: str
        household_id: UUID
        levy_id: UUID | None
        entry_id: UUID
        actor: str

    def match(self, key: str, household_id: UUID, levy_id: UUID | None, entry_id: UUID, actor: str) -> None:
        self.line(key)
        self._matched(key=key, household_id=household_id, levy_id=levy_id, entry_id=entry_id, actor=actor)

    @event(LineMatched)
    def _matched(
        self, key: str, household_id: UUID, levy_id: UUID | None, entry_id: UUID, actor: str
    ) -> None:
        del self.open[key]


class StatementKeys(Aggregate):
    """The statement lines a fund's books were paid from, by key: a statement imported twice, or
    two overlapping ones, pay each transfer once. Read for imports and matches only (the books,
    read for every contribution, stay small)."""

    TOPIC = "funds:StatementKeys:v1"

    class Created(Aggregate.Created):
        """The base of the aggregate's creation events (required once TOPIC is declared)."""

        TOPIC = "funds:StatementKeys.Created:v1"

    @staticmethod
    def create_id(fund_id: UUID) -> UUID:
        return uuid5(NAMESPACE_URL, f"tothon:funds:statement-keys:{fund_id}")

    class Started(Created):
        """The fund's first statement line was paid in."""

        TOPIC = "funds:StatementKeys.Started:v1"
        fund_id: UUID

    @event(Started)
    def __init__(self, fund_id: UUID) -> None:
        self.fund_id = fund_id
        self.paid: set[str] = set()

    class Paid(Aggregate.Event):
        """These lines were paid in."""

        TOPIC = "funds:StatementKeys.Paid:v1"
        keys: list[str]

    def add(self, keys: list[str]) -> None:
        """Record lines paid in (each once: one already paid is refused)."""
        if any(key in self.paid for key in keys) or len(set(keys)) != len(keys):
            raise StatementError(code="line_paid")
        if keys:
            self._paid(keys=keys)

    @event(Paid)
    def _paid(self, keys: list[str]) -> None:
        self.paid.update(keys)
