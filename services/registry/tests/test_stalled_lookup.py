"""An event the registry's lookup tables cannot take no longer stops them: it is set aside with
the alarm raised, and everything registered after it is shown."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from registry_world import HEAD, World
from registry_world import family as family_world

from tothon_registry.domain.household import Household
from tothon_shared.runtime.service import ServiceRuntime


@pytest.fixture
def family(runtime: ServiceRuntime, api: TestClient) -> World:
    return family_world(runtime, api)


def test_a_household_the_lookup_tables_cannot_take_is_set_aside_and_the_register_goes_on(
    family: World,
) -> None:
    runtime = family.runtime
    lookup = runtime.projectors[0]
    lookup.retry_delay = 0
    # As a bug of an older version let through: a household without a head.
    headless = Household(
        unit_id=family.group,
        code="HO-LOI",
        members=[{"person_id": uuid4(), "relationship": "spouse"}],
        registered_on=date(2025, 8, 1),
    )
    family.app.save(headless)
    later = family.register("HO-002", [{**HEAD, "full_name": "Phan Văn Tư", "citizen_id": None}])
    for _ in range(3):  # the worker's rounds: three attempts, then it is set aside
        asyncio.run(runtime.work_once())

    shown = family.api.get(f"/api/v1/households/{later}", headers=family.clients["ward"])
    assert shown.status_code == 200, shown.text
    assert [m["full_name"] for m in shown.json()["members"]] == ["Phan Văn Tư"]
    ready = family.api.get("/readyz").json()
    assert ready["status"] == "degraded"
    assert ready["alarms"] == [{"alarm": "projection_failures", "projection": "registry-lookup", "parked": 1}]
    (parked,) = lookup.listed()
    assert (parked.originator_id, parked.topic) == (str(headless.id), "registry:HouseholdRegistered:v1")

    assert lookup.skip(parked.failure_id, "it.danang", "hộ đăng ký lỗi, đã đăng ký lại") == 0
    assert family.api.get("/readyz").json()["status"] == "ready"
