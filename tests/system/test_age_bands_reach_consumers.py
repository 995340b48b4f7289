"""The registry's ``HouseholdAgeBandsChanged`` travels on ``registry.households``, which the
communication, feedback and funds services consume: one that does not use it passes over it,
neither failing nor dead-lettering it, and keeps applying the events after it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from service_harness import PREFIX, ServiceHarness, registry_event
from sqlalchemy import func, select

from tothon_communication.bootstrap import DEFINITION as COMMUNICATION
from tothon_feedback.bootstrap import DEFINITION as FEEDBACK
from tothon_funds.bootstrap import DEFINITION as FUNDS
from tothon_shared.contracts.registry import HouseholdAgeBandsChanged, HouseholdMembershipChanged
from tothon_shared.runtime.definition import ServiceDefinition


@pytest.mark.parametrize("definition", [COMMUNICATION, FEEDBACK, FUNDS], ids=lambda d: d.name)
def test_a_consumer_passes_over_age_bands_and_applies_what_follows(
    definition: ServiceDefinition, tmp_path: Path
) -> None:
    harness = ServiceHarness(definition, tmp_path)
    try:
        group = harness.unit("residential_group", "Tổ dân phố 17", None)
        household = harness.household(group, "HO-001", members=2)
        bands = registry_event(
            HouseholdAgeBandsChanged,
            household,
            group,
            children=1,
            working_age=1,
            retired=0,
            unknown=0,
            on=date(2026, 11, 1),
        )
        joined = registry_event(
            HouseholdMembershipChanged,
            household,
            None,
            change="joined",
            reason="birth",
            member_count=3,
            on=date(2026, 11, 20),
        )
        harness.receive("registry.households", bands, joined)
        assert harness.bus.read_topic(f"{PREFIX}.registry.households.v1.dlq") == []
        households = harness.runtime.store.metadata.tables["directory_households"]
        with harness.runtime.store.engine.connect() as connection:
            counts = connection.execute(select(households.c.member_count)).scalars().all()
            assert connection.scalar(select(func.count()).select_from(households)) == 1
        assert counts == [3]
    finally:
        harness.close()
