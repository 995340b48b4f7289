"""Demo notices for the embedded suite: a city-wide notice, a ward's notice for households with
children, the pilot group's meeting notice (a week ahead, as the law wants at least five days)
and an open poll of the group, so the notices, polls and delivery pages are not empty on a first
start. Written once: the first notice has a fixed id, found again on the next start."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from uuid import NAMESPACE_URL, UUID, uuid5

import structlog

from tothon_communication.application import CommunicationApplication
from tothon_communication.domain.announcement import (
    Announcement,
    Band,
    Category,
    Priority,
    requires_acknowledgement,
)
from tothon_communication.places import household_count, units_named
from tothon_shared.eventstore.context import acting_as
from tothon_shared.kernel.clock import VIETNAM
from tothon_shared.runtime.service import ServiceRuntime

log = structlog.get_logger(__name__)
CITY, WARD, GROUP = "Thành phố Đà Nẵng", "Phường Hải Châu", "Tổ dân phố 17"
SEED = "seed-to-truong"
WAIT_SECONDS = 120.0
FIRST = uuid5(NAMESPACE_URL, "tothon:seed:communication:first-notice")


def _units(runtime: ServiceRuntime) -> dict[str, UUID] | None:
    found = units_named(runtime.store, (CITY, WARD, GROUP))
    # The group's households too: the poll counts them.
    complete = len(found) == 3 and household_count(runtime.store, found[GROUP]) > 0
    return found if complete else None


def seed_communication(runtime: ServiceRuntime, stop: threading.Event) -> bool:
    """Write the demo notices and poll once (False when written before or the units did not arrive)."""
    app = runtime.app
    assert isinstance(app, CommunicationApplication)
    if FIRST in app.repository:
        return False
    units = None
    for _ in range(int(WAIT_SECONDS / 0.5)):
        units = _units(runtime)
        if units is not None or stop.wait(0.5):
            break
    if units is None:
        log.warning("communication_seed.no_directory")
        return False
    now = datetime.now(UTC)
    with acting_as(SEED, reason="Dữ liệu mẫu thông báo"):
        first = Announcement._create(
            Announcement.Written,
            id=FIRST,
            unit_id=units[CITY],
            groups=[],
            title="Luật Bảo vệ dữ liệu cá nhân có hiệu lực từ 01/01/2026",
            body="Người dân có quyền biết, đồng ý, xem, sửa và yêu cầu xoá dữ liệu cá nhân của mình. "
            "Xem dữ liệu của hộ và nhật ký ai đã xem ở trang Dữ liệu của tôi.",
            category=Category.POLICY_LAW.value,
            priority=Priority.NORMAL.value,
            requires_ack=requires_acknowledgement(Category.POLICY_LAW, Priority.NORMAL),
            publish_at=now - timedelta(days=3),
            expires_at=None,
            author=SEED,
        )
        app.save(first)
        app.write_announcement(
            units[WARD],
            [],
            "Ngày tiêm chủng mở rộng tháng này",
            "Trạm y tế phường tiêm vắc-xin cho trẻ em vào sáng thứ Bảy, 7 giờ 30. Mang theo sổ tiêm chủng.",
            Category.LOCAL_NOTICE,
            Priority.NORMAL,
            now - timedelta(days=1),
            None,
            SEED,
            bands=[Band.CHILDREN],
        )
        app.announce_meeting(
            units[GROUP],
            [],
            "Họp tổ dân phố 17 quý IV",
            "Mời đại diện các hộ dự họp: tổng kết quý, bàn việc lắp đèn chiếu sáng kiệt 45.",
            _evening_in(days=7),
            "Nhà văn hoá tổ dân phố 17",
            SEED,
            now,
        )
        app.open_poll(
            units[GROUP],
            "Lắp đèn chiếu sáng kiệt 45, mỗi hộ góp 200.000 đồng?",
            ["Tán thành", "Không tán thành"],
            now,
            now + timedelta(days=14),
            50,
            household_count(runtime.store, units[GROUP]),
            SEED,
        )
    return True


def _evening_in(days: int) -> datetime:
    """19:30 in Đà Nẵng, ``days`` from today: when a group meets."""
    day = (datetime.now(VIETNAM) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, 19, 30, tzinfo=VIETNAM)
