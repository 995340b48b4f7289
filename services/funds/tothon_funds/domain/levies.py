"""What a household owes to a fund for a period, by the fund's rule, from the counts the registry
publishes (members, working-age members — never birth dates) and the household's exemptions.

Three kinds of fund, always labelled: **mandatory by law** (the natural-disaster prevention fund,
Decree 78/2021: a contribution per working-age member), **decided by the community** (Law 10/2022
art. 15: the households' vote, cited by its resolution), **voluntary** (for the poor, gratitude,
study encouragement, the Red Cross, ...). A voluntary fund suggests an amount and obliges no one:
it shows no arrears and blocks nothing (Directive 24/2007)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from tothon_funds.domain.errors import FundsError
from tothon_funds.domain.money import vnd


class FundKind(StrEnum):
    """Why a household contributes."""

    MANDATORY = "mandatory"  # by law
    COMMUNITY = "community"  # decided by the households' vote
    VOLUNTARY = "voluntary"  # by choice: no obligation, no arrears


class Basis(StrEnum):
    """What a levy's amount is counted per."""

    HOUSEHOLD = "household"
    WORKING_AGE_MEMBER = "working_age_member"


class ExemptionGround(StrEnum):
    """The grounds of Decree 78/2021 (never published: who is exempt and why stays private)."""

    MERITORIOUS_SERVICE = "meritorious_service"  # người có công với cách mạng
    SOCIAL_PROTECTION = "social_protection"  # đối tượng bảo trợ xã hội
    STUDENT = "student"  # học sinh, sinh viên
    DISABILITY = "disability"  # người khuyết tật
    POOR_HOUSEHOLD = "poor_household"  # thành viên hộ nghèo, cận nghèo
    NURSING_MOTHER = "nursing_mother"  # phụ nữ nuôi con dưới 12 tháng tuổi
    DISASTER = "disaster"  # hộ bị thiệt hại do thiên tai


class LevyError(FundsError):
    """A levy or exemption that cannot be: a voluntary fund with a basis per member, a
    community fund without its resolution, an exemption of more members than the household
    has, dates in the wrong order."""


@dataclass(frozen=True)
class Levy:
    """A fund's call for a period: the amount per household or per working-age member (for a
    voluntary fund, the suggested amount per household)."""

    kind: FundKind
    basis: Basis
    amount: int
    period_from: date
    period_to: date
    resolution: str = ""  # the households' vote a community fund cites

    def __post_init__(self) -> None:
        vnd(self.amount)
        if self.period_to < self.period_from:
            raise LevyError(code="period_order")
        if self.kind is FundKind.COMMUNITY and not self.resolution.strip():
            raise LevyError(code="resolution_required")
        if self.kind is FundKind.VOLUNTARY and self.basis is not Basis.HOUSEHOLD:
            raise LevyError(code="voluntary_per_member")


@dataclass(frozen=True)
class HouseholdCounts:
    """What the registry publishes of a household: how many members, how many of working age."""

    members: int
    working_age: int


@dataclass(frozen=True)
class Exemption:
    """A household's exemption, with its ground, its evidence (a document's reference), its
    validity, and how many of its members it covers (``None``: the whole household)."""

    ground: ExemptionGround
    evidence: str
    valid_from: date
    valid_to: date
    members: int | None = None

    def __post_init__(self) -> None:
        if self.valid_to < self.valid_from:
            raise LevyError(code="validity_order")
        if not self.evidence.strip():
            raise LevyError(code="evidence_required")
        if self.members is not None and self.members < 1:
            raise LevyError(code="exempt_members")

    def overlaps(self, period_from: date, period_to: date) -> bool:
        """Whether the exemption is valid on any day of a period (a levy's: a household exempt for
        part of the year owes nothing for that year, as communes apply Decree 78/2021)."""
        return self.valid_from <= period_to and period_from <= self.valid_to


def obligation(levy: Levy, counts: HouseholdCounts, exemptions: Iterable[Exemption]) -> int:
    """What the household owes for the levy (0 for a voluntary fund: it only suggests), with the
    exemptions valid on some day of the levy's period."""
    if levy.kind is FundKind.VOLUNTARY:
        return 0
    valid = [e for e in exemptions if e.overlaps(levy.period_from, levy.period_to)]
    if any(e.members is None for e in valid):
        return 0
    if levy.basis is Basis.HOUSEHOLD:
        return levy.amount
    exempt = sum(e.members or 0 for e in valid)
    # More members exempt than of working age (an exemption counted on an older census): none owe.
    return levy.amount * max(0, counts.working_age - exempt)


def obligation_id(levy_id: UUID, household_id: UUID) -> UUID:
    """The id of what one household owes for one levy: its VietQR reference is derived from it."""
    return uuid5(NAMESPACE_URL, f"tothon:funds:obligation:{levy_id}:{household_id}")


def suggestion(levy: Levy) -> int | None:
    """The amount a voluntary fund suggests to each household (``None`` for the others)."""
    return levy.amount if levy.kind is FundKind.VOLUNTARY else None
