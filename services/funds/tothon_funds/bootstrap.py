"""The funds service's composition root."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import APIRouter

from tothon_funds.api.errors import FUNDS_ERRORS
from tothon_funds.api.evidence import EVIDENCE, LIMITS
from tothon_funds.api.evidence import router as evidence
from tothon_funds.api.expenses import router as expenses
from tothon_funds.api.funds import router as funds
from tothon_funds.api.household import router as household
from tothon_funds.api.household_accounts import router as household_accounts
from tothon_funds.api.payments import router as payments
from tothon_funds.api.receipts import router as receipts
from tothon_funds.api.report import router as report
from tothon_funds.api.statements import STATEMENTS
from tothon_funds.api.statements import router as statements
from tothon_funds.application import FundsApplication
from tothon_funds.integration.inbound import USE_CASES
from tothon_funds.integration.outbound import CHANNELS, to_integration_events
from tothon_funds.levy_sweep import SCHEDULE as LEVY_SWEEP
from tothon_funds.messages import MESSAGES
from tothon_funds.permissions import FundsPermission
from tothon_funds.readmodels.accounts import PROJECTION
from tothon_funds.readmodels.books import PROJECTION as BOOKS
from tothon_funds.readmodels.polls import POLL_TABLES, poll_handlers
from tothon_funds.readmodels.tables import DIRECTORY, REVOCATIONS, metadata
from tothon_shared.attachments.http import attachment_refusals
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
        evidence,
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
        # The households' decisions a community fund cites.
        "communication.civic": poll_handlers(),
    },
    inbound_tables=DIRECTORY.tables + REVOCATIONS.tables + POLL_TABLES,
    session_check=REVOCATIONS.session_check,
    use_cases=USE_CASES,
    messages=MESSAGES,
    # An upload's refusals: the shared attachments' statuses under funds' keys.
    errors=FUNDS_ERRORS.extended(attachment_refusals("funds.evidence")),
    # A photo straight from a phone's camera; a bank's statement of a year of transfers.
    body_limits={EVIDENCE: LIMITS.file_bytes + 64 * 1024, STATEMENTS: 20_000_000},
    permissions=(FundsPermission,),
)
