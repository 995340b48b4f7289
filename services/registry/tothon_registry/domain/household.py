"""A household: its unit, its code within the unit, and its members with their relationship to the head."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_registry.domain.age_bands import count_age_bands
from tothon_registry.domain.errors import HeadOfHouseholdError, RegistryError
from tothon_registry.domain.person_details import PersonDetails, ResidenceStatus


class Relationship(StrEnum):
    """A member's relationship to the head of household (the head's own is ``HEAD``)."""

    HEAD = "head"  # chủ hộ
    SPOUSE = "spouse"  # vợ, chồng
    CHILD = "child"  # con
    PARENT = "parent"  # cha, mẹ
    GRANDPARENT = "grandparent"  # ông, bà
    GRANDCHILD = "grandchild"  # cháu
    SIBLING = "sibling"  # anh, chị, em
    OTHER = "other"  # khác


HEAD = Relationship.HEAD


def has_one_head(relationships: Iterable[str]) -> bool:
    """Whether exactly one of a household's members is its head: the rule the aggregate, the
    import's plan and the quality checks all go by."""
    return count_heads(relationships) == 1


def count_heads(relationships: Iterable[str]) -> int:
    """How many of the relationships are the head's."""
    return sum(1 for relationship in relationships if relationship == HEAD)


# The residence counts a household announces: each legal status, and members of none known.
RESIDENCE_STATUSES = (*(str(status) for status in ResidenceStatus), "unknown")


def by_status(counts: dict[str, int]) -> dict[str, int]:
    """Residence counts with every status named (a status missing counts 0): the fields of
    ``ResidenceCounted`` and of the public ``HouseholdResidenceChanged``."""
    return {status: counts.get(status, 0) for status in RESIDENCE_STATUSES}


class JoinReason(StrEnum):
    """Why a person joins a household."""

    BIRTH = "birth"
    MOVED_IN = "moved_in"


class LeaveReason(StrEnum):
    """Why a member leaves a household."""

    MOVED_OUT = "moved_out"
    DIED = "died"
    SPLIT_OFF = "split_off"  # left to form a household of their own (tách hộ), with others or alone


class NotAMemberError(RegistryError):
    """The person is not a member of this household."""


@dataclass(frozen=True)
class Member:
    """A member as the household knows them: the person and their relationship to the head.

    The person's details live in their own aggregate (``Person``), sealed with their own key."""

    person_id: UUID
    relationship: str


