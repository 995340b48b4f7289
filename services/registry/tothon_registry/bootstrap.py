"""The registry's composition root: its definition for the shared runtime."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import APIRouter

from tothon_registry.age_band_watch import SCHEDULE as AGE_BAND_RECOUNT
from tothon_registry.api import (
    access_log,
    accounts,
    auth,
    consents,
    corrections,
    exports,
    household_changes,
    households,
    imports,
    me,
    persons,
    presence,
    quality,
    units,
    vulnerable,
)
from tothon_registry.api.errors import REGISTRY_ERRORS
from tothon_registry.application import RegistryApplication
from tothon_registry.integration.outbound import to_integration_events
from tothon_registry.messages import MESSAGES
from tothon_registry.permissions import RegistryPermission
from tothon_registry.readmodels.accounts_projection import ACCOUNTS
from tothon_registry.readmodels.projection import LOOKUP
from tothon_registry.readmodels.tables import metadata
from tothon_registry.session_check import session_check
from tothon_shared.runtime.definition import Runtime, ServiceDefinition


def _application(env: Mapping[str, str]) -> RegistryApplication:
    return RegistryApplication(env=env)


def _routers(_runtime: Runtime) -> Sequence[APIRouter]:
    return [
        auth.router,
        me.router,
        accounts.router,
        units.router,
        households.router,
        household_changes.router,
        persons.router,
        consents.router,
        access_log.router,
        vulnerable.router,
        presence.router,
        quality.router,
        corrections.router,
        imports.router,
        exports.router,
    ]


DEFINITION = ServiceDefinition(
    name="registry",
    title="Registry",
    application=_application,
    metadata=metadata,
    routers=_routers,
    publishes=("registry.units", "registry.households", "registry.accounts"),
    outbound=to_integration_events,
    projections=(LOOKUP, ACCOUNTS),
    session_check=session_check,
    issues_tokens=True,
    errors=REGISTRY_ERRORS,
    permissions=(RegistryPermission,),
    messages=MESSAGES,
    # Spreadsheet uploads may be larger: a commune's register of 10,000 rows.
    body_limits={"/api/v1/imports": 20_000_000},
    # Once a year (1 January in Vietnam), people age into and out of working age: recount.
    schedules=(AGE_BAND_RECOUNT,),
)
