"""A household: its unit, its code within the unit, and its members with their relationship to the head."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_registry.domain.errors import HeadOfHouseholdError

HEAD = "head"


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
    def register(cls, unit_id: UUID, code: str, members: list[Member], registered_on: date) -> Household:
        """Register a household; exactly one member must be the head."""
        if sum(1 for m in members if m.relationship == HEAD) != 1:
            raise HeadOfHouseholdError("a household needs exactly one head")
        rows = [{"person_id": m.person_id, "relationship": m.relationship} for m in members]
        return cls(unit_id=unit_id, code=code, members=rows, registered_on=registered_on)

    class Registered(Created):
        """The household was registered with its members."""

        TOPIC = "registry:HouseholdRegistered:v1"
        unit_id: UUID
        code: str
        members: list[dict[str, Any]]
        registered_on: date

    @event(Registered)
    def __init__(self, unit_id: UUID, code: str, members: list[dict[str, Any]], registered_on: date) -> None:
        self.unit_id = unit_id
        self.code = code
        self.members = [Member(**m) for m in members]
        self.registered_on = registered_on

    @property
    def head(self) -> Member:
        """The head of household."""
        return next(m for m in self.members if m.relationship == HEAD)
