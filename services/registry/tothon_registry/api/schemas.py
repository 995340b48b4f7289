"""Request and response schemas: primitives at the edge, domain types inside."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from tothon_registry.domain.household import (
    Relationship as Relationship,  # api/households.py uses it from here
)
from tothon_registry.domain.unit import UnitKind
from tothon_registry.intake import MemberIn, each_once
from tothon_shared.kernel.identity import PastDate
from tothon_shared.kernel.text import Name, ShortText


class NewUnitIn(BaseModel):
    """A unit a reorganisation creates (under ``parent_id``, or the old unit's parent)."""

    model_config = ConfigDict(extra="forbid")
    kind: UnitKind  # the domain's kinds: their values are the wire's
    name: Name
    code: str | None = Field(default=None, pattern=r"^[0-9A-Za-z-]{1,20}$")
    code_scheme: Annotated[ShortText, Field(max_length=40)] | None = None
    parent_id: UUID | None = None


class UnitIn(NewUnitIn):
    """A unit to establish, from ``effective_from``."""

    effective_from: date


class UnitOut(BaseModel):
    """A unit as listed: its name and parent on the date asked about."""

    unit_id: UUID
    kind: str
    name: str
    code: str | None
    code_scheme: str | None
    parent_id: UUID | None
    effective_from: date
    effective_to: date | None = Field(default=None, description="The day it ceased, if superseded.")
    successor_id: UUID | None = Field(default=None, description="Its default successor, if superseded.")


class UnitVersion(BaseModel):
    """The name and parent of a unit from a date."""

    valid_from: date
    name: str
    parent_id: UUID | None
    parent_name: str | None = None
    parent_code: str | None = None


class UnitLink(BaseModel):
    """A unit a unit became or came from."""

    unit_id: UUID
    name: str
    change: str | None = None
    code_scheme: str | None = None


class UnitDetail(UnitOut):
    """A unit with its history and where it resolves today."""

    history: list[UnitVersion]
    successors: list[UnitLink]
    predecessors: list[UnitLink]
    current_id: UUID | None = Field(description="The unit in force it resolves to (itself if in force).")
    household_count: int


class UnitByCode(UnitOut):
    """A unit that carried a code, and the unit in force it resolves to."""

    current_id: UUID | None
    current_name: str | None


class RenameIn(BaseModel):
    """A new name from a date."""

    model_config = ConfigDict(extra="forbid")
    name: Name
    effective_from: date


class MoveIn(BaseModel):
    """A new parent from a date."""

    model_config = ConfigDict(extra="forbid")
    parent_id: UUID
    effective_from: date


class MergeIn(BaseModel):
    """Units merged into an existing unit (``into_id``, which carries on) or a new one (``into``)."""

    model_config = ConfigDict(extra="forbid")
    unit_ids: Annotated[list[UUID], AfterValidator(each_once)] = Field(
        min_length=1, max_length=50, json_schema_extra={"uniqueItems": True}
    )
    into_id: UUID | None = None
    into: NewUnitIn | None = None
    effective_from: date

    @model_validator(mode="after")
    def _one_target(self) -> MergeIn:
        if (self.into_id is None) == (self.into is None):
            raise ValueError("give either into_id (an existing unit) or into (a new unit)")
        return self


class SplitIn(BaseModel):
    """A unit split into new units; ``assignments`` sends its groups or households (by id) to a
    part (by index); the rest go to the first part."""

    model_config = ConfigDict(extra="forbid")
    parts: list[NewUnitIn] = Field(min_length=2, max_length=20)
    assignments: dict[UUID, Annotated[int, Field(ge=0, le=19)]] = Field(default_factory=dict, max_length=5000)
    effective_from: date


class SplitOut(BaseModel):
    """The units a split created, in the order of the parts."""

    ids: list[UUID]


class HouseholdIn(BaseModel):
    """A household to register."""

    model_config = ConfigDict(extra="forbid")
    unit_id: UUID
    code: str = Field(pattern=r"^[0-9A-Za-z./-]{1,40}$", description="Code within the unit")
    registered_on: PastDate = Field(description="Not in the future; no member born after it.")
    members: list[MemberIn] = Field(min_length=1, max_length=30)


class MemberOut(BaseModel):
    """A member with their relationship to the head; no name once the person's data is erased."""

    person_id: UUID
    full_name: str | None
    relationship: str
    erased: bool


class HouseholdSummary(BaseModel):
    """A household as listed."""

    household_id: UUID
    unit_id: UUID
    code: str
    head_name: str | None
    member_count: int
    registered_on: date


class HouseholdView(HouseholdSummary):
    """The household view: head, member count, members with relationship."""

    members: list[MemberOut]


class Created(BaseModel):
    """The id of what a command created."""

    id: UUID
