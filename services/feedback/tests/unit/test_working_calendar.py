"""Working time on Vietnam's calendar: real dates from the holidays package, the clock a parameter."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from tothon_feedback.domain.calendar import DeadlineStatus, OfficeHours, WorkingCalendar
from tothon_feedback.domain.errors import CalendarError
from tothon_shared.kernel.clock import VIETNAM

CALENDAR = WorkingCalendar()


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


def test_the_package_gives_tet_2027_from_the_29th_to_the_fifth_day() -> None:
    # Lunar New Year 2027 is Saturday 6 February; the break runs Thursday 4 to Wednesday 10.
    days = [date(2027, 2, d) for d in range(3, 12)]
    assert [CALENDAR.is_working_day(d) for d in days] == [True] + [False] * 7 + [True]


def test_a_case_filed_on_the_friday_before_tet_2027_is_due_after_the_break() -> None:
    friday = local(2027, 2, 5, 9)  # Lunar New Year's Eve: a day off, counting starts on the 11th
    assert CALENDAR.add_working_days(friday, 1) == local(2027, 2, 11, 17)
    assert CALENDAR.add_working_days(friday, 3) == local(2027, 2, 15, 17)  # Thu, Fri, Mon
    assert CALENDAR.add_working_hours(friday, 4) == local(2027, 2, 11, 11, 30)


def test_eight_working_hours_from_the_last_afternoon_before_tet_end_after_the_break() -> None:
    last_day = local(2027, 2, 3, 16)  # one hour left that day, seven after the break
    assert CALENDAR.add_working_hours(last_day, 8) == local(2027, 2, 11, 16, 30)


def test_a_week_before_tet_three_working_days_end_before_the_break() -> None:
    assert CALENDAR.add_working_days(local(2027, 1, 29, 10), 3) == local(2027, 2, 3, 10)


def test_a_city_day_off_moves_the_due_date() -> None:
    friday = local(2027, 3, 26, 10)
    assert CALENDAR.add_working_days(friday, 1) == local(2027, 3, 29, 10)
    # The city gives Monday 29 March (its liberation day) off: the deadline moves to Tuesday.
    with_day_off = WorkingCalendar(extra_days_off=frozenset({date(2027, 3, 29)}))
    assert with_day_off.add_working_days(friday, 1) == local(2027, 3, 30, 10)


def test_working_hours_skip_the_lunch_break() -> None:
    assert CALENDAR.add_working_hours(local(2027, 3, 1, 10, 30), 2) == local(2027, 3, 1, 14, 30)


def test_working_hours_skip_the_night_and_the_weekend() -> None:
    assert CALENDAR.add_working_hours(local(2027, 3, 1, 16), 2) == local(2027, 3, 2, 8, 30)
    assert CALENDAR.add_working_hours(local(2027, 3, 5, 16), 2) == local(2027, 3, 8, 8, 30)


def test_working_time_that_ends_at_closing_ends_that_day() -> None:
    assert CALENDAR.add_working_hours(local(2027, 3, 1, 16), 1) == local(2027, 3, 1, 17)
    assert CALENDAR.add_working_days(local(2027, 3, 6, 20), 1) == local(2027, 3, 8, 17)  # filed Saturday


def test_a_due_time_is_an_instant_in_utc() -> None:
    due = CALENDAR.add_working_hours(local(2027, 3, 1, 7, 30), 1)
    assert due.tzinfo is UTC
    assert due == datetime(2027, 3, 1, 1, 30, tzinfo=UTC)


def test_a_saturday_worked_in_exchange_counts_and_the_day_off_for_it_does_not() -> None:
    # 2026: Saturday 22 August is worked so that Monday 31 August joins the National Day break.
    assert CALENDAR.is_working_day(date(2026, 8, 22))
    assert not CALENDAR.is_working_day(date(2026, 8, 31))
    assert CALENDAR.add_working_hours(local(2026, 8, 21, 16), 2) == local(2026, 8, 22, 8, 30)


def test_an_observed_holiday_is_not_a_working_day() -> None:
    # Hùng Kings' day 2026 falls on a Sunday and is observed on Monday 27 April.
    assert not CALENDAR.is_working_day(date(2026, 4, 27))
    assert CALENDAR.is_working_day(date(2026, 4, 28))


def test_office_hours_are_configuration() -> None:
    hours = OfficeHours(periods=((time(8), time(12)), (time(13), time(17))))
    assert hours.day_length == timedelta(hours=8)
    calendar = WorkingCalendar(office_hours=hours)
    assert calendar.add_working_hours(local(2027, 3, 1, 11), 2) == local(2027, 3, 1, 14)
    assert OfficeHours.from_record(hours.as_record()) == hours


@pytest.mark.parametrize(
    "periods",
    [(), ((time(13), time(12)),), ((time(8), time(12)), (time(11), time(17)))],
    ids=["none", "backwards", "overlapping"],
)
def test_office_hours_that_make_no_working_day_are_refused(periods: tuple[tuple[time, time], ...]) -> None:
    with pytest.raises(CalendarError):
        OfficeHours(periods=periods)


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(CalendarError) as refused:
        CALENDAR.add_working_days(datetime(2027, 3, 1, 9), 1)  # naive: the point of the test
    assert refused.value.code == "naive_instant"


def test_deadline_status_is_on_time_due_today_or_late_at_the_given_instant() -> None:
    due = local(2027, 3, 2, 16)
    assert CALENDAR.status(due, local(2027, 3, 1, 16)) is DeadlineStatus.ON_TIME
    assert CALENDAR.status(due, local(2027, 3, 2, 8)) is DeadlineStatus.DUE_TODAY
    assert CALENDAR.status(due, due) is DeadlineStatus.DUE_TODAY
    assert CALENDAR.status(due, local(2027, 3, 2, 16, 1)) is DeadlineStatus.LATE


def test_due_today_is_the_day_in_vietnam_not_in_utc() -> None:
    due = local(2027, 3, 2, 9)
    just_after_midnight = local(2027, 3, 2, 0, 30)  # still 1 March in UTC
    assert just_after_midnight.astimezone(UTC).day == 1
    assert CALENDAR.status(due, just_after_midnight) is DeadlineStatus.DUE_TODAY
