"""A household's account in the funds service: what its contributions will be charged to.

Opened when the registry registers the household, it keeps the facts a levy needs (its unit,
its code, how many members it has and how many are of working age), each change stated by the
registry event it came from, and what the household owes for each levy imposed on it: an
**obligation**, set by the fund's rule when the levy is announced and set again whenever the
household's counts or exemptions change while the levy's period runs.

The registry's events may arrive twice (a redelivery) and out of order (a retry after a later
event): each is applied once, by its id, and a count older than the one held is not taken (counts
are absolute, stamped with when the registry recorded them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_funds.domain.levies import (
    Basis,
    Exemption,
    ExemptionGround,
    FundKind,
    HouseholdCounts,
    Levy,
    LevyError,
)
from tothon_funds.domain.levies import obligation as owed
from tothon_funds.domain.levies import obligation_id as obligation_of
from tothon_funds.domain.references import reference


@dataclass(frozen=True)
class Obligation:
    """What the household owes for one levy of one fund (for a voluntary fund: nothing; the levy
    suggests an amount), with its payment reference for VietQR and bank statements."""

    obligation_id: UUID
    levy_id: UUID
    fund_id: UUID
    levy: Levy
    amount: int

    @property
    def reference(self) -> str:
        return reference(self.obligation_id)


@dataclass(frozen=True)
class HeldExemption:
    """An exemption the household holds for one fund's levies (private: never published)."""

    exemption_id: UUID
    fund_id: UUID
    exemption: Exemption


