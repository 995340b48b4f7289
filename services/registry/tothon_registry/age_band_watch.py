"""The worker's yearly recount of age bands: on 1 January (Vietnam time) every household's members
are counted by band again, since people turn 18 or reach their retirement age without any event,
and the households whose counts changed are restated (``HouseholdAgeBandsChanged``).

The schedule looks every hour whether this year's recount was done (one record per year,
``AgeBandRecount``): a worker down on New Year's Day recounts as soon as it is back, as of that
day. A city's 850,000 households are read from the lookup table by id, a page at a time, and each
page is saved in one transaction: never the whole register in memory. A recount cut short (a
restart) is run again whole: the households already restated count the same and store nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from uuid import UUID

import structlog
from eventsourcing.persistence import IntegrityError
from sqlalchemy import select

from tothon_registry.application import RegistryApplication
from tothon_registry.readmodels.projection import LOOKUP
from tothon_registry.readmodels.tables import households
from tothon_shared.eventstore.context import acting_as
from tothon_shared.kernel.clock import VIETNAM
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.definition import Runtime, Schedule

log = structlog.get_logger(__name__)
# Households counted and saved together: a few thousand events at most per transaction.
BATCH = 500
EVERY_SECONDS = 3600.0
# How far behind the event store the lookup table may be for the recount to trust its list of
# households: the events of the last moments, not a rebuild under way.
LOOKUP_LAG = 1000


def household_batches(store: ReadStore, size: int = BATCH) -> Iterator[list[UUID]]:
    """Every household's id from the lookup table, in pages of ``size`` by id (a page read when
    the one before was worked through)."""
    after: UUID | None = None
    while True:
        query = select(households.c.household_id).order_by(households.c.household_id).limit(size)
        if after is not None:
            query = query.where(households.c.household_id > after)
        with store.engine.connect() as connection:
            page = list(connection.execute(query).scalars())
        if not page:
            return
        yield page
        after = page[-1]


def recount_yearly(runtime: Runtime, now: datetime) -> int:
    """Recount every household's age bands as of today in Vietnam, unless this year's recount was
    done; how many households were restated."""
    app = runtime.app
    assert isinstance(app, RegistryApplication)  # the registry's schedule
    on = now.astimezone(VIETNAM).date()
    if app.age_bands_recounted(on.year):
        return 0
    behind = (app.recorder.max_notification_id() or 0) - runtime.store.position(LOOKUP.name)
    if behind > LOOKUP_LAG:
        log.info("registry.age_band_recount_waits", behind=behind)
        return 0  # the list of households is incomplete: next round
    with acting_as("system", reason="yearly_age_band_recount"):
        counted, restated = app.recount_age_bands(on, household_batches(runtime.store))
        with contextlib.suppress(IntegrityError):  # another worker recounted too; its record stands
            app.record_age_band_recount(on, counted, restated)
    log.info("registry.age_bands_recounted", on=str(on), households=counted, restated=restated)
    return restated


SCHEDULE = Schedule("recount_age_bands", EVERY_SECONDS, recount_yearly)
