"""The registry's use cases about age bands: a household's members counted by band again after
what may change them, and the yearly recount (people age without any event)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from tothon_registry.domain.age_band_recount import AgeBandRecount
from tothon_registry.domain.household import Household
from tothon_registry.domain.person import Person
from tothon_registry.registry_records import RegistryRecords

# A batch whose households another writer changed meanwhile is loaded and counted again, a few
# times; past that the writer is busier than a recount should compete with.
BATCH_ATTEMPTS = 3


def restate_age_bands(household: Household, members: Sequence[Person], on: date) -> bool:
    """Count the household's ``members`` (its current ones) by age band on ``on``; whether the
    counts changed and were restated."""
    return household.count_age_bands([person.details for person in members], on)


class AgeBandUseCases(RegistryRecords):
    """The yearly recount of every household's age bands."""

    def recount_age_bands(self, on: date, households: Iterable[Sequence[UUID]]) -> tuple[int, int]:
        """Count every household (ids in batches) by age band on ``on`` and restate those whose
        counts changed, each batch in one transaction: (households counted, restated). Running
        it again for the same day restates nothing."""
        counted = restated = 0
        for batch in households:
            restated += self._recount_batch(on, batch)
            counted += len(batch)
        return counted, restated

    def _recount_batch(self, on: date, batch: Sequence[UUID]) -> int:
        for attempt in range(1, BATCH_ATTEMPTS + 1):
            changed = [
                h for h in map(self.get_household, batch) if restate_age_bands(h, self._members_of(h), on)
            ]
            try:
                self.save(*changed)
            except IntegrityError:
                if attempt == BATCH_ATTEMPTS:
                    raise
                continue  # a household changed meanwhile: count the batch again
            return len(changed)
        return 0  # not reached: the last attempt returns or raises

    def age_bands_recounted(self, year: int) -> bool:
        """Whether the recount of ``year`` was done."""
        try:
            self.repository.get(AgeBandRecount.create_id(year))
        except AggregateNotFoundError:
            return False
        return True

    def record_age_band_recount(self, on: date, households: int, restated: int) -> None:
        """Record that the recount as of ``on`` is done (a second record of the year is refused
        with ``IntegrityError``: another worker did it)."""
        self.save(AgeBandRecount.record(on, households, restated))
