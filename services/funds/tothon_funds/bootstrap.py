"""The funds service's composition root."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import APIRouter

from tothon_funds.api.errors import FUNDS_ERRORS
from tothon_funds.api.expenses import router as expenses
from tothon_funds.api.funds import router as funds
from tothon_funds.api.household import router as household
from tothon_funds.api.household_accounts import router as household_accounts
from tothon_funds.api.payments import router as payments
from tothon_funds.api.receipts import router as receipts
from tothon_funds.api.report import router as report
from tothon_funds.api.statements import router as statements
from tothon_funds.application import FundsApplication
from tothon_funds.integration.inbound import USE_CASES
from tothon_funds.integration.outbound import CHANNELS, to_integration_events
from tothon_funds.levy_sweep import SCHEDULE as LEVY_SWEEP
from tothon_funds.messages import MESSAGES
from tothon_funds.permissions import FundsPermission
from tothon_funds.readmodels.accounts import PROJECTION
from tothon_funds.readmodels.books import PROJECTION as BOOKS
from tothon_funds.readmodels.tables import DIRECTORY, REVOCATIONS, metadata
from tothon_shared.runtime.definition import Runtime, ServiceDefinition


def _application(env: Mapping[str, str]) -> FundsApplication:
    return FundsApplication(env=env)


def _routers(_runtime: Runtime) -> Sequence[APIRouter]:
    # The public routes (receipts, reports) before those with a path parameter at the same depth.
    return [
        DIRECTORY.router(with_households=True),
        household_accounts,
        receipts,
        report,
        household,
        payments,
        statements,
        expenses,
        funds,
    ]


DEFINITION = ServiceDefinition(
    name="funds",
    title="Funds",
    application=_application,
    metadata=metadata,
    routers=_routers,
    publishes=CHANNELS,
    outbound=to_integration_events,
    projections=(PROJECTION, BOOKS),
    schedules=(LEVY_SWEEP,),
    inbound={
        "registry.accounts": REVOCATIONS.handlers(),
        "registry.units": DIRECTORY.unit_handlers(),
        "registry.households": DIRECTORY.household_handlers(),
    },
    inbound_tables=DIRECTORY.tables + REVOCATIONS.tables,
    session_check=REVOCATIONS.session_check,
    use_cases=USE_CASES,
    messages=MESSAGES,
    errors=FUNDS_ERRORS,
    permissions=(FundsPermission,),
)

# --- evidence ---
# The evidence of expenses (api/evidence.py) added to the definition above: its router, the
# problems an upload's refusals become (the shared attachments' statuses under funds' keys), and
# its body limit (a photo straight from a phone's camera, refused above the file limit with its
# own problem). Kept in this one block so that it merges apart from the rest of funds' wiring.
from dataclasses import replace  # noqa: E402

from tothon_funds.api.evidence import EVIDENCE, LIMITS  # noqa: E402
from tothon_funds.api.evidence import router as evidence  # noqa: E402
from tothon_shared.attachments.http import attachment_refusals  # noqa: E402
from tothon_shared.http.error_map import ErrorMap  # noqa: E402

_WITHOUT_EVIDENCE = DEFINITION


def _routers_with_evidence(runtime: Runtime) -> Sequence[APIRouter]:
    return [*_WITHOUT_EVIDENCE.routers(runtime), evidence]


DEFINITION = replace(
    DEFINITION,
    routers=_routers_with_evidence,
    errors=(DEFINITION.errors or ErrorMap({})).extended(attachment_refusals("funds.evidence")),
    body_limits={**DEFINITION.body_limits, EVIDENCE: LIMITS.file_bytes + 64 * 1024},
)
