"""A household's members by age band: told to the other services at registration and whenever
members come and go, their birth or sex is corrected or one is erased, and only when the counts
changed; counts as of a day, never a birth date."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from tothon_registry.application import NewMember, RegistryApplication
from tothon_registry.domain.household import Household, JoinReason, LeaveReason, Member
from tothon_registry.domain.person import ErasureReason, PersonDetails
from tothon_registry.integration.outbound import to_integration_events
from tothon_shared.contracts.registry import HouseholdAgeBandsChanged
from tothon_shared.eventstore.notification_log import NotificationLog
from tothon_shared.kernel.clock import today

DAY = date(2026, 11, 1)
Bands = tuple[UUID, date, int, int, int, int]


def _member(
    name: str, relationship: str, sex: str | None = None, born: date | int | None = None
) -> NewMember:
    birth = {"birth_date": born} if isinstance(born, date) else {"birth_year": born}
    return NewMember(relationship, PersonDetails(full_name=name, sex=sex, **birth), [])


FAMILY = [
    _member("Võ Thành Nam", "head", "male", date(1964, 6, 15)),  # retired from 15 September 2025
    _member("Đặng Thị Lan", "spouse", "female", date(1975, 3, 8)),
    _member("Võ Minh Khôi", "child", "male", date(2008, 12, 20)),  # 18 on 20 December 2026
    _member("Võ Thị Hoa", "grandparent"),  # nothing known
]


def _announced(app: RegistryApplication) -> list[HouseholdAgeBandsChanged]:
    return [
        e
        for logged in NotificationLog(app).read(0, 10_000)
        for e in to_integration_events(logged.event, logged.context)
        if isinstance(e, HouseholdAgeBandsChanged)
    ]


def _bands(app: RegistryApplication) -> list[Bands]:
    return [(e.subject_id, e.on, e.children, e.working_age, e.retired, e.unknown) for e in _announced(app)]


def _ids(app: RegistryApplication, household: UUID) -> dict[str, UUID]:
    return {
        app.get_person(m.person_id).details.full_name: m.person_id  # type: ignore[union-attr]
        for m in app.get_household(household).members
    }


def test_a_household_restates_its_age_bands_only_when_they_changed() -> None:
    nam, khoi = PersonDetails("Nam", sex="male", birth_year=1980), PersonDetails("Khôi", birth_year=2010)
    household = Household.register(
        uuid4(), "HO-1", [Member(uuid4(), "head"), Member(uuid4(), "child")], DAY, None, [nam, khoi]
    )
    assert household.age_bands == {"children": 1, "working_age": 1, "retired": 0, "unknown": 0}
    assert not household.count_age_bands([nam, khoi], date(2027, 1, 1))  # nobody changed band
    assert household.count_age_bands([nam, khoi], date(2028, 7, 1))  # Khôi is 18
    counted = household.collect_events()[-1]
    assert isinstance(counted, Household.AgeBandsCounted)
    assert (counted.on, counted.children, counted.working_age) == (date(2028, 7, 1), 0, 2)
    # Never back in time: counted as of the later day, the same counts, nothing said.
    assert not household.count_age_bands([nam, khoi], date(2027, 1, 1))


def test_a_household_without_details_given_counts_its_members_unknown() -> None:
    household = Household.register(uuid4(), "HO-1", [Member(uuid4(), "head")], DAY)
    assert household.age_bands == {"children": 0, "working_age": 0, "retired": 0, "unknown": 1}


def test_registration_announces_the_age_bands_as_of_its_day_and_never_a_birth_date(
    registry: RegistryApplication, group: UUID
) -> None:
    home = registry.register_household(group, "HO-001", FAMILY, DAY)
    assert _bands(registry) == [(home, DAY, 1, 1, 1, 1)]
    [event] = _announced(registry)
    assert event.unit_id == group
    text = event.model_dump_json()
    assert "birth" not in text
    for born in ("1964-06-15", "1975-03-08", "2008-12-20"):
        assert born not in text


def test_members_joining_leaving_and_splitting_off_restate_the_bands_of_both_households(
    registry: RegistryApplication, group: UUID
) -> None:
    home = registry.register_household(group, "HO-001", FAMILY, DAY)
    baby = _member("Võ Minh Khang", "grandchild", "male", date(2026, 11, 20))
    registry.add_member(home, baby, JoinReason.BIRTH, date(2026, 11, 20))
    people = _ids(registry, home)
    registry.change_head(  # a new head: the same people, nothing to restate
        home,
        people["Đặng Thị Lan"],
        {p: "other" for n, p in people.items() if n != "Đặng Thị Lan"},
        date(2026, 11, 25),
    )
    registry.remove_member(home, people["Võ Thị Hoa"], LeaveReason.DIED, date(2026, 11, 28))
    new = registry.split_household(home, "HO-002", people["Võ Minh Khôi"], {}, date(2026, 12, 28))
    assert _bands(registry)[1:] == [
        (home, date(2026, 11, 20), 2, 1, 1, 1),  # the baby born
        (home, date(2026, 11, 28), 2, 1, 1, 0),  # the one of whom nothing is known died
        (home, date(2026, 12, 28), 1, 1, 1, 0),
        (new, date(2026, 12, 28), 0, 1, 0, 0),  # Khôi, 18 since the 20th, heads his own household
    ]


def test_correcting_a_birth_or_a_sex_restates_the_bands_when_they_change(
    registry: RegistryApplication, group: UUID
) -> None:
    # Bands that stay the same for years, whatever day the test runs (corrections count as of today).
    family = [
        _member("Võ Thành Nam", "head", "male", date(1980, 4, 12)),
        _member("Đặng Thị Lan", "spouse", "female", date(1985, 3, 8)),
        _member("Võ Minh Khôi", "child", "male", date(2015, 9, 1)),
        _member("Võ Thị Hoa", "grandparent"),
    ]
    home = registry.register_household(group, "HO-001", family, DAY)
    people = _ids(registry, home)

    def correct(name: str, changes: dict[str, object]) -> None:
        correction = registry.propose_correction(
            people[name], changes, "Sai so với căn cước", "ward_official"
        )
        assert registry.decide_correction(correction, True, "Đã đối chiếu")

    correct("Võ Thị Hoa", {"full_name": "Võ Thị Hoà"})  # not what bands go by
    correct("Võ Thị Hoa", {"birth_year": 1950})  # a woman of unknown sex born in 1950: retired either way
    correct("Võ Thị Hoa", {"sex": "female"})  # the same band
    correct("Đặng Thị Lan", {"birth_date": date(1955, 3, 8)})  # retired long ago
    assert _bands(registry) == [
        (home, DAY, 1, 2, 0, 1),
        (home, today(), 1, 2, 1, 0),
        (home, today(), 1, 1, 2, 0),
    ]


def test_erasing_a_member_makes_their_band_unknown(registry: RegistryApplication, group: UUID) -> None:
    home = registry.register_household(group, "HO-001", FAMILY, DAY)
    people = _ids(registry, home)
    registry.erase_person(people["Võ Thị Hoa"], ErasureReason.SUBJECT_REQUEST, date(2026, 12, 1))
    assert len(_bands(registry)) == 1  # nothing was known of her: the counts stand
    registry.erase_person(people["Đặng Thị Lan"], ErasureReason.SUBJECT_REQUEST, date(2026, 12, 2))
    assert _bands(registry)[1:] == [(home, date(2026, 12, 2), 1, 0, 1, 2)]


def test_the_yearly_recount_restates_only_households_whose_bands_changed_and_only_once(
    registry: RegistryApplication, group: UUID
) -> None:
    home = registry.register_household(group, "HO-001", FAMILY, DAY)  # Khôi turns 18 in December
    couple = [
        _member("Phan Văn Tý", "head", "male", date(1980, 1, 1)),
        _member("Lê Thị Bé", "spouse", "female", 1985),
    ]
    steady = registry.register_household(group, "HO-002", couple, DAY)
    later = registry.register_household(group, "HO-003", FAMILY, date(2027, 2, 1))
    new_year = date(2027, 1, 1)

    assert registry.recount_age_bands(new_year, [[home, steady], [later]]) == (3, 1)
    assert _bands(registry)[3:] == [(home, new_year, 0, 2, 1, 1)]  # HO-003 counted since: as it was
    assert registry.recount_age_bands(new_year, [[home, steady], [later]]) == (3, 0)
    assert len(_bands(registry)) == 4