class Household(Aggregate):
    """A registered household: its unit, code and members (persons with their relationship)."""

    # Stable stored topics: events stay readable when modules move. Declaring TOPIC makes the
    # library register every nested event's explicit topic.
    TOPIC = "registry:Household:v1"

    class Created(Aggregate.Created):
        """The base of the aggregate's creation events (required once TOPIC is declared)."""

        TOPIC = "registry:Household.Created:v1"

    @staticmethod
    def create_id(unit_id: UUID, code: str) -> UUID:
        # One household per code per unit: registering the same code again is a conflict.
        return uuid5(NAMESPACE_URL, f"tothon:household:{unit_id}:{code}")

    @classmethod
    def register(
        cls,
        unit_id: UUID,
        code: str,
        members: list[Member],
        registered_on: date,
        residence: dict[str, int] | None = None,
        details: Sequence[PersonDetails | None] | None = None,
    ) -> Household:
        """Register a household; exactly one member must be the head. ``residence``: how many
        members hold each legal residence status, when any is known (see ``count_residence``);
        ``details``: the members' details, in order, counted by age band on ``registered_on``
        (none given: nothing known of any)."""
        if not has_one_head(m.relationship for m in members):
            raise HeadOfHouseholdError("a household needs exactly one head", code="head_count")
        rows = [{"person_id": m.person_id, "relationship": m.relationship} for m in members]
        age_bands = count_age_bands([None] * len(members) if details is None else details, registered_on)
        return cls(
            unit_id=unit_id,
            code=code,
            members=rows,
            registered_on=registered_on,
            residence=residence,
            age_bands=age_bands,
        )

    class Registered(Created):
        """The household was registered with its members (and, since residence counts were
        announced at registration, how many hold each residence status; absent before)."""

        TOPIC = "registry:HouseholdRegistered:v1"
        unit_id: UUID
        code: str
        members: list[dict[str, Any]]
        registered_on: date
        residence: dict[str, int] | None = None
        # The members by age band on ``registered_on`` (see ``count_age_bands``); absent before
        # age bands were counted.
        age_bands: dict[str, int] | None = None

    @event(Registered)
    def __init__(
        self,
        unit_id: UUID,
        code: str,
        members: list[dict[str, Any]],
        registered_on: date,
        residence: dict[str, int] | None = None,
        age_bands: dict[str, int] | None = None,
    ) -> None:
        self.unit_id = unit_id
        self.code = code
        self.members = [Member(**m) for m in members]
        self.registered_on = registered_on
        # The age bands last stated, and the day they were as of (none: never stated).
        self.age_bands = age_bands
        self.age_bands_on = registered_on if age_bands is not None else None

    @property
    def head(self) -> Member:
        """The head of household."""
        return next(m for m in self.members if m.relationship == HEAD)

    class Event(Aggregate.Event):
        """The base of the household's other events."""

        TOPIC = "registry:Household.Event:v1"

    def add_member(self, person_id: UUID, relationship: str, reason: JoinReason, on: date) -> None:
        """A person joins: born into the household or moving in (never as a second head)."""
        if relationship == HEAD:
            raise HeadOfHouseholdError(
                "a new member joins under the head; change the head separately", code="head_count"
            )
        self._member_joined(
            person_id=person_id,
            relationship=relationship,
            reason=str(reason),
            on=on,
            member_count=len(self.members) + 1,
        )

    class MemberJoined(Event):
        """A person joined the household."""

        TOPIC = "registry:HouseholdMemberJoined:v1"
        person_id: UUID
        relationship: str
        reason: str
        on: date
        member_count: int

    @event(MemberJoined)
    def _member_joined(
        self, person_id: UUID, relationship: str, reason: str, on: date, member_count: int
    ) -> None:
        self.members.append(Member(person_id, relationship))

    def remove_member(self, person_id: UUID, reason: LeaveReason, on: date) -> None:
        """A member leaves: moving out or deceased. The head leaves only after another member was
        made head."""
        member = self._member(person_id)
        if member.relationship == HEAD:
            raise HeadOfHouseholdError(
                "make another member the head before the head leaves", code="head_leaving"
            )
        self._member_left(person_id=person_id, reason=str(reason), on=on, member_count=len(self.members) - 1)

    class MemberLeft(Event):
        """A member left the household."""

        TOPIC = "registry:HouseholdMemberLeft:v1"
        person_id: UUID
        reason: str
        on: date
        member_count: int

    @event(MemberLeft)
    def _member_left(self, person_id: UUID, reason: str, on: date, member_count: int) -> None:
        self.members = [m for m in self.members if m.person_id != person_id]

    def change_head(self, new_head: UUID, relationships: dict[UUID, str], on: date) -> None:
        """Make another member the head; every other member's relationship is restated, since it
        is a relationship to the head."""
        self._member(new_head)
        others = {m.person_id for m in self.members} - {new_head}
        if set(relationships) != others or HEAD in relationships.values():
            raise HeadOfHouseholdError(
                "state the relationship of every other member to the new head", code="relationships_restated"
            )
        self._head_changed(head=new_head, relationships={str(k): v for k, v in relationships.items()}, on=on)

    class HeadChanged(Event):
        """Another member became the head; the others' relationships to the head were restated."""

        TOPIC = "registry:HouseholdHeadChanged:v1"
        head: UUID
        relationships: dict[str, str]
        on: date

    @event(HeadChanged)
    def _head_changed(self, head: UUID, relationships: dict[str, str], on: date) -> None:
        self.members = [
            Member(m.person_id, HEAD if m.person_id == head else relationships[str(m.person_id)])
            for m in self.members
        ]

    def transfer(self, unit_id: UUID, on: date) -> None:
        """The household belongs to another group or village from ``on`` (its group was merged
        or split); where it was before stays in its history."""
        if unit_id == self.unit_id:
            raise RegistryError("the household already belongs there", code="household_already_there")
        self._transferred(unit_id=unit_id, from_unit_id=self.unit_id, on=on)

    class Transferred(Event):
        """The household belongs to ``unit_id`` from ``on``."""

        TOPIC = "registry:HouseholdTransferred:v1"
        unit_id: UUID
        from_unit_id: UUID
        on: date

    @event(Transferred)
    def _transferred(self, unit_id: UUID, from_unit_id: UUID, on: date) -> None:
        self.unit_id = unit_id

    def verify(self, on: date) -> None:
        """Someone who knows the household (its group leader) checked on ``on`` that its members
        and their details are still right: what keeps the register live (sống)."""
        self._verified(on=on)

    class Verified(Event):
        """The household's members and details were checked against reality on ``on``."""

        TOPIC = "registry:HouseholdVerified:v1"
        on: date

    @event(Verified)
    def _verified(self, on: date) -> None:
        pass

    def count_residence(self, counts: dict[str, int]) -> None:
        """Restate how many current members hold each legal residence status (after one of
        them changed): a household fact other services may know, unlike whose status it is."""
        self._residence_counted(unit_id=self.unit_id, **by_status(counts))

    class ResidenceCounted(Event):
        """The household's current members by legal residence status."""

        TOPIC = "registry:HouseholdResidenceCounted:v1"
        unit_id: UUID
        permanent: int
        temporary: int
        declared_absence: int
        unknown: int

    @event(ResidenceCounted)
    def _residence_counted(
        self, unit_id: UUID, permanent: int, temporary: int, declared_absence: int, unknown: int
    ) -> None:
        pass

    def count_age_bands(self, members: Sequence[PersonDetails | None], on: date) -> bool:
        """Restate how many current members (their ``details``) are children, of working age,
        retired or unknown, when that differs from the counts last stated; whether it did.

        As of ``on``, or of the day of the last counts if later: counts never go back in time (a
        birth recorded late, a yearly recount running after a household's registration)."""
        day = max(on, self.age_bands_on) if self.age_bands_on else on
        counts = count_age_bands(members, day)
        if counts == self.age_bands:
            return False
        self._age_bands_counted(unit_id=self.unit_id, on=day, **counts)
        return True

    class AgeBandsCounted(Event):
        """The household's current members by age band on ``on``: counts, never birth dates."""

        TOPIC = "registry:HouseholdAgeBandsCounted:v1"
        unit_id: UUID
        on: date
        children: int
        working_age: int
        retired: int
        unknown: int

    @event(AgeBandsCounted)
    def _age_bands_counted(
        self, unit_id: UUID, on: date, children: int, working_age: int, retired: int, unknown: int
    ) -> None:
        self.age_bands = {
            "children": children,
            "working_age": working_age,
            "retired": retired,
            "unknown": unknown,
        }
        self.age_bands_on = on

    def _member(self, person_id: UUID) -> Member:
        for member in self.members:
            if member.person_id == person_id:
                return member
        raise NotAMemberError(person_id)
