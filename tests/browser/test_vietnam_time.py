"""The screens show Vietnam's time and Vietnam's day whatever the browser's own time zone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from browser_pages import open_household, sign_in, sign_out
from playwright.sync_api import Browser, Page, expect

from tothon_shared.kernel.clock import today

pytestmark = pytest.mark.browser
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def abroad(browser: Browser) -> Iterator[Page]:
    """A phone whose clock is set to New York (eleven or twelve hours behind Vietnam)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", timezone_id="America/New_York"
    )
    page = context.new_page()
    yield page
    context.close()


def _shown(instant: datetime) -> str:
    return instant.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def test_times_and_days_are_vietnams_in_a_browser_set_to_another_zone(abroad: Page, base_url: str) -> None:
    assert abroad.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "America/New_York"
    sign_in(abroad, base_url, "phuong.haichau")
    open_household(abroad, "Tổ dân phố 17 — Phường Hải Châu", "HO-001")
    # Dates a form proposes are Vietnam's today (the server refuses Vietnam's future).
    dates = abroad.locator("input[type=date][name=on]")
    expect(dates.first).to_have_value(today().isoformat())
    before = datetime.now(VIETNAM)
    abroad.get_by_role("link", name="Trần Thị Mai").click()
    abroad.get_by_label("Mục đích xem").select_option(label="Liên hệ, thông báo")
    abroad.get_by_role("button", name="Xem thông tin").click()
    expect(abroad.get_by_role("heading", name="Trần Thị Mai")).to_be_visible()
    after = datetime.now(VIETNAM)
    sign_out(abroad)

    sign_in(abroad, base_url, "cudan.to17")
    reads = abroad.get_by_role("region", name="Ai đã xem dữ liệu của tôi")
    expect(reads).to_contain_text("Cán bộ phường Hải Châu")
    text = reads.inner_text()
    minutes = {_shown(before + timedelta(minutes=m)) for m in range(int((after - before).seconds / 60) + 2)}
    assert any(f"{shown} — Cán bộ phường Hải Châu" in text for shown in minutes), text
    in_new_york = before.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M")
    assert f"{in_new_york} — Cán bộ" not in text
    abroad.screenshot(path="test-artifacts/screenshots/vietnam_time_abroad.png", full_page=True)
