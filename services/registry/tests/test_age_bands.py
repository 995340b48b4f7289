"""Age bands: a child until the 18th birthday, of working age until the retirement age of the
Labour Code 2019 art. 169 and Decree 135/2020 (by the year it is reached), retired from it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tothon_registry.domain.age_bands import (
    AgeBand,
    age_band,
    count_age_bands,
    plus_months,
    retirement_age,
    retirement_day,
)
from tothon_registry.domain.person_details import PersonDetails, Sex

CHILD, WORKING, RETIRED, UNKNOWN = AgeBand.CHILD, AgeBand.WORKING_AGE, AgeBand.RETIRED, AgeBand.UNKNOWN


def _years(months: int) -> tuple[int, int]:
    return divmod(months, 12)


def test_someone_turning_18_on_the_day_is_of_working_age_and_the_day_before_a_child() -> None:
    born = date(2008, 12, 5)
    assert age_band(born, "female", date(2026, 12, 5)) == WORKING
    assert age_band(born, "female", date(2026, 12, 4)) == CHILD


def test_born_on_29_february_one_is_18_on_28_february_of_a_common_year() -> None:
    assert age_band(date(2008, 2, 29), "male", date(2026, 2, 28)) == WORKING
    assert age_band(date(2008, 2, 29), "male", date(2026, 2, 27)) == CHILD


@pytest.mark.parametrize(
    ("sex", "born", "age", "reached"),
    [
        # Decree 135/2020, appendix I: the first and last months of birth of each year's age.
        (Sex.MALE, date(1960, 12, 1), (60, 0), date(2020, 12, 1)),  # reached before 2021: 60
        (Sex.MALE, date(1961, 1, 1), (60, 3), date(2021, 4, 1)),
        (Sex.MALE, date(1961, 9, 1), (60, 3), date(2021, 12, 1)),
        (Sex.MALE, date(1961, 10, 1), (60, 6), date(2022, 4, 1)),  # 60y3m would be reached in 2022
        (Sex.MALE, date(1962, 6, 1), (60, 6), date(2022, 12, 1)),
        (Sex.MALE, date(1964, 6, 15), (61, 3), date(2025, 9, 15)),
        (Sex.MALE, date(1966, 3, 1), (61, 9), date(2027, 12, 1)),
        (Sex.MALE, date(1966, 4, 1), (62, 0), date(2028, 4, 1)),  # 62 from 2028 on
        (Sex.MALE, date(1990, 7, 20), (62, 0), date(2052, 7, 20)),
        (Sex.FEMALE, date(1965, 12, 1), (55, 0), date(2020, 12, 1)),
        (Sex.FEMALE, date(1966, 1, 1), (55, 4), date(2021, 5, 1)),
        (Sex.FEMALE, date(1966, 8, 1), (55, 4), date(2021, 12, 1)),
        (Sex.FEMALE, date(1966, 9, 1), (55, 8), date(2022, 5, 1)),
        (Sex.FEMALE, date(1975, 4, 1), (59, 8), date(2034, 12, 1)),
        (Sex.FEMALE, date(1975, 5, 1), (60, 0), date(2035, 5, 1)),  # 60 from 2035 on
    ],
)
def test_the_retirement_age_is_the_one_of_the_year_it_is_reached(
    sex: Sex, born: date, age: tuple[int, int], reached: date
) -> None:
    assert _years(retirement_age(sex, born)) == age
    assert retirement_day(sex, born) == reached
    assert age_band(born, str(sex), reached - timedelta(days=1)) == WORKING
    assert age_band(born, str(sex), reached) == RETIRED


def test_with_only_a_birth_year_one_counts_as_born_on_1_july() -> None:
    assert age_band(2008, "male", date(2026, 6, 30)) == CHILD
    assert age_band(2008, "male", date(2026, 7, 1)) == WORKING
    # A man of 1964 (61 years 3 months): from 1 October 2025.
    assert age_band(1964, "male", date(2025, 9, 30)) == WORKING
    assert age_band(1964, "male", date(2025, 10, 1)) == RETIRED


def test_without_a_birth_the_band_is_unknown_and_without_a_sex_only_where_it_decides() -> None:
    on = date(2026, 12, 5)
    assert age_band(None, "male", on) == UNKNOWN
    assert age_band(None, None, on) == UNKNOWN
    assert age_band(date(2015, 1, 1), None, on) == CHILD
    assert age_band(date(1990, 1, 1), None, on) == WORKING
    assert age_band(date(1940, 1, 1), None, on) == RETIRED
    # Born on 1 January 1968: a woman retired in May 2024 (at 56 years 4 months), a man retires
    # in January 2030 (at 62): the sex decides.
    assert age_band(date(1968, 1, 1), None, on) == UNKNOWN
    assert age_band(date(1968, 1, 1), "female", on) == RETIRED
    assert age_band(date(1968, 1, 1), "male", on) == WORKING


def test_members_are_counted_by_band_with_every_band_named() -> None:
    on = date(2026, 12, 5)
    members = [
        PersonDetails("Võ Thành Nam", sex="male", birth_date=date(1988, 4, 12)),
        PersonDetails("Đặng Thị Lan", sex="female", birth_date=date(1990, 2, 1)),
        PersonDetails("Võ Minh Khôi", sex="male", birth_year=2015),
        None,  # erased
    ]
    assert count_age_bands(members, on) == {"children": 1, "working_age": 2, "retired": 0, "unknown": 1}
    assert count_age_bands([], on) == {"children": 0, "working_age": 0, "retired": 0, "unknown": 0}


births = st.dates(min_value=date(1890, 1, 1), max_value=date(2030, 12, 31))
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
sexes = st.sampled_from([str(s) for s in Sex])
ORDER = [CHILD, WORKING, RETIRED]


@given(births, sexes, days, days)
def test_a_person_only_ever_moves_from_child_to_working_age_to_retired(
    born: date, sex: str, one: date, other: date
) -> None:
    earlier, later = sorted((one, other))
    assert ORDER.index(age_band(born, sex, earlier)) <= ORDER.index(age_band(born, sex, later))


@given(births, sexes)
def test_everyone_is_of_working_age_from_their_18th_birthday(born: date, sex: str) -> None:
    adult = plus_months(born, 18 * 12)
    assert age_band(born, sex, adult) == WORKING
    assert age_band(born, sex, adult - timedelta(days=1)) == CHILD


@given(births)
def test_retirement_ages_stay_within_the_law_and_never_fall_for_the_younger(born: date) -> None:
    later = born + timedelta(days=31)
    for sex, lowest, highest in ((Sex.MALE, 60 * 12, 62 * 12), (Sex.FEMALE, 55 * 12, 60 * 12)):
        age = retirement_age(sex, born)
        assert lowest <= age <= highest
        assert retirement_age(sex, later) >= age
        # The age applying is the one of the year it is reached in.
        reached = retirement_day(sex, born).year
        expected = (
            lowest
            if reached <= 2020
            else min(highest, lowest + (3 if sex is Sex.MALE else 4) * (reached - 2020))
        )
        assert age == expected


@given(births, days)
def test_without_a_sex_the_band_is_the_one_both_sexes_share_or_unknown(born: date, on: date) -> None:
    male, female = age_band(born, "male", on), age_band(born, "female", on)
    assert age_band(born, None, on) == (male if male == female else UNKNOWN)
