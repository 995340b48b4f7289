"""Age bands: whether a person is a child, of working age or past the retirement age on a day.

The natural-disaster prevention fund (Decree 78/2021) levies workers "từ đủ 18 tuổi đến tuổi
nghỉ hưu", so other services need each household's members counted by band, never their birth
dates. The retirement age is that of the Labour Code 2019 art. 169 and Decree 135/2020: before
2021 men retired at 60 and women at 55; from 2021 the age rises each year, by 3 months for men
(60 years 3 months in 2021) until 62 in 2028, by 4 months for women (55 years 4 months in 2021)
until 60 in 2035. A person's retirement age is the one of the calendar year in which they reach
it: the rule behind Decree 135/2020's table by month of birth (a man born in September 1961
reaches 60 years 3 months in December 2021 and retires at it; one born in October 1961 would
reach it in January 2022, whose age is 60 years 6 months, reached in April 2022).

Days, not months: a person is of working age from their 18th birthday and retired from the day
they reach their retirement age (the law ends their working life at the end of that month; for
a yearly levy the difference is a few days once in a life). A month without the birth day ends
on its last day (Civil Code 2015 art. 148): born on 29 February, 18 on 28 February.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tothon_registry.domain.person_details import PersonDetails, Sex

ADULT_MONTHS = 18 * 12
# Only a birth year known: counted as born on 1 July of it, the middle of the year, so that the
# error is at most half a year either way.
YEAR_ONLY_BIRTHDAY = (7, 1)


class AgeBand(StrEnum):
    """Where a person stands on a day: under 18, of working age, past the retirement age, or not
    known (no birth recorded, erased, or a sex unknown where it decides)."""

    CHILD = "child"
    WORKING_AGE = "working_age"
    RETIRED = "retired"
    UNKNOWN = "unknown"


# The fields the counts go by, in the household's events and the public contract.
BAND_FIELDS = {
    AgeBand.CHILD: "children",
    AgeBand.WORKING_AGE: "working_age",
    AgeBand.RETIRED: "retired",
    AgeBand.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class _RetirementRule:
    """One sex's retirement age: ``before`` (months) until 2020, then ``step`` months more each
    year from 2021 until ``final``."""

    before: int
    step: int
    final: int

    def age_in(self, year: int) -> int:
        """The retirement age (in months) of those who reach it in ``year``."""
        if year <= 2020:
            return self.before
        return min(self.final, self.before + self.step * (year - 2020))


_RULES = {
    Sex.MALE: _RetirementRule(before=60 * 12, step=3, final=62 * 12),
    Sex.FEMALE: _RetirementRule(before=55 * 12, step=4, final=60 * 12),
}


def plus_months(day: date, months: int) -> date:
    """The day ``months`` months after ``day``; the month's last day when it has no such day."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def retirement_age(sex: Sex, born: date) -> int:
    """The retirement age, in months, of a person of ``sex`` born on ``born``: the age of the
    first year in which they reach it."""
    rule = _RULES[sex]
    # No year before the one of reaching the lowest age can be it.
    year = plus_months(born, rule.before).year
    while plus_months(born, rule.age_in(year)).year > year:
        year += 1  # ends: past the final age, the day reached stays while the year moves on
    return rule.age_in(year)


def retirement_day(sex: Sex, born: date) -> date:
    """The day a person of ``sex`` born on ``born`` reaches their retirement age."""
    return plus_months(born, retirement_age(sex, born))


def age_band(birth: date | int | None, sex: str | None, on: date) -> AgeBand:
    """A person's band on ``on`` from their birth date (or only its year: counted as of 1 July)
    and sex. With the sex unknown, the band both sexes would have, when they agree (a child, a
    thirty-year-old, an eighty-year-old), else unknown."""
    if birth is None:
        return AgeBand.UNKNOWN
    born = birth if isinstance(birth, date) else date(birth, *YEAR_ONLY_BIRTHDAY)
    if on < plus_months(born, ADULT_MONTHS):
        return AgeBand.CHILD
    sexes = [Sex(sex)] if sex in set(Sex) else list(Sex)
    bands = {AgeBand.RETIRED if on >= retirement_day(s, born) else AgeBand.WORKING_AGE for s in sexes}
    return bands.pop() if len(bands) == 1 else AgeBand.UNKNOWN


def band_of(details: PersonDetails | None, on: date) -> AgeBand:
    """A member's band on ``on`` from what the register knows (nothing, once erased)."""
    if details is None:
        return AgeBand.UNKNOWN
    return age_band(details.birth_date or details.birth_year, details.sex, on)


def count_age_bands(members: Iterable[PersonDetails | None], on: date) -> dict[str, int]:
    """How many of these members are in each band on ``on``, every band named."""
    counts = dict.fromkeys(BAND_FIELDS.values(), 0)
    for details in members:
        counts[BAND_FIELDS[band_of(details, on)]] += 1
    return counts
