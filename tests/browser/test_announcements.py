"""Announcements in the browser, phone-sized: the group leader writes an urgent notice after the
preview says how many households it reaches; the resident's open page shows it at once (Server-
Sent Events); the resident acknowledges it while offline (the service worker keeps it) and it is
sent when the connection returns; the leader sees it acknowledged and tells the rest in person."""

from __future__ import annotations

import re

import pytest
from browser_pages import sign_in
from photos import png
from playwright.sync_api import FilePayload, Page, expect

pytestmark = pytest.mark.browser


def test_a_notice_arrives_live_and_an_acknowledgement_made_offline_is_sent_on_reconnect(
    phone: Page, second_phone: Page, base_url: str
) -> None:
    resident, leader = phone, second_phone
    sign_in(resident, base_url, "cudan.to17")
    resident.get_by_role("navigation").get_by_role("link", name="Thông báo của hộ", exact=True).click()
    expect(resident.get_by_role("heading", name="Thông báo của hộ")).to_be_visible()
    # The service worker controls the page once it is installed: reload under it.
    resident.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)")
    resident.reload()
    expect(resident.get_by_role("heading", name="Thông báo của hộ")).to_be_visible()
    resident.wait_for_function("Boolean(navigator.serviceWorker.controller)")

    sign_in(leader, base_url, "totruong.to17")
    leader.get_by_role("navigation").get_by_role("link", name="Thông báo", exact=True).click()
    form = leader.get_by_role("form", name="Soạn thông báo")
    expect(form.get_by_text(re.compile(r"^Sẽ gửi tới \d+ hộ gia đình\.$"))).to_be_visible(timeout=60_000)
    # Narrowed to households with retired members, the preview counts fewer; widened again.
    everyone = form.get_by_text(re.compile(r"^Sẽ gửi tới \d+ hộ gia đình\.$")).inner_text()
    form.get_by_label("Người cao tuổi (đã nghỉ hưu)").check()
    expect(form.get_by_text(re.compile(r"^Sẽ gửi tới \d+ hộ gia đình\.$"))).not_to_have_text(everyone)
    form.get_by_label("Người cao tuổi (đã nghỉ hưu)").uncheck()
    expect(form.get_by_text(re.compile(r"^Sẽ gửi tới \d+ hộ gia đình\.$"))).to_have_text(everyone)
    form.get_by_label("Tiêu đề").fill("Tạm ngừng cấp nước sáng Chủ nhật")
    form.get_by_label("Nội dung").fill("Từ 7 giờ đến 11 giờ, để sửa đường ống. Bà con chủ động trữ nước.")
    form.get_by_label("Mức độ").select_option(label="Khẩn")
    form.get_by_label("Ảnh hoặc tệp PDF kèm theo (tối đa 5)").set_input_files(
        files=FilePayload(name="so-do-duong-ong.png", mimeType="image/png", buffer=png(120, 80))
    )
    leader.screenshot(path="test-artifacts/announcement-compose.png", full_page=True)
    form.get_by_role("button", name="Đăng thông báo").click()
    expect(leader.get_by_role("heading", name="Tạm ngừng cấp nước sáng Chủ nhật")).to_be_visible()

    # The resident's page, open all along, shows it without reloading.
    notice = resident.locator("li.case", has_text="Tạm ngừng cấp nước sáng Chủ nhật")
    expect(notice).to_be_visible(timeout=15_000)
    expect(notice.get_by_text("Xin hộ xác nhận đã nhận thông báo này.")).to_be_visible()
    resident.context.set_offline(True)
    notice.get_by_role("button", name="Đã nhận thông báo").click()
    expect(notice.get_by_text("Mất mạng: xác nhận sẽ được gửi khi có mạng trở lại.")).to_be_visible()
    resident.screenshot(path="test-artifacts/announcement-offline.png", full_page=True)
    resident.context.set_offline(False)
    expect(notice.get_by_text(re.compile(r"^Hộ đã xác nhận lúc"))).to_be_visible(timeout=15_000)
    # The photo the notice carries, fetched with the resident's token and shown.
    notice.get_by_role("button", name="Tệp kèm 1").click()
    expect(notice.get_by_role("img", name="Tệp kèm 1")).to_be_visible()

    # The leader's delivery page counts it; the others are told in person.
    leader.reload()
    group = leader.locator("table.delivery tbody tr", has_text="Tổ dân phố 17")
    expect(group.get_by_role("img")).to_have_accessible_name(re.compile(r"^1/\d+ hộ$"), timeout=15_000)
    pending = leader.get_by_role("region", name="Hộ chưa xác nhận")
    pending.get_by_role("button", name="Đã báo trực tiếp").first.click()
    leader.get_by_role("button", name="Bản đọc cho loa phát thanh").click()
    expect(leader.get_by_role("link", name="Tải tệp MP3")).to_be_visible(timeout=30_000)
    leader.screenshot(path="test-artifacts/announcement-delivery.png", full_page=True)
    # The rest after a round with the loudspeaker, all at once.
    leader.get_by_role("button", name="Đã báo tất cả qua loa").click()
    expect(leader.get_by_text("Mọi hộ đã xác nhận.")).to_be_visible(timeout=15_000)
