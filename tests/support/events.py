"""Integration events as the producers publish them, for tests of consumers and contracts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from types import SimpleNamespace

from tothon_shared.contracts.registry import HouseholdRegistered


def make_household_registered(code: str = "HO-001", member_count: int = 3) -> HouseholdRegistered:
    """A ``HouseholdRegistered`` event as the registry would publish it."""
    domain_event = SimpleNamespace(
        originator_id=uuid.uuid4(), originator_version=1, timestamp=datetime.now(UTC)
    )
    return HouseholdRegistered.from_domain_event(
        domain_event,
        producer="registry",
        correlation_id="c-1",
        unit_id=uuid.uuid4(),
        household_code=code,
        member_count=member_count,
        registered_on=date(2025, 8, 1),
    )
