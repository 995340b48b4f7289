"""A service's FastAPI app on SQLite, fed registry events as its worker would be: what the API
tests of the services that consume the registry (funds, feedback) stand on."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from fastapi.testclient import TestClient
from run_apart import run_apart

from tothon_shared.auth.http import token_issuer_for
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import HouseholdRegistered, UnitEstablished
from tothon_shared.http.web import create_service_api
from tothon_shared.messaging.local_bus import LocalLogBus
from tothon_shared.messaging.message import encode
from tothon_shared.runtime.definition import ServiceDefinition
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings

PREFIX = "tothon"


def registry_event(
    contract: type[IntegrationEvent], subject: uuid.UUID, unit: uuid.UUID | None, **fields: Any
) -> Any:
    """A registry contract about ``subject`` as the registry's relay would publish it."""
    domain_event = SimpleNamespace(originator_id=subject, originator_version=1, timestamp=datetime.now(UTC))
    return contract.from_domain_event(
        domain_event, producer="registry", correlation_id="c", unit_id=unit, **fields
    )


class ServiceHarness:
    """One service on SQLite: its API through a test client, registry events delivered to its
    inbox, its projections run to the end after each delivery (``project``)."""

    def __init__(self, definition: ServiceDefinition, tmp_path: Path, **settings: Any) -> None:
        self.settings = Settings(data_dir=tmp_path, **settings)
        self.bus = LocalLogBus(tmp_path / "bus.sqlite")
        self.runtime = ServiceRuntime(definition, self.settings, self.bus)
        self.client = TestClient(create_service_api(self.runtime), raise_server_exceptions=False)

    def receive(self, channel: str, *events: IntegrationEvent) -> None:
        topic = f"{PREFIX}.{channel}.v1"
        run_apart(self.bus.publish([encode(e, topic, {}) for e in events]))
        run_apart(self.runtime.inbox.handle_batch(self.bus.read_topic(topic)))
        self.project()

    def project(self) -> None:
        """Run every projection until it has caught up with the event store."""
        for projector in self.runtime.projectors:
            while projector.run_once():
                pass

    def unit(self, kind: str, name: str, parent: uuid.UUID | None) -> uuid.UUID:
        unit_id = uuid.uuid4()
        established = registry_event(
            UnitEstablished,
            unit_id,
            unit_id,
            kind=kind,
            name=name,
            parent_id=parent,
            effective_from=date(2025, 7, 1),
        )
        self.receive("registry.units", established)
        return unit_id

    def household(self, unit: uuid.UUID, code: str, members: int = 3) -> uuid.UUID:
        household_id = uuid.uuid4()
        registered = registry_event(
            HouseholdRegistered,
            household_id,
            unit,
            household_code=code,
            member_count=members,
            registered_on=date(2026, 11, 1),
        )
        self.receive("registry.households", registered)
        return household_id

    def principal(self, role: Role, unit: uuid.UUID, household: uuid.UUID | None = None) -> Principal:
        grants = (Grant(role, unit),)
        return Principal(uuid.uuid4(), f"s-{uuid.uuid4()}", "Cán bộ", grants, household_id=household)

    def as_(self, role: Role, unit: uuid.UUID, household: uuid.UUID | None = None) -> Principal:
        """Call as a new account holding ``role`` at ``unit`` (bound to ``household``)."""
        return self.as_principal(self.principal(role, unit, household))

    def as_principal(self, principal: Principal) -> Principal:
        token = token_issuer_for(self.settings).issue(principal)
        self.client.headers["Authorization"] = f"Bearer {token}"
        return principal

    def close(self) -> None:
        self.client.close()
        self.runtime.close()
        self.bus.close()
