"""A city's feedback configuration: its categories, their deadlines, its office hours and its own
days off. One per city, started from the defaults and edited by a city administrator; every change
is an event with who made it and why, so a deadline can always be traced to the rule in force."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from tothon_feedback.domain.calendar import DEFAULT_OFFICE_HOURS, OfficeHours, WorkingCalendar
from tothon_feedback.domain.categories import Category, CategoryRecord
from tothon_feedback.domain.defaults import DEFAULT_CATEGORIES
from tothon_feedback.domain.errors import CatalogueError, given


class CategoryCatalogue(Aggregate):
    """The categories (retired ones kept, for the cases filed under them), office hours and days off."""

    # Stable stored topics: events stay readable when modules move.
    TOPIC = "feedback:CategoryCatalogue:v1"

    class Created(Aggregate.Created):
        """The base of the aggregate's creation events (required once TOPIC is declared)."""

        TOPIC = "feedback:CategoryCatalogue.Created:v1"

    @staticmethod
    def create_id() -> UUID:
        # One catalogue per city (a deployment serves one city): establishing it twice conflicts.
        return uuid5(NAMESPACE_URL, "tothon:feedback:category-catalogue")

    @classmethod
    def establish(
        cls,
        actor: str,
        reason: str,
        categories: Iterable[Category] = DEFAULT_CATEGORIES,
        office_hours: OfficeHours = DEFAULT_OFFICE_HOURS,
    ) -> CategoryCatalogue:
        """Start the city's catalogue, from the defaults unless told otherwise."""
        given(reason)
        records = [category.as_record() for category in categories]
        if len({record["code"] for record in records}) != len(records):
            raise CatalogueError(code="duplicate_category")
        return cls(categories=records, office_hours=office_hours.as_record(), actor=actor, reason=reason)

    class Established(Created):
        """The catalogue was started with these categories and office hours."""

        TOPIC = "feedback:CategoryCatalogue.Established:v1"
        categories: list[CategoryRecord]
        office_hours: list[list[str]]
        actor: str
        reason: str

    @event(Established)
    def __init__(
        self, categories: list[CategoryRecord], office_hours: list[list[str]], actor: str, reason: str
    ) -> None:
        self.categories: dict[str, Category] = {}
        for record in categories:
            self.categories[record["code"]] = Category.from_record(record)
        self.retired: set[str] = set()
        self.office_hours = OfficeHours.from_record(office_hours)
        # A city's days off beyond the national holidays, each with why it was given.
        self.days_off: dict[date, str] = {}

    class Event(Aggregate.Event):
        """The base of the catalogue's other events: each says who changed it and why."""

        TOPIC = "feedback:CategoryCatalogue.Event:v1"
        actor: str
        reason: str

    # --- categories ---

    def category(self, code: str) -> Category:
        """The category ``code`` (retired or not: old cases keep theirs)."""
        found = self.categories.get(code)
        if found is None:
            raise CatalogueError(code="unknown_category")
        return found

    def offered(self, code: str) -> Category:
        """The category ``code`` for a new case: known and not retired."""
        found = self.category(code)
        if code in self.retired:
            raise CatalogueError(code="retired_category")
        return found

    def active_categories(self) -> list[Category]:
        """The categories offered to new cases, in the order they were added."""
        return [c for code, c in self.categories.items() if code not in self.retired]

    def add_category(self, category: Category, actor: str, reason: str) -> None:
        """Offer a new category."""
        given(reason)
        if category.code in self.categories:
            raise CatalogueError(code="duplicate_category")
        self._category_added(category=category.as_record(), actor=actor, reason=reason)

    class CategoryAdded(Event):
        """A category was added."""

        TOPIC = "feedback:CategoryCatalogue.CategoryAdded:v1"
        category: CategoryRecord

    @event(CategoryAdded)
    def _category_added(self, category: CategoryRecord, actor: str, reason: str) -> None:
        self.categories[category["code"]] = Category.from_record(category)

    def change_category(self, category: Category, actor: str, reason: str) -> bool:
        """Replace a category's names, level, kind or deadlines (cases already filed keep the
        deadlines they were given); whether anything changed."""
        given(reason)
        if self.offered(category.code) == category:
            return False
        self._category_changed(category=category.as_record(), actor=actor, reason=reason)
        return True

    class CategoryChanged(Event):
        """A category was changed; this is all of it now."""

        TOPIC = "feedback:CategoryCatalogue.CategoryChanged:v1"
        category: CategoryRecord

    @event(CategoryChanged)
    def _category_changed(self, category: CategoryRecord, actor: str, reason: str) -> None:
        self.categories[category["code"]] = Category.from_record(category)

    def retire_category(self, code: str, actor: str, reason: str) -> None:
        """Stop offering a category to new cases."""
        given(reason)
        self.offered(code)
        self._category_retired(code=code, actor=actor, reason=reason)

    class CategoryRetired(Event):
        """A category is no longer offered."""

        TOPIC = "feedback:CategoryCatalogue.CategoryRetired:v1"
        code: str

    @event(CategoryRetired)
    def _category_retired(self, code: str, actor: str, reason: str) -> None:
        self.retired.add(code)

    # --- working time ---

    def calendar(self) -> WorkingCalendar:
        """The working calendar deadlines are counted on now."""
        return WorkingCalendar(office_hours=self.office_hours, extra_days_off=frozenset(self.days_off))

    def add_day_off(self, day: date, actor: str, reason: str) -> None:
        """Give the city a day off beyond the national holidays (the reason says which)."""
        given(reason)
        if day in self.days_off:
            raise CatalogueError(code="day_off_exists")
        self._day_off_added(day=day, actor=actor, reason=reason)

    class DayOffAdded(Event):
        """The city does not work on ``day``."""

        TOPIC = "feedback:CategoryCatalogue.DayOffAdded:v1"
        day: date

    @event(DayOffAdded)
    def _day_off_added(self, day: date, actor: str, reason: str) -> None:
        self.days_off[day] = reason

    def remove_day_off(self, day: date, actor: str, reason: str) -> None:
        """Take back a day off the city had given."""
        given(reason)
        if day not in self.days_off:
            raise CatalogueError(code="day_off_unknown")
        self._day_off_removed(day=day, actor=actor, reason=reason)

    class DayOffRemoved(Event):
        """The city works on ``day`` after all."""

        TOPIC = "feedback:CategoryCatalogue.DayOffRemoved:v1"
        day: date

    @event(DayOffRemoved)
    def _day_off_removed(self, day: date, actor: str, reason: str) -> None:
        del self.days_off[day]

    def change_office_hours(self, office_hours: OfficeHours, actor: str, reason: str) -> bool:
        """Count working hours in other office hours from now on; whether they changed."""
        given(reason)
        if office_hours.as_record() == self.office_hours.as_record():
            return False
        self._office_hours_changed(office_hours=office_hours.as_record(), actor=actor, reason=reason)
        return True

    class OfficeHoursChanged(Event):
        """Working hours are counted in these periods from now on."""

        TOPIC = "feedback:CategoryCatalogue.OfficeHoursChanged:v1"
        office_hours: list[list[str]]

    @event(OfficeHoursChanged)
    def _office_hours_changed(self, office_hours: list[list[str]], actor: str, reason: str) -> None:
        self.office_hours = OfficeHours.from_record(office_hours)
