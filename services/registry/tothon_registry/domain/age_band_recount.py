"""The yearly recount of households' age bands, once done: people age into and out of working
age without any event, so once a year every household's counts are checked again; this record
says the year's check was done (by whom and when is in its context), so the worker does it once."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class AgeBandRecount(Aggregate):
    """A year's recount of every household's age bands, done."""

    TOPIC = "registry:AgeBandRecount:v1"

    class Created(Aggregate.Created):
        """The base of the recount's creation events (required once TOPIC is declared)."""

        TOPIC = "registry:AgeBandRecount.Created:v1"

    @staticmethod
    def create_id(year: int) -> UUID:
        # One per year: a second worker recording the same year is refused by the event store.
        return uuid5(NAMESPACE_URL, f"tothon:age-band-recount:{year}")

    @classmethod
    def record(cls, on: date, households: int, restated: int) -> AgeBandRecount:
        """The recount as of ``on`` went through ``households`` and restated ``restated``."""
        return cls._create(
            cls.Done, id=cls.create_id(on.year), on=on, households=households, restated=restated
        )

    class Done(Created):
        """Every household's age bands were counted as of ``on``; those that changed restated."""

        TOPIC = "registry:AgeBandRecountDone:v1"
        on: date
        households: int
        restated: int

    @event(Done)
    def __init__(self, on: date, households: int, restated: int) -> None:
        self.on = on
        self.households = households
        self.restated = restated
