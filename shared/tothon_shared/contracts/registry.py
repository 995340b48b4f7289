"""Contracts published by the registry service. No sensitive personal data (DESIGN.md)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import Field

from tothon_shared.contracts.envelope import IntegrationEvent

UnitKind = Literal["province", "ward", "commune", "special_zone", "residential_group", "village"]


class UnitEstablished(IntegrationEvent):
    """An administrative unit, residential group or village now exists."""

    channel = "registry.units"
    event_type: Literal["UnitEstablished"] = "UnitEstablished"
    kind: UnitKind
    name: str = Field(min_length=1, max_length=200)
    code: str | None = Field(default=None, description="Official code, when the unit has one.")
    code_scheme: str | None = Field(default=None, description="Whose list the code belongs to.")
    parent_id: uuid.UUID | None
    effective_from: date


class HouseholdRegistered(IntegrationEvent):
    """A household was registered in a residential group or village."""

    channel = "registry.households"
    event_type: Literal["HouseholdRegistered"] = "HouseholdRegistered"
    household_code: str = Field(min_length=1, max_length=40)
    member_count: int = Field(ge=1, le=100)
    registered_on: date
