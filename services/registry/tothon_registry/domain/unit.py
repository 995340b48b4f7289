"""Administrative units (provinces, wards, communes) and the residential groups and villages in them."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class UnitKind(StrEnum):
    """Levels after the 2025 reform; groups and villages are community units below a ward/commune."""

    PROVINCE = "province"
    WARD = "ward"
    COMMUNE = "commune"
    SPECIAL_ZONE = "special_zone"
    RESIDENTIAL_GROUP = "residential_group"
    VILLAGE = "village"

    @property
    def holds_households(self) -> bool:
        """Whether households register directly in units of this kind."""
        return self in (UnitKind.RESIDENTIAL_GROUP, UnitKind.VILLAGE)


class Unit(Aggregate):
    """A unit with its official code (if any), the scheme of that code, and its parent."""

    # Stable stored topics: events stay readable when modules move. Declaring TOPIC makes the
    # library register every nested event's explicit topic.
    TOPIC = "registry:Unit:v1"

    class Created(Aggregate.Created):
        """The base of the aggregate's creation events (required once TOPIC is declared)."""

        TOPIC = "registry:Unit.Created:v1"

    @staticmethod
    def create_id(
        kind: str, code_scheme: str | None, code: str | None, name: str, parent_id: UUID | None
    ) -> UUID:
        # Deterministic, so that establishing the same unit twice is a conflict, not a twin.
        return uuid5(NAMESPACE_URL, f"tothon:unit:{kind}:{code_scheme}:{code}:{parent_id}:{name}")

    class Established(Created):
        """The unit exists from ``effective_from``."""

        TOPIC = "registry:UnitEstablished:v1"
        kind: str
        name: str
        code: str | None
        code_scheme: str | None
        parent_id: UUID | None
        effective_from: date

    @event(Established)
    def __init__(
        self,
        kind: UnitKind,
        name: str,
        code: str | None,
        code_scheme: str | None,
        parent_id: UUID | None,
        effective_from: date,
    ) -> None:
        self.kind = UnitKind(kind)
        self.name = name
        self.code = code
        self.code_scheme = code_scheme
        self.parent_id = parent_id
        self.effective_from = effective_from
