"""Emergencies in the browser, phone-sized: the group leader declares a typhoon for the group;
the resident's open notices page asks at once whether the household is safe; the resident answers
"need help" while offline (the service worker keeps it) and it is sent when the connection
returns; the leader's board, open all along, moves the household to "needing help" within
seconds, beside the register's people to reach first."""

from __future__ import annotations

import re

import pytest
from browser_pages import sign_in
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_typhoon_reaches_the_open_page_and_an_offline_answer_reaches_the_leaders_board(
    phone: Page, second_phone: Page, base_url: str
) -> None:
    resident, leader = phone, second_phone
    sign_in(resident, base_url, "cudan.to17")
    resident.get_by_role("navigation").get_by_role("link", name="Thông báo của hộ", exact=True).click()
    expect(resident.get_by_role("heading", name="Thông báo của hộ")).to_be_visible()
    resident.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)")
    resident.reload()
    expect(resident.get_by_role("heading", name="Thông báo của hộ")).to_be_visible()
    resident.wait_for_function("Boolean(navigator.serviceWorker.controller)")

    sign_in(leader, base_url, "totruong.to17")
    leader.get_by_role("navigation").get_by_role("link", name="Khẩn cấp, thiên tai", exact=True).click()
    leader.get_by_text("Phát lệnh khẩn cấp", exact=True).first.click()  # opens the form
    form = leader.get_by_role("form", name="Phát lệnh khẩn cấp")
    expect(form.get_by_text(re.compile(r"^Sẽ hỏi \d+ hộ gia đình báo tình hình\.$"))).to_be_visible(
        timeout=60_000
    )
    form.get_by_label("Loại thiên tai").select_option(label="Bão")
    form.get_by_label("Tiêu đề").fill("Bão số 13 đổ bộ đêm nay")
    form.get_by_role("button", name="Phát lệnh khẩn cấp").click()
    expect(leader.get_by_role("heading", name="Bão số 13 đổ bộ đêm nay")).to_be_visible(timeout=15_000)
    silent = leader.get_by_role("region", name="Hộ chưa báo tình hình")
    expect(silent.locator("li.case").first).to_be_visible()
    expect(leader.get_by_role("region", name="Người cần ưu tiên")).to_be_visible()

    # The resident's page, open all along, asks at once.
    card = resident.locator("article.emergency-card", has_text="Bão số 13 đổ bộ đêm nay")
    expect(card).to_be_visible(timeout=15_000)
    expect(card.get_by_text("Hộ của bạn có an toàn không?")).to_be_visible()
    resident.context.set_offline(True)
    card.get_by_label("Cần giúp gì (không bắt buộc)").fill("Nhà ngập nửa mét, có cụ bà 87 tuổi")
    card.get_by_role("button", name="Cần giúp đỡ").click()
    expect(card.get_by_text("Mất mạng: câu trả lời sẽ được gửi khi có mạng trở lại.")).to_be_visible()
    resident.screenshot(path="test-artifacts/emergency-offline.png", full_page=True)
    resident.context.set_offline(False)

    # The leader's board, open all along, shows the household needing help with its note.
    helping = leader.get_by_role("region", name="Hộ cần giúp đỡ")
    expect(helping.get_by_text("Nhà ngập nửa mét, có cụ bà 87 tuổi")).to_be_visible(timeout=20_000)
    group = leader.locator("table.delivery tbody tr", has_text="Tổ dân phố 17")
    expect(group.get_by_role("img")).to_have_accessible_name(
        re.compile(r"^0 an toàn, 1 cần giúp, \d+ chưa báo")
    )
    leader.screenshot(path="test-artifacts/emergency-board.png", full_page=True)
    # Help came: the leader marks the household safe; the resident's page says so after a reload.
    helping.get_by_role("button", name="Đã giúp xong: an toàn").click()
    expect(helping.get_by_text("Không hộ nào đang cần giúp.")).to_be_visible(timeout=10_000)
    resident.reload()
    expect(
        resident.locator("article.emergency-card").get_by_text(re.compile(r"^Hộ đã báo an toàn lúc"))
    ).to_be_visible(timeout=15_000)
