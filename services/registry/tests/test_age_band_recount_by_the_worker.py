"""The registry's worker recounts every household's age bands once a year, on 1 January in
Vietnam, on a clock the test sets: people turn 18 or reach their retirement age without any
event, and only the households whose counts changed are told again."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from run_apart import run_apart

from tothon_registry import age_band_watch
from tothon_registry.application import NewMember, RegistryApplication
from tothon_registry.domain.person import PersonDetails
from tothon_registry.domain.unit import UnitKind
from tothon_registry.integration.outbound import to_integration_events
from tothon_shared.contracts.registry import HouseholdAgeBandsChanged
from tothon_shared.eventstore.notification_log import NotificationLog
from tothon_shared.runtime.service import ServiceRuntime

# 17:30 UTC on New Year's Eve is 00:30 on 1 January 2027 in Vietnam.
NEW_YEAR_IN_VIETNAM = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)


def _app(runtime: ServiceRuntime) -> RegistryApplication:
    app = runtime.app
    assert isinstance(app, RegistryApplication)
    return app


@pytest.fixture
def group(runtime: ServiceRuntime) -> UUID:
    """Tổ dân phố 17 in Phường Hải Châu."""
    app, day = _app(runtime), date(2025, 7, 1)
    city = app.establish_unit(UnitKind.PROVINCE, "Thành phố Đà Nẵng", "48", "vn-2025", None, day)
    ward = app.establish_unit(UnitKind.WARD, "Phường Hải Châu", "20242", "vn-2025", city, day)
    return app.establish_unit(UnitKind.RESIDENTIAL_GROUP, "Tổ dân phố 17", None, None, ward, day)


def _household(runtime: ServiceRuntime, group: UUID, code: str, child_born: date) -> UUID:
    members = [
        NewMember("head", PersonDetails("Võ Thành Nam", sex="male", birth_date=date(1980, 4, 12)), []),
        NewMember("child", PersonDetails("Võ Minh Khôi", sex="male", birth_date=child_born), []),
    ]
    return _app(runtime).register_household(group, f"HO-{code}", members, date(2026, 11, 1))


def _recount_at(runtime: ServiceRuntime, now: datetime) -> int:
    for projector in runtime.projectors:
        projector.catch_up()
    runtime.clock = lambda: now
    return run_apart(runtime.run_schedules(force=True))


def _told(runtime: ServiceRuntime) -> list[tuple[UUID, date, int, int]]:
    return [
        (e.subject_id, e.on, e.children, e.working_age)
        for logged in NotificationLog(runtime.app).read(0, 10_000)
        for e in to_integration_events(logged.event, logged.context)
        if isinstance(e, HouseholdAgeBandsChanged)
    ]


def test_on_new_years_day_in_vietnam_the_households_whose_bands_changed_are_told_once(
    runtime: ServiceRuntime, group: UUID
) -> None:
    turning_18 = _household(runtime, group, "1", date(2008, 12, 20))
    still_a_child = _household(runtime, group, "2", date(2015, 9, 1))
    adult_in_march = _household(runtime, group, "3", date(2009, 3, 15))
    registered = len(_told(runtime))

    assert _recount_at(runtime, NEW_YEAR_IN_VIETNAM) == 1
    assert _told(runtime)[registered:] == [(turning_18, date(2027, 1, 1), 0, 2)]
    assert _recount_at(runtime, NEW_YEAR_IN_VIETNAM) == 0  # done for the year
    # In June the March birthday has passed, but the year's recount is done: nothing until 2028.
    assert _recount_at(runtime, datetime(2027, 6, 1, 3, tzinfo=UTC)) == 0
    assert _recount_at(runtime, datetime(2027, 12, 31, 17, 5, tzinfo=UTC)) == 1
    assert _told(runtime)[registered + 1 :] == [(adult_in_march, date(2028, 1, 1), 0, 2)]
    assert still_a_child not in {subject for subject, *_ in _told(runtime)[registered:]}


def test_the_recount_waits_for_the_list_of_households_to_catch_up(
    runtime: ServiceRuntime, group: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(age_band_watch, "LOOKUP_LAG", 0)
    _household(runtime, group, "1", date(2008, 12, 20))
    runtime.clock = lambda: NEW_YEAR_IN_VIETNAM
    assert run_apart(runtime.run_schedules(force=True)) == 0  # the household is not listed yet
    assert not _app(runtime).age_bands_recounted(2027)
    assert _recount_at(runtime, NEW_YEAR_IN_VIETNAM) == 1
    assert _app(runtime).age_bands_recounted(2027)


def test_the_households_are_read_a_page_at_a_time(runtime: ServiceRuntime, group: UUID) -> None:
    ids = [_household(runtime, group, str(n), date(2015, 9, 1)) for n in range(5)]
    for projector in runtime.projectors:
        projector.catch_up()
    pages = list(age_band_watch.household_batches(runtime.store, size=2))
    assert [len(page) for page in pages] == [2, 2, 1]
    assert sorted(i for page in pages for i in page) == sorted(ids)
