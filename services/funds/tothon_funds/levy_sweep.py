"""The worker's levy sweep: a levy running today reaches every household of its fund's unit,
including households registered, or moved in, after it was announced (the announcement imposed it
on the households known then). Imposing is idempotent, so the sweep is safe to repeat and to run
in several workers at once."""

from __future__ import annotations

from datetime import datetime

import structlog
from eventsourcing.persistence import IntegrityError
from sqlalchemy import and_, select

from tothon_funds.application import FundsApplication
from tothon_funds.readmodels.tables import DIRECTORY, household_accounts, levies, obligations
from tothon_shared.auth.lineage import below
from tothon_shared.eventstore.context import acting_as
from tothon_shared.kernel.clock import VIETNAM
from tothon_shared.runtime.definition import Runtime, Schedule

log = structlog.get_logger(__name__)
EVERY_SECONDS = 600.0
BATCH = 2000  # households a levy a round: a backlog is worked off over rounds


def sweep_levies(runtime: Runtime, now: datetime) -> int:
    """Impose every running levy on the households of its reach that lack it; how many got it."""
    app = runtime.app
    assert isinstance(app, FundsApplication)  # the funds service's schedule
    today = now.astimezone(VIETNAM).date()
    running = select(levies.c.levy_id, levies.c.fund_id, levies.c.unit_id).where(levies.c.period_to >= today)
    imposed = 0
    with runtime.store.engine.connect() as connection:
        targets = connection.execute(running).all()
    for levy in targets:
        missing = (
            select(household_accounts.c.household_id)
            .outerjoin(
                obligations,
                and_(
                    obligations.c.household_id == household_accounts.c.household_id,
                    obligations.c.levy_id == levy.levy_id,
                ),
            )
            .where(household_accounts.c.unit_id.in_(below(DIRECTORY.units, levy.unit_id)))
            .where(obligations.c.obligation_id.is_(None))
            .limit(BATCH)
        )
        with runtime.store.engine.connect() as connection:
            households = list(connection.execute(missing).scalars())
        if not households:
            continue
        with acting_as("system", reason="levy_sweep"):
            try:
                imposed += app.impose(levy.fund_id, levy.levy_id, households)
            except IntegrityError:
                continue  # another worker imposed it meanwhile: the next round sees it
    if imposed:
        log.info("funds.levies_swept", households=imposed)
    return imposed


SCHEDULE = Schedule("sweep_levies", EVERY_SECONDS, sweep_levies)
