"""The city's category catalogue: defaults as data, every change an event with actor and reason."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from tothon_feedback.application import FeedbackApplication
from tothon_feedback.domain.calendar import OfficeHours
from tothon_feedback.domain.catalogue import CategoryCatalogue
from tothon_feedback.domain.categories import Category, Deadline
from tothon_feedback.domain.errors import CatalogueError, ReasonRequiredError
from tothon_feedback.domain.levels import Level
from tothon_shared.kernel.clock import VIETNAM

ADMIN = "account:city-admin"


def test_the_defaults_name_a_competent_level_and_deadlines_per_category(catalogue: CategoryCatalogue) -> None:
    sanitation, policy = catalogue.offered("sanitation"), catalogue.offered("policy")
    assert (sanitation.name_vi, sanitation.level) == ("Vệ sinh môi trường, rác thải", Level.GROUP)
    assert policy.level is Level.CITY
    # Đà Nẵng's hotline rules: urgent within 1 working day, checked on site within 3.
    assert catalogue.offered("disaster").deadline_at(Level.WARD) == Deadline(accept_hours=4, resolve_days=1)
    assert catalogue.offered("epidemic").deadline_at(Level.CITY).resolve_days == 1
    for code in ("infrastructure", "sanitation", "security", "urban_order"):
        assert catalogue.offered(code).deadline_at(Level.CITY) == Deadline(accept_hours=8, resolve_days=3)


def test_complaints_and_denunciations_are_categories_of_a_formal_procedure(
    catalogue: CategoryCatalogue,
) -> None:
    formal = {c.code for c in catalogue.active_categories() if c.formal_procedure}
    assert formal == {"complaint", "denunciation"}
    assert catalogue.offered("complaint").name_vi == "Khiếu nại"


def test_a_catalogue_is_stored_and_read_back_with_every_change(feedback: FeedbackApplication) -> None:
    catalogue = CategoryCatalogue.establish(ADMIN, "Khởi tạo")
    catalogue.add_category(_lighting(), ADMIN, "Tách riêng điện chiếu sáng")
    catalogue.retire_category("other", ADMIN, "Phân loại cụ thể hơn")
    catalogue.add_day_off(date(2027, 3, 29), ADMIN, "Ngày giải phóng thành phố")
    catalogue.change_office_hours(OfficeHours(((time(8), time(12)), (time(13), time(17)))), ADMIN, "Giờ hè")
    feedback.save(catalogue)
    stored: CategoryCatalogue = feedback.repository.get(CategoryCatalogue.create_id())
    assert isinstance(stored, CategoryCatalogue)
    assert stored.categories == catalogue.categories
    assert stored.retired == {"other"}
    assert stored.days_off == {date(2027, 3, 29): "Ngày giải phóng thành phố"}
    assert stored.calendar() == catalogue.calendar()
    changes = [e for e in feedback.events.get(stored.id) if isinstance(e, CategoryCatalogue.Event)]
    assert [(e.actor, e.reason) for e in changes] == [
        (ADMIN, "Khởi tạo"),
        (ADMIN, "Tách riêng điện chiếu sáng"),
        (ADMIN, "Phân loại cụ thể hơn"),
        (ADMIN, "Ngày giải phóng thành phố"),
        (ADMIN, "Giờ hè"),
    ]


def _lighting(resolve_days: int = 2) -> Category:
    deadline = Deadline(accept_hours=8, resolve_days=resolve_days)
    return Category(
        "lighting", "Đèn chiếu sáng", "Street lights", Level.GROUP, deadlines=dict.fromkeys(Level, deadline)
    )


def test_a_category_is_added_once(catalogue: CategoryCatalogue) -> None:
    catalogue.add_category(_lighting(), ADMIN, "Danh mục mới")
    assert catalogue.offered("lighting").level is Level.GROUP
    with pytest.raises(CatalogueError) as refused:
        catalogue.add_category(_lighting(), ADMIN, "Lần nữa")
    assert refused.value.code == "duplicate_category"


def test_a_category_needs_a_deadline_at_every_level_a_case_may_reach() -> None:
    with pytest.raises(CatalogueError) as refused:
        Category("lighting", "Đèn", "Lights", Level.WARD, deadlines={Level.WARD: Deadline(8, 3)})
    assert refused.value.code == "deadline_missing"
    with pytest.raises(CatalogueError) as refused:
        Deadline(accept_hours=0, resolve_days=3)
    assert refused.value.code == "deadline_range"


def test_a_change_replaces_the_category_and_no_change_stores_nothing(catalogue: CategoryCatalogue) -> None:
    catalogue.add_category(_lighting(), ADMIN, "Danh mục mới")
    catalogue.collect_events()
    assert not catalogue.change_category(_lighting(), ADMIN, "Không đổi")
    assert catalogue.change_category(_lighting(resolve_days=5), ADMIN, "Cần khảo sát")
    assert catalogue.offered("lighting").deadline_at(Level.GROUP).resolve_days == 5
    assert [type(e).__name__ for e in catalogue.collect_events()] == ["CategoryChanged"]


def test_a_retired_category_is_kept_for_old_cases_but_offered_to_no_new_one(
    catalogue: CategoryCatalogue,
) -> None:
    catalogue.retire_category("other", ADMIN, "Phân loại cụ thể hơn")
    assert catalogue.category("other").name_en == "Other"
    assert "other" not in {c.code for c in catalogue.active_categories()}
    for refused_step in (
        lambda: catalogue.offered("other"),
        lambda: catalogue.change_category(catalogue.category("other"), ADMIN, "Sửa"),
        lambda: catalogue.retire_category("other", ADMIN, "Lần nữa"),
    ):
        with pytest.raises(CatalogueError) as refused:
            refused_step()
        assert refused.value.code == "retired_category"


def test_an_unknown_category_is_refused(catalogue: CategoryCatalogue) -> None:
    with pytest.raises(CatalogueError) as refused:
        catalogue.offered("weather")
    assert refused.value.code == "unknown_category"


def test_a_day_off_moves_deadlines_and_is_taken_back_once(catalogue: CategoryCatalogue) -> None:
    friday = datetime(2027, 3, 26, 10, tzinfo=VIETNAM)
    catalogue.add_day_off(date(2027, 3, 29), ADMIN, "Ngày giải phóng thành phố")
    assert catalogue.calendar().add_working_days(friday, 1) == datetime(2027, 3, 30, 10, tzinfo=VIETNAM)
    with pytest.raises(CatalogueError) as refused:
        catalogue.add_day_off(date(2027, 3, 29), ADMIN, "Lần nữa")
    assert refused.value.code == "day_off_exists"
    catalogue.remove_day_off(date(2027, 3, 29), ADMIN, "Đi làm bù")
    assert catalogue.calendar().add_working_days(friday, 1) == datetime(2027, 3, 29, 10, tzinfo=VIETNAM)
    with pytest.raises(CatalogueError) as refused:
        catalogue.remove_day_off(date(2027, 3, 29), ADMIN, "Lần nữa")
    assert refused.value.code == "day_off_unknown"


def test_office_hours_unchanged_store_nothing(catalogue: CategoryCatalogue) -> None:
    catalogue.collect_events()
    assert not catalogue.change_office_hours(catalogue.office_hours, ADMIN, "Không đổi")
    assert catalogue.collect_events() == []


def test_every_change_needs_a_reason(catalogue: CategoryCatalogue) -> None:
    changes = (
        lambda: catalogue.add_category(_lighting(), ADMIN, " "),
        lambda: catalogue.retire_category("other", ADMIN, ""),
        lambda: catalogue.add_day_off(date(2027, 3, 29), ADMIN, ""),
        lambda: CategoryCatalogue.establish(ADMIN, ""),
    )
    for change in changes:
        with pytest.raises(ReasonRequiredError):
            change()
    assert "lighting" not in catalogue.categories
    assert catalogue.days_off == {}
