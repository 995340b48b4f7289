"""Working time on Vietnam's calendar: deadlines in working days and working hours.

A deadline counts office hours only: weekends, Vietnam's public holidays (the ``holidays``
package: lunar Tết, Hùng Kings' day, the days off it substitutes and the Saturdays worked in
exchange) and a city's extra days off are skipped, and so are the nights and the lunch break.
A working day is the length of one day's office hours, so "one working day" from Friday 16:00 is
Monday 16:00, and a case that arrives after hours starts counting at the next opening.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from functools import cache

import holidays

from tothon_feedback.domain.errors import CalendarError
from tothon_shared.kernel.clock import VIETNAM

# Beyond this many days without a working day, counting stops (a calendar without any).
_HORIZON_DAYS = 3 * 366


@dataclass(frozen=True)
class OfficeHours:
    """The periods of a working day, in local time, earliest first (the lunch break between)."""

    periods: tuple[tuple[time, time], ...]
    zone: tzinfo = VIETNAM

    def __post_init__(self) -> None:
        if not self.periods:
            raise CalendarError(code="no_office_hours")
        previous_end: time | None = None
        for start, end in self.periods:
            if start >= end or (previous_end is not None and start < previous_end):
                raise CalendarError(code="office_hours_order")
            previous_end = end

    @property
    def day_length(self) -> timedelta:
        """How much working time one working day holds."""
        return sum((_span(start, end) for start, end in self.periods), timedelta())

    def as_record(self) -> list[list[str]]:
        """The periods as ``[["07:30", "11:30"], ...]`` (how events store them)."""
        return [[start.strftime("%H:%M"), end.strftime("%H:%M")] for start, end in self.periods]

    @classmethod
    def from_record(cls, record: Iterable[Iterable[str]]) -> OfficeHours:
        """The office hours stored by ``as_record``."""
        pairs = [tuple(time.fromisoformat(t) for t in period) for period in record]
        return cls(periods=tuple((start, end) for start, end in pairs))


def _span(start: time, end: time) -> timedelta:
    return datetime.combine(date.min, end) - datetime.combine(date.min, start)


# Public offices in Vietnam: mornings 07:30–11:30, afternoons 13:30–17:00 (a city sets its own).
DEFAULT_OFFICE_HOURS = OfficeHours(periods=((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0))))


class DeadlineStatus(StrEnum):
    """Where a case stands against its deadline at an instant (the work queue's column)."""

    ON_TIME = "on_time"
    DUE_TODAY = "due_today"
    LATE = "late"


def aware(at: datetime) -> datetime:
    """``at`` itself, refused without a time zone: a naive instant means something else on a
    server in UTC than in a ward office."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise CalendarError(code="naive_instant")
    return at


@cache
def _vietnam() -> holidays.HolidayBase:
    # One set for every calendar: a fresh one computes each year's lunar dates again (about a
    # millisecond a calendar); filling in a year twice from two threads gives the same days.
    return holidays.country_holidays("VN", language="vi")


@dataclass(frozen=True)
class WorkingCalendar:
    """Vietnam's working days with a city's own days off, and its office hours."""

    office_hours: OfficeHours = DEFAULT_OFFICE_HOURS
    extra_days_off: frozenset[date] = frozenset()
    # Vietnam's public holidays, years filled in as they are asked for.
    public_holidays: holidays.HolidayBase = field(default_factory=lambda: _vietnam(), compare=False)

    def is_working_day(self, day: date) -> bool:
        """Not a weekend (unless a Saturday worked in exchange), a public holiday or its observed or
        substituted day off, nor a day off the city added."""
        return day not in self.extra_days_off and self.public_holidays.is_working_day(day)

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The instant (in UTC) when ``duration`` of working time has passed since ``start``. A
        duration that ends exactly at a closing time ends there, not at the next opening."""
        local = aware(start).astimezone(self.office_hours.zone)
        remaining = duration
        day = local.date()
        for _ in range(_HORIZON_DAYS):
            if self.is_working_day(day):
                for opens, closes in self._periods(day):
                    if closes <= local:
                        continue
                    begin = max(opens, local)
                    if remaining <= closes - begin:
                        return (begin + remaining).astimezone(UTC)
                    remaining -= closes - begin
            day += timedelta(days=1)
        raise CalendarError(code="no_working_day")

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The instant ``hours`` working hours after ``start``."""
        return self.add_working_time(start, timedelta(hours=hours))

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The instant ``days`` working days after ``start``: the same point of the working day,
        that many working days later."""
        return self.add_working_time(start, days * self.office_hours.day_length)

    def status(self, due: datetime, now: datetime) -> DeadlineStatus:
        """On time, due today (local date) or late, at ``now`` (the clock is the caller's)."""
        if aware(now) > aware(due):
            return DeadlineStatus.LATE
        zone = self.office_hours.zone
        if now.astimezone(zone).date() == due.astimezone(zone).date():
            return DeadlineStatus.DUE_TODAY
        return DeadlineStatus.ON_TIME

    def _periods(self, day: date) -> list[tuple[datetime, datetime]]:
        zone = self.office_hours.zone
        return [
            (datetime.combine(day, opens, zone), datetime.combine(day, closes, zone))
            for opens, closes in self.office_hours.periods
        ]
