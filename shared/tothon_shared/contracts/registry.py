"""Contracts published by the registry service. No sensitive personal data (DESIGN.md)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import Field

from tothon_shared.contracts.envelope import IntegrationEvent

UnitKind = Literal["province", "district", "ward", "commune", "special_zone", "residential_group", "village"]


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


class UnitRenamed(IntegrationEvent):
    """A unit is called by a new name from ``effective_from`` (its code and history stay)."""

    channel = "registry.units"
    event_type: Literal["UnitRenamed"] = "UnitRenamed"
    name: str = Field(min_length=1, max_length=200)
    effective_from: date


class UnitMoved(IntegrationEvent):
    """A unit belongs to another parent from ``effective_from`` (a group handed to a merged ward)."""

    channel = "registry.units"
    event_type: Literal["UnitMoved"] = "UnitMoved"
    parent_id: uuid.UUID
    effective_from: date


class UnitSuperseded(IntegrationEvent):
    """A unit ceased on ``effective_from``: merged into or split into its successors (the first is
    the default, who now answers for its history), or abolished without one."""

    channel = "registry.units"
    event_type: Literal["UnitSuperseded"] = "UnitSuperseded"
    change: Literal["merged", "split", "abolished"]
    successor_ids: list[uuid.UUID] = Field(max_length=50)
    effective_from: date


class HouseholdRegistered(IntegrationEvent):
    """A household was registered in a residential group or village."""

    channel = "registry.households"
    event_type: Literal["HouseholdRegistered"] = "HouseholdRegistered"
    household_code: str = Field(min_length=1, max_length=40)
    member_count: int = Field(ge=1, le=100)
    registered_on: date


class HouseholdMembershipChanged(IntegrationEvent):
    """A household's members changed: someone joined or left, or another member became the head.
    Carries the new member count, never who."""

    channel = "registry.households"
    event_type: Literal["HouseholdMembershipChanged"] = "HouseholdMembershipChanged"
    change: Literal["joined", "left", "head_changed"]
    reason: Literal["birth", "moved_in", "moved_out", "died", "split_off", "head_changed"]
    member_count: int = Field(ge=0, le=100)
    on: date


class HouseholdTransferred(IntegrationEvent):
    """A household belongs to another group or village (``unit_id``) from ``on``, because its
    group was merged or split."""

    channel = "registry.households"
    event_type: Literal["HouseholdTransferred"] = "HouseholdTransferred"
    from_unit_id: uuid.UUID
    on: date


class HouseholdResidenceChanged(IntegrationEvent):
    """How many of a household's current members hold each legal residence status, after one of
    them changed. Counts only: whose status it is stays in the registry."""

    channel = "registry.households"
    event_type: Literal["HouseholdResidenceChanged"] = "HouseholdResidenceChanged"
    permanent: int = Field(ge=0, le=100)
    temporary: int = Field(ge=0, le=100)
    declared_absence: int = Field(ge=0, le=100, description="Members who declared a temporary absence.")
    unknown: int = Field(ge=0, le=100, description="Members whose status is not recorded (or erased).")


class HouseholdAgeBandsChanged(IntegrationEvent):
    """How many of a household's current members are children, of working age (from 18 to the
    retirement age of the Labour Code 2019 art. 169) or retired on ``on``, after a change of
    members or details, or as people aged (a yearly recount). Counts only, never birth dates."""

    channel = "registry.households"
    event_type: Literal["HouseholdAgeBandsChanged"] = "HouseholdAgeBandsChanged"
    children: int = Field(ge=0, le=100, description="Members under 18.")
    working_age: int = Field(ge=0, le=100, description="Members from 18 to their retirement age.")
    retired: int = Field(ge=0, le=100, description="Members past their retirement age.")
    unknown: int = Field(
        ge=0, le=100, description="Members whose birth is not recorded (or erased), or whose sex decides."
    )
    on: date = Field(description="The day the counts are as of.")


class NotificationConsentChanged(IntegrationEvent):
    """A person (``subject_id``) of a household gave or withdrew their consent to be sent
    notifications (SMS, messaging apps, e-mail), or was erased, or (having consented) left the
    household (``given`` false) or moved to a household split off (``household_id`` the new one):
    whether other services may contact them, and about which household. Never the phone number or
    the address itself."""

    channel = "registry.households"
    event_type: Literal["NotificationConsentChanged"] = "NotificationConsentChanged"
    household_id: uuid.UUID
    given: bool


class PresenceFlagRaised(IntegrationEvent):
    """A group leader flagged that the register and reality disagree about who lives in a household
    (``subject_id`` is the flag). No person is named."""

    channel = "registry.households"
    event_type: Literal["PresenceFlagRaised"] = "PresenceFlagRaised"
    household_id: uuid.UUID
    kind: Literal["registered_not_living", "living_not_registered"]
    observed_on: date


class PresenceFlagReviewed(IntegrationEvent):
    """The ward official or area police confirmed or dismissed a presence flag."""

    channel = "registry.households"
    event_type: Literal["PresenceFlagReviewed"] = "PresenceFlagReviewed"
    decision: Literal["confirmed", "dismissed"]
    reviewer_role: str = Field(max_length=40)


RoleName = Literal[
    "resident", "group_leader", "area_police", "ward_official", "city_official", "city_it_admin"
]


class RoleAssigned(IntegrationEvent):
    """An account was appointed a role over a unit's subtree (``unit_id``)."""

    channel = "registry.accounts"
    event_type: Literal["RoleAssigned"] = "RoleAssigned"
    role: RoleName
    granted_by: str = Field(description="The appointing account's id.")
    reason: str = Field(max_length=500)


class RoleRevoked(IntegrationEvent):
    """An account lost a role over a unit (``unit_id``); its sessions end too."""

    channel = "registry.accounts"
    event_type: Literal["RoleRevoked"] = "RoleRevoked"
    role: RoleName
    revoked_by: str = Field(description="The revoking account's id.")
    reason: str = Field(max_length=500)


class SessionEnded(IntegrationEvent):
    """A session was signed out or revoked: its access tokens must be refused at once."""

    channel = "registry.accounts"
    event_type: Literal["SessionEnded"] = "SessionEnded"
    session_id: str = Field(max_length=100)
    reason: str = Field(max_length=200)
