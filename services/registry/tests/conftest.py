"""Fixtures of the registry's tests: the application on the in-memory store, and its HTTP API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.utils import get_topic
from fastapi.testclient import TestClient

from tothon_registry.application import RegistryApplication
from tothon_registry.bootstrap import DEFINITION
from tothon_registry.domain.unit import UnitKind
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.eventstore.environment import PERSONAL_DATA_KEY, SUBJECT_KEYS_URL, ContextMapper
from tothon_shared.http.web import create_service_api
from tothon_shared.privacy.keys import new_master_key
from tothon_shared.runtime.process import make_transport
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[RegistryApplication]:
    """The registry on the in-memory event store (the fake of the real stores); its persons' keys
    in a SQLite file under a fresh master key."""
    app = RegistryApplication(
        env={
            "MAPPER_TOPIC": get_topic(ContextMapper),
            SUBJECT_KEYS_URL: f"sqlite:///{tmp_path / 'keys.sqlite'}",
            PERSONAL_DATA_KEY: new_master_key(),
        }
    )
    yield app
    app.close()


@pytest.fixture
def group(registry: RegistryApplication) -> UUID:
    """Tổ dân phố 17 in Phường Hải Châu."""
    city = registry.establish_unit(
        UnitKind.PROVINCE, "Thành phố Đà Nẵng", "48", "vn-2025", None, date(2025, 7, 1)
    )
    ward = registry.establish_unit(
        UnitKind.WARD, "Phường Hải Châu", "20242", "vn-2025", city, date(2025, 7, 1)
    )
    return registry.establish_unit(
        UnitKind.RESIDENTIAL_GROUP, "Tổ dân phố 17", None, None, ward, date(2025, 7, 1)
    )


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[ServiceRuntime]:
    """The registry's runtime on SQLite files, as in the embedded mode."""
    settings = Settings(data_dir=tmp_path)
    runtime = ServiceRuntime(DEFINITION, settings, make_transport(settings, "registry"))
    yield runtime
    runtime.close()


@pytest.fixture
def api(runtime: ServiceRuntime) -> TestClient:
    """The registry's HTTP API."""
    return TestClient(create_service_api(runtime), raise_server_exceptions=False)


OFFICIAL_PASSWORD = "mật-khẩu-kiểm-thử-2026"


@pytest.fixture
def city(runtime: ServiceRuntime) -> UUID:
    """Thành phố Đà Nẵng, established directly through the application."""
    app = runtime.app
    assert isinstance(app, RegistryApplication)
    return app.establish_unit(UnitKind.PROVINCE, "Thành phố Đà Nẵng", "48", "vn-2025", None, date(2025, 7, 1))


@pytest.fixture
def official_api(runtime: ServiceRuntime, api: TestClient, city: UUID) -> TestClient:
    """The API as a city IT administrator who is also a ward official over the whole city."""
    app = runtime.app
    assert isinstance(app, RegistryApplication)
    account = app.open_account("tester", "Người kiểm thử", OFFICIAL_PASSWORD, None, "setup")
    root = Principal(UUID(int=0), "setup", "setup", (Grant(Role.CITY_IT_ADMIN, city),))
    for role in (Role.CITY_IT_ADMIN, Role.WARD_OFFICIAL):
        app.assign_role(root, account, role, city, "kiểm thử")
    runtime.projectors[0].catch_up()  # the read model knows the city
    session = api.post("/api/v1/auth/sign-in", json={"username": "tester", "password": OFFICIAL_PASSWORD})
    api.headers["Authorization"] = f"Bearer {session.json()['access_token']}"
    return api
