"""Fixtures of the feedback domain's tests: a city's catalogue on its defaults, a unit tree of one
group under one ward under the city, and cases brought to each state of the workflow."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from uuid import UUID, uuid4

import pytest

from tothon_feedback.application import FeedbackApplication
from tothon_feedback.domain.case import FeedbackCase
from tothon_feedback.domain.catalogue import CategoryCatalogue
from tothon_feedback.domain.deadlines import DeadlineRule, deadlines_for
from tothon_feedback.domain.levels import Level
from tothon_feedback.domain.submission import Channel, Submission
from tothon_feedback.domain.workflow import CaseStatus
from tothon_shared.kernel.clock import VIETNAM

ADMIN = "account:city-admin"
RESIDENT = "account:resident"
OFFICIAL = "account:official"
# Monday 1 March 2027, 09:00 in Vietnam: an ordinary working morning.
MONDAY = datetime(2027, 3, 1, 9, tzinfo=VIETNAM)


class Units:
    """A group under a ward under a city department: the registry's tree, as the lookup the domain
    is handed."""

    def __init__(self) -> None:
        self.group, self.ward, self.city = uuid4(), uuid4(), uuid4()
        self.parents = {self.group: self.ward, self.ward: self.city}

    def parent(self, unit_id: UUID) -> UUID | None:
        return self.parents.get(unit_id)

    def unit(self, level: Level) -> UUID:
        return {Level.GROUP: self.group, Level.WARD: self.ward, Level.CITY: self.city}[level]


class Cases:
    """Cases of a category, filed by the resident at their group and taken to any state."""

    def __init__(self, catalogue: CategoryCatalogue, units: Units) -> None:
        self.catalogue, self.units = catalogue, units

    def rule(self, code: str = "sanitation") -> DeadlineRule:
        return deadlines_for(self.catalogue.category(code), self.catalogue.calendar())

    def submit(self, code: str = "sanitation", at: datetime = MONDAY) -> FeedbackCase:
        submission = Submission(
            RESIDENT, RESIDENT, Channel.ONLINE, "Rác ùn ứ đầu hẻm", self.units.group, Level.GROUP
        )
        category = self.catalogue.offered(code)
        return FeedbackCase.submit(uuid4(), submission, category, at, self.units.parent, self.rule(code))

    def in_status(self, status: CaseStatus, code: str = "sanitation") -> FeedbackCase:
        """A case brought to ``status`` by the ordinary steps."""
        case = self.submit(code)
        steps: dict[CaseStatus, Callable[[FeedbackCase], None]] = {
            CaseStatus.ACCEPTED: self._accept,
            CaseStatus.IN_PROGRESS: self._start,
            CaseStatus.RESOLVED: self._resolve,
            CaseStatus.CLOSED: self._close,
            CaseStatus.REJECTED: lambda c: c.reject(OFFICIAL, "Không thuộc phạm vi", MONDAY),
            CaseStatus.MERGED: lambda c: c.merge_into(uuid4(), OFFICIAL, "Trùng phản ánh", MONDAY),
        }
        if status in steps:
            steps[status](case)
        assert case.status is status
        return case

    @staticmethod
    def _accept(case: FeedbackCase) -> None:
        case.accept(OFFICIAL, MONDAY)

    @classmethod
    def _start(cls, case: FeedbackCase) -> None:
        cls._accept(case)
        case.start(OFFICIAL, MONDAY)

    @classmethod
    def _resolve(cls, case: FeedbackCase) -> None:
        cls._accept(case)
        case.resolve(OFFICIAL, MONDAY, "Đã thu gom rác", ["sha256:ab12"])

    @classmethod
    def _close(cls, case: FeedbackCase) -> None:
        cls._resolve(case)
        case.close(RESIDENT, MONDAY, 5)


@pytest.fixture
def catalogue() -> CategoryCatalogue:
    return CategoryCatalogue.establish(ADMIN, "Danh mục mặc định của thành phố")


@pytest.fixture
def units() -> Units:
    return Units()


@pytest.fixture
def cases(catalogue: CategoryCatalogue, units: Units) -> Cases:
    return Cases(catalogue, units)


@pytest.fixture
def feedback() -> Iterator[FeedbackApplication]:
    app = FeedbackApplication()  # eventsourcing's in-memory store: the fake of SQLite and PostgreSQL
    yield app
    app.close()
