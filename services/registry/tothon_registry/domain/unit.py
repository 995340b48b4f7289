"""Administrative units (provinces, wards, communes) and the residential groups and villages in them.

Units change over time: they are renamed, moved under another parent, merged and split, each with
the date it takes effect (DOMAIN.md: codes are reused across reforms, so a code is stored with its
scheme). A superseded unit stays, with its history, and resolves to its successor.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_registry.domain.errors import RegistryError


class UnitKind(StrEnum):
    """Levels after the 2025 reform; groups and villages are community units below a ward/commune."""

    PROVINCE = "province"
    WARD = "ward"
    COMMUNE = "commune"
    SPECIAL_ZONE = "special_zone"
    DISTRICT = "district"  # abolished on 1 July 2025; kept for the history of legacy units
    RESIDENTIAL_GROUP = "residential_group"
    VILLAGE = "village"

    @property
    def holds_households(self) -> bool:
        """Whether households register directly in units of this kind."""
        return self in (UnitKind.RESIDENTIAL_GROUP, UnitKind.VILLAGE)

    @property
    def is_administrative(self) -> bool:
        """Official units from the national list, maintained by the city's IT administrators;
        groups and villages are the product's own, maintained by ward officials."""
        return not self.holds_households

    def may_be_under(self, parent: UnitKind | None) -> bool:
        """Whether a unit of this kind may sit under a unit of kind ``parent``. Legacy units of the
        pre-2025 lists (districts) are recorded as ``DISTRICT``."""
        return parent in ALLOWED_PARENTS[self]


class Change(StrEnum):
    """How a unit came to be superseded."""

    MERGED = "merged"
    SPLIT = "split"
    ABOLISHED = "abolished"


class UnitError(RegistryError):
    """A change the unit's kind or history does not allow; ``code`` names the rule."""


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
        self.effective_to: date | None = None
        self.successor_ids: list[UUID] = []
        # (from, value) pairs, oldest first: what "as of a date" reads.
        self.names: list[tuple[date, str]] = [(effective_from, name)]
        self.parents: list[tuple[date, UUID | None]] = [(effective_from, parent_id)]

    class Event(Aggregate.Event):
        """The base of the unit's other events."""

        TOPIC = "registry:Unit.Event:v1"

    @property
    def in_force(self) -> bool:
        """Not superseded (merged, split or abolished)."""
        return self.effective_to is None

    @property
    def successor_id(self) -> UUID | None:
        """The default successor: where the unit's households and groups went unless told
        otherwise, and whose officials answer for its history."""
        return self.successor_ids[0] if self.successor_ids else None

    def _check_change(self, on: date) -> None:
        if not self.in_force:
            raise UnitError(code="superseded")
        latest = max(self.names[-1][0], self.parents[-1][0])
        if on <= self.effective_from or on < latest:
            raise UnitError(code="change_date")

    def rename(self, name: str, on: date) -> None:
        """The unit takes a new name from ``on``; its code and history stay."""
        self._check_change(on)
        if name == self.name:
            raise UnitError(code="same_name")
        self._renamed(name=name, effective_from=on)

    class Renamed(Event):
        """The unit is called ``name`` from ``effective_from``."""

        TOPIC = "registry:UnitRenamed:v1"
        name: str
        effective_from: date

    @event(Renamed)
    def _renamed(self, name: str, effective_from: date) -> None:
        self.name = name
        self.names.append((effective_from, name))

    def move(self, parent: Unit, on: date) -> None:
        """The unit belongs to ``parent`` from ``on`` (a group handed to a merged ward)."""
        self._check_change(on)
        if not parent.in_force or not self.kind.may_be_under(parent.kind):
            raise UnitError(code="wrong_parent")
        if parent.id == self.parent_id:
            raise UnitError(code="already_there")
        self._moved(parent_id=parent.id, effective_from=on)

    class Moved(Event):
        """The unit belongs to ``parent_id`` from ``effective_from``."""

        TOPIC = "registry:UnitMoved:v1"
        parent_id: UUID
        effective_from: date

    @event(Moved)
    def _moved(self, parent_id: UUID, effective_from: date) -> None:
        self.parent_id = parent_id
        self.parents.append((effective_from, parent_id))

    def supersede(self, change: Change, successors: list[Unit], on: date) -> None:
        """The unit ends on the day before ``on``: merged into, split into or replaced by
        ``successors`` (the first is the default), or abolished without one."""
        self._check_change(on)
        if change is not Change.ABOLISHED and not successors:
            raise UnitError(code="successor_needed")
        if any(s.id == self.id or not s.in_force for s in successors):
            raise UnitError(code="successor_invalid")
        self._superseded(change=str(change), successor_ids=[s.id for s in successors], effective_from=on)

    class Superseded(Event):
        """The unit ceased on ``effective_from``; its successors carry on (default first)."""

        TOPIC = "registry:UnitSuperseded:v1"
        change: str
        successor_ids: list[UUID]
        effective_from: date

    @event(Superseded)
    def _superseded(self, change: str, successor_ids: list[UUID], effective_from: date) -> None:
        self.effective_to = effective_from
        self.successor_ids = list(successor_ids)

    def name_on(self, day: date) -> str | None:
        """The name in force on ``day``, or None if the unit did not exist then."""
        if day < self.effective_from or (self.effective_to is not None and day >= self.effective_to):
            return None
        return [name for since, name in self.names if since <= day][-1]


_ADMINISTRATIVE_BELOW_PROVINCE = {UnitKind.PROVINCE, UnitKind.DISTRICT}
ALLOWED_PARENTS: dict[UnitKind, set[UnitKind | None]] = {
    UnitKind.PROVINCE: {None},
    UnitKind.DISTRICT: {UnitKind.PROVINCE},
    UnitKind.WARD: set(_ADMINISTRATIVE_BELOW_PROVINCE),
    UnitKind.COMMUNE: set(_ADMINISTRATIVE_BELOW_PROVINCE),
    UnitKind.SPECIAL_ZONE: set(_ADMINISTRATIVE_BELOW_PROVINCE),
    UnitKind.RESIDENTIAL_GROUP: {UnitKind.WARD, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE},
    UnitKind.VILLAGE: {UnitKind.WARD, UnitKind.COMMUNE, UnitKind.SPECIAL_ZONE},
}