class HouseholdAccount(Aggregate):
    """One account a household, its id derived from the household's."""

    # Stable stored topics: events stay readable when modules move.
    TOPIC = "funds:HouseholdAccount:v1"

    class Created(Aggregate.Created):
        """The base of the aggregate's creation events (required once TOPIC is declared)."""

        TOPIC = "funds:HouseholdAccount.Created:v1"

    @staticmethod
    def create_id(household_id: UUID) -> UUID:
        # One account a household: opening it a second time is a conflict in the event store.
        return uuid5(NAMESPACE_URL, f"tothon:funds:household-account:{household_id}")

    @classmethod
    def open(
        cls,
        household_id: UUID,
        unit_id: UUID,
        household_code: str,
        member_count: int,
        opened_on: date,
        source_event_id: UUID,
    ) -> HouseholdAccount:
        """Open the account of a household the registry registered (``source_event_id``)."""
        return cls(
            household_id=household_id,
            unit_id=unit_id,
            household_code=household_code,
            member_count=member_count,
            opened_on=opened_on,
            source_event_id=source_event_id,
        )

    class Opened(Created):
        """The account was opened for a registered household."""

        TOPIC = "funds:HouseholdAccount.Opened:v1"
        household_id: UUID
        unit_id: UUID
        household_code: str
        member_count: int
        opened_on: date
        source_event_id: UUID

    @event(Opened)
    def __init__(
        self,
        household_id: UUID,
        unit_id: UUID,
        household_code: str,
        member_count: int,
        opened_on: date,
        source_event_id: UUID,
    ) -> None:
        self.household_id = household_id
        self.unit_id = unit_id
        self.household_code = household_code
        self.member_count = member_count
        self.opened_on = opened_on
        # The registry events applied: one published twice (at two offsets) changes nothing twice.
        self.source_event_ids = {source_event_id}
        self.working_age: int | None = None  # unknown until the registry publishes age bands
        # When the registry recorded the counts held: an older count arriving late is not taken.
        self.members_counted_at: datetime | None = None
        self.ages_counted_at: datetime | None = None
        self.obligations: dict[UUID, Obligation] = {}  # by levy
        self.exemptions: dict[UUID, HeldExemption] = {}

    def counts(self) -> HouseholdCounts:
        """The counts a levy is computed from (working age unknown: counted as none, so nobody is
        charged for members the registry has not yet counted)."""
        return HouseholdCounts(self.member_count, self.working_age or 0)

    def count_members(
        self, member_count: int, on: date, source_event_id: UUID, at: datetime | None = None
    ) -> bool:
        """Take the household's new member count (recorded by the registry ``at``); whether the
        account changed. The count is the registry's (absolute, never a difference), so an event
        seen again changes nothing, and one older than the count held is not taken."""
        if source_event_id in self.source_event_ids:
            return False
        if member_count < 0:
            raise ValueError("a household cannot have fewer than no members")
        if _older(at, self.members_counted_at):
            return False
        self._members_counted(member_count=member_count, on=on, source_event_id=source_event_id, at=at)
        self._follow(on)
        return True

    class MembersCounted(Aggregate.Event):
        """The household's members changed; this is how many it has now."""

        TOPIC = "funds:HouseholdAccount.MembersCounted:v1"
        member_count: int
        on: date
        source_event_id: UUID
        at: datetime | None = None

    @event(MembersCounted)
    def _members_counted(
        self, member_count: int, on: date, source_event_id: UUID, at: datetime | None = None
    ) -> None:
        self.member_count = member_count
        self.source_event_ids.add(source_event_id)
        self.members_counted_at = at or self.members_counted_at

    def count_ages(self, working_age: int, on: date, source_event_id: UUID, at: datetime) -> bool:
        """Take how many members are of working age (the registry's count, recorded ``at``);
        whether the account changed."""
        if source_event_id in self.source_event_ids:
            return False
        if working_age < 0:
            raise ValueError("a household cannot have fewer than no members of working age")
        if _older(at, self.ages_counted_at):
            return False
        self._ages_counted(working_age=working_age, on=on, source_event_id=source_event_id, at=at)
        self._follow(on)
        return True

    class AgesCounted(Aggregate.Event):
        """How many of the household's members are of working age now."""

        TOPIC = "funds:HouseholdAccount.AgesCounted:v1"
        working_age: int
        on: date
        source_event_id: UUID
        at: datetime

    @event(AgesCounted)
    def _ages_counted(self, working_age: int, on: date, source_event_id: UUID, at: datetime) -> None:
        self.working_age = working_age
        self.source_event_ids.add(source_event_id)
        self.ages_counted_at = at

    # --- obligations ---

    def impose(self, levy_id: UUID, fund_id: UUID, levy: Levy) -> Obligation | None:
        """Put a levy on the household: its obligation, or ``None`` if it was already imposed (a
        levy announced once is imposed once, however often the announcement is swept)."""
        if levy_id in self.obligations:
            return None
        self._set(levy_id, fund_id, levy, owed(levy, self.counts(), self._exemptions_of(fund_id)), "levy")
        return self.obligations[levy_id]

    def _follow(self, on: date) -> None:
        """Set again every obligation whose levy's period still runs on ``on`` and whose amount
        the counts now make different: an obligation follows the household until its period ends."""
        for levy_id, held in list(self.obligations.items()):
            if on <= held.levy.period_to:
                self._reset(levy_id, held, "counts")

    def _reset(self, levy_id: UUID, held: Obligation, why: str) -> None:
        amount = owed(held.levy, self.counts(), self._exemptions_of(held.fund_id))
        if amount != held.amount:
            self._set(levy_id, held.fund_id, held.levy, amount, why)

    def _set(self, levy_id: UUID, fund_id: UUID, levy: Levy, amount: int, why: str) -> None:
        self._obligation_set(
            household_id=self.household_id,
            levy_id=levy_id,
            fund_id=fund_id,
            kind=levy.kind.value,
            basis=levy.basis.value,
            rate=levy.amount,
            period_from=levy.period_from,
            period_to=levy.period_to,
            resolution=levy.resolution,
            amount=amount,
            why=why,
        )

    class ObligationSet(Aggregate.Event):
        """What the household owes for a levy, with the levy's terms (so that it is computed again
        when the counts change) and why it was set: ``levy``, ``counts`` or ``exemption``."""

        TOPIC = "funds:HouseholdAccount.ObligationSet:v1"
        household_id: UUID  # the projection's key, as the account's id is derived one way
        levy_id: UUID
        fund_id: UUID
        kind: str
        basis: str
        rate: int
        period_from: date
        period_to: date
        resolution: str
        amount: int
        why: str

    @event(ObligationSet)
    def _obligation_set(
        self,
        household_id: UUID,
        levy_id: UUID,
        fund_id: UUID,
        kind: str,
        basis: str,
        rate: int,
        period_from: date,
        period_to: date,
        resolution: str,
        amount: int,
        why: str,
    ) -> None:
        levy = Levy(FundKind(kind), Basis(basis), rate, period_from, period_to, resolution)
        self.obligations[levy_id] = Obligation(
            obligation_of(levy_id, household_id), levy_id, fund_id, levy, amount
        )

    # --- exemptions (Decree 78/2021; private) ---

    def exempt(self, exemption_id: UUID, fund_id: UUID, exemption: Exemption, actor: str) -> None:
        """Record an exemption of the household from a fund's levies, with its evidence; the
        obligations it touches are set again."""
        self._exempted(
            exemption_id=exemption_id,
            fund_id=fund_id,
            ground=exemption.ground.value,
            evidence=exemption.evidence,
            valid_from=exemption.valid_from,
            valid_to=exemption.valid_to,
            members=exemption.members,
            actor=actor,
        )
        self._follow_exemptions(fund_id)

    class Exempted(Aggregate.Event):
        """The household was exempted from a fund's levies (never published)."""

        TOPIC = "funds:HouseholdAccount.Exempted:v1"
        # Why a household is exempted (poverty, disability, ...) and its evidence are sensitive:
        # sealed with the household account's own key (tothon_shared.privacy).
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("ground", "evidence")
        exemption_id: UUID
        fund_id: UUID
        ground: str
        evidence: str
        valid_from: date
        valid_to: date
        members: int | None
        actor: str

    @event(Exempted)
    def _exempted(
        self,
        exemption_id: UUID,
        fund_id: UUID,
        ground: str,
        evidence: str,
        valid_from: date,
        valid_to: date,
        members: int | None,
        actor: str,
    ) -> None:
        exemption = Exemption(ExemptionGround(ground), evidence, valid_from, valid_to, members)
        self.exemptions[exemption_id] = HeldExemption(exemption_id, fund_id, exemption)

    def lift_exemption(self, exemption_id: UUID, actor: str, reason: str) -> None:
        """Withdraw an exemption (recorded in error, or its ground ended early), with the reason."""
        held = self.exemptions.get(exemption_id)
        if held is None:
            raise LevyError(code="exemption_not_found")
        if not reason.strip():
            raise LevyError(code="reason_required")
        self._lifted(exemption_id=exemption_id, actor=actor, reason=reason)
        self._follow_exemptions(held.fund_id)

    class ExemptionLifted(Aggregate.Event):
        """An exemption was withdrawn."""

        TOPIC = "funds:HouseholdAccount.ExemptionLifted:v1"
        exemption_id: UUID
        actor: str
        reason: str

    @event(ExemptionLifted)
    def _lifted(self, exemption_id: UUID, actor: str, reason: str) -> None:
        del self.exemptions[exemption_id]

    def _exemptions_of(self, fund_id: UUID) -> list[Exemption]:
        return [h.exemption for h in self.exemptions.values() if h.fund_id == fund_id]

    def _follow_exemptions(self, fund_id: UUID) -> None:
        # An exemption is a correction of who owes: it applies to the fund's levies whatever their
        # period (a late certificate still clears a past year), unlike a change of counts.
        for levy_id, held in list(self.obligations.items()):
            if held.fund_id == fund_id:
                self._reset(levy_id, held, "exemption")

    def transfer(self, unit_id: UUID, on: date, source_event_id: UUID) -> bool:
        """Follow the household to another unit (whose officials then see the account); whether
        the account changed."""
        if source_event_id in self.source_event_ids:
            return False
        self._transferred(unit_id=unit_id, on=on, source_event_id=source_event_id)
        return True

    class Transferred(Aggregate.Event):
        """The household moved to another unit, and its account with it."""

        TOPIC = "funds:HouseholdAccount.Transferred:v1"
        unit_id: UUID
        on: date
        source_event_id: UUID

    @event(Transferred)
    def _transferred(self, unit_id: UUID, on: date, source_event_id: UUID) -> None:
        self.unit_id = unit_id
        self.source_event_ids.add(source_event_id)


def _older(at: datetime | None, held: datetime | None) -> bool:
    """Whether a count recorded ``at`` is older than the one held (either unknown: not older)."""
    return at is not None and held is not None and at < held
