"""Who takes part in a conversation, decided from facts the service keeps from the registry's
events: a resident by their household and the unit it is in now (the directory; a household that
moves leaves its old group's channel and joins its new one), an official by their role
assignments. Pure: the caller reads the facts, this says yes or no."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from uuid import UUID

from tothon_communication.domain.conversation import ConversationKind
from tothon_shared.auth.roles import Role


@dataclass(frozen=True)
class Caller:
    """Who asks: their household (a resident) with its unit's lineage (nearest first), and their
    role assignments that carry taking part in conversations, with what moderates."""

    household_id: UUID | None
    household_lineage: Sequence[UUID]
    takes_part: Collection[tuple[Role, UUID]]  # (role, unit) assignments carrying take-part
    moderates: Collection[UUID]  # units at whose subtree they moderate


@dataclass(frozen=True)
class Place:
    """The conversation's kind, unit and household, with the unit's lineage (nearest first)."""

    kind: ConversationKind
    unit_id: UUID
    household_id: UUID | None
    unit_lineage: Sequence[UUID]


# The one role that speaks for the officials' side of a household's conversation.
COUNTERPART = {
    ConversationKind.RESIDENT_LEADER: Role.GROUP_LEADER,
    ConversationKind.RESIDENT_POLICE: Role.AREA_POLICE,
}


def as_resident(caller: Caller, place: Place) -> bool:
    """Whether the caller takes part as a resident: their own household's conversation, or the
    channel of the group their household is in now."""
    if caller.household_id is None:
        return False
    if place.kind.with_household:
        return caller.household_id == place.household_id
    if place.kind is ConversationKind.GROUP_CHANNEL:
        return bool(caller.household_lineage) and caller.household_lineage[0] == place.unit_id
    return False


def as_official(caller: Caller, place: Place, below: Collection[UUID]) -> bool:
    """Whether the caller takes part as an official. A household's conversation: the leader of
    its group, or the police officer of its area (the unit itself, not above). A group's channel:
    whoever takes part over the group (its leader, the ward's officials and police). A unit's
    officials: those who serve the unit or a unit below it (``below``: the unit and its subtree)."""
    if place.kind.with_household:
        counterpart = COUNTERPART[place.kind]
        return any(role is counterpart and unit == place.unit_id for role, unit in caller.takes_part)
    if place.kind is ConversationKind.GROUP_CHANNEL:
        return any(unit in place.unit_lineage for _role, unit in caller.takes_part)
    return any(unit in below for _role, unit in caller.takes_part)


def takes_part(caller: Caller, place: Place, below: Collection[UUID]) -> bool:
    """Whether the caller is a member of the conversation."""
    return as_resident(caller, place) or as_official(caller, place, below)


def moderates(caller: Caller, place: Place) -> bool:
    """Whether the caller may hide messages: a group's channel, moderated over the group."""
    return place.kind is ConversationKind.GROUP_CHANNEL and any(
        unit in place.unit_lineage for unit in caller.moderates
    )
