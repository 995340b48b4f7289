"""Which age bands each household has members in, from the registry's published counts
(``HouseholdAgeBandsChanged``: children, working age, retired — counts only, never a birth date):
what lets a notice be narrowed to households with children, say, or with retired members.

A household's bands are kept as a bit mask (children 1, working age 2, retired 4) so that a
notice's bands and a household's meet in one comparison, in a feed's query or in Python."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import Column, Date, Integer, Table, Uuid, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from tothon_communication.domain.announcement import Band
from tothon_communication.readmodels.tables import metadata
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import HouseholdAgeBandsChanged
from tothon_shared.messaging.inbox import EventHandler

household_bands = Table(
    "household_bands",
    metadata,
    Column("household_id", Uuid, primary_key=True),
    Column("mask", Integer, nullable=False, index=True),
    Column("on", Date, nullable=False),
)
BITS = {Band.CHILDREN: 1, Band.WORKING_AGE: 2, Band.RETIRED: 4}


def mask_of(bands: Iterable[Band | str]) -> int:
    """The bit mask of some bands (0: none, a notice for every household)."""
    return sum(BITS[Band(b)] for b in set(bands))


def bands_of(mask: int) -> list[Band]:
    """The bands a mask holds, in their order."""
    return [band for band, bit in BITS.items() if mask & bit]


def _changed(session: Session, event: IntegrationEvent) -> None:
    assert isinstance(event, HouseholdAgeBandsChanged)  # dispatched by event type
    counts = {Band.CHILDREN: event.children, Band.WORKING_AGE: event.working_age, Band.RETIRED: event.retired}
    mask = mask_of(band for band, count in counts.items() if count > 0)
    found = session.execute(
        select(household_bands.c.on).where(household_bands.c.household_id == event.subject_id)
    ).scalar()
    if found is None:
        session.execute(
            household_bands.insert().values(household_id=event.subject_id, mask=mask, on=event.on)
        )
    elif found <= event.on:  # not over a recount of a later day
        session.execute(
            household_bands.update()
            .where(household_bands.c.household_id == event.subject_id)
            .values(mask=mask, on=event.on)
        )


def band_handlers() -> dict[str, EventHandler]:
    """Handlers for the ``registry.households`` channel: each household's age bands."""
    return {"HouseholdAgeBandsChanged": _changed}


BAND_TABLES = (household_bands,)


def household_mask(connection: Connection, household_id: UUID) -> int:
    """The bands the household has members in (0 when not known yet)."""
    found = connection.execute(
        select(household_bands.c.mask).where(household_bands.c.household_id == household_id)
    ).scalar()
    return int(found or 0)


def in_bands(household_id: ColumnElement[UUID], mask: int) -> ColumnElement[bool]:
    """Households with a member in one of the bands of ``mask``."""
    return household_id.in_(
        select(household_bands.c.household_id).where(household_bands.c.mask.op("&")(mask) != 0)
    )
