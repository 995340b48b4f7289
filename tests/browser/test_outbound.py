"""Outbound delivery in the browser: the resident gives the head of household's SMS number (the
head consented in the register); city IT configures the SMS gateway (a real HTTP receiver on this
machine, which checks each request's signature); the group leader's urgent notice reaches the
receiver as a signed SMS request and shows as delivered in the leader's delivery log; the
household's own notices are on its notices page."""

from __future__ import annotations

import re
import time

import pytest
from browser_pages import sign_in
from playwright.sync_api import Page, expect
from receivers import webhook_server

pytestmark = pytest.mark.browser
SECRET = "khoá-ký-của-cổng-sms-thử-nghiệm-2026"


def test_an_urgent_notice_goes_out_by_sms_to_the_number_the_resident_gave(
    phone: Page, second_phone: Page, base_url: str
) -> None:
    resident, official = phone, second_phone
    sign_in(resident, base_url, "cudan.to17")
    resident.get_by_role("navigation").get_by_role(
        "link", name="Nhận tin qua SMS, e-mail", exact=True
    ).click()
    head = resident.get_by_role("region", name="Nguyễn Văn Hùng")
    sms = head.get_by_role("form", name="SMS")
    sms.get_by_label("SMS").fill("0905 777 888")
    sms.get_by_role("button", name="Lưu").click()
    expect(sms.get_by_text("Đã lưu.")).to_be_visible()
    resident.screenshot(path="test-artifacts/outbound-contacts.png", full_page=True)

    with webhook_server(SECRET) as (hook, url):
        sign_in(official, base_url, "admin")
        official.get_by_role("navigation").get_by_role("link", name="Nhật ký gửi tin", exact=True).click()
        gateway = official.get_by_role("form", name="Cổng SMS")
        gateway.get_by_label("Địa chỉ webhook").fill(url)
        gateway.get_by_label("Khoá ký (ít nhất 24 ký tự)").fill(SECRET)
        gateway.get_by_role("button", name="Lưu").click()
        expect(gateway.get_by_text("Đã lưu.")).to_be_visible()
        official.get_by_role("button", name="Đăng xuất").click()

        sign_in(official, base_url, "totruong.to17")
        official.get_by_role("navigation").get_by_role("link", name="Thông báo", exact=True).click()
        form = official.get_by_role("form", name="Soạn thông báo")
        form.get_by_label("Tiêu đề").fill("Mất điện chiều nay")
        form.get_by_label("Nội dung").fill("Từ 13 giờ đến 17 giờ.")
        form.get_by_label("Mức độ").select_option(label="Khẩn")
        form.get_by_role("button", name="Đăng thông báo").click()
        expect(official.get_by_role("heading", name="Mất điện chiều nay")).to_be_visible()

        # (The household's own notices — its seeded feedback cases' steps — may go out too.)
        def notice_sent() -> list[dict[str, str]]:
            return [m for m in hook.taken if m["text"].startswith("Mất điện chiều nay")]

        deadline = time.monotonic() + 40
        while not notice_sent() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert [(m["to"], m["means"]) for m in notice_sent()] == [("+84905777888", "sms")]
        assert hook.forged == 0

    official.get_by_role("navigation").get_by_role("link", name="Nhật ký gửi tin", exact=True).click()
    log = official.get_by_role("region", name="Của đơn vị")
    expect(log.get_by_text("Đã gửi", exact=True).first).to_be_visible(timeout=15_000)
    official.screenshot(path="test-artifacts/outbound-log.png", full_page=True)
    resident.get_by_role("navigation").get_by_role("link", name="Thông báo của hộ", exact=True).click()
    expect(resident.get_by_role("region", name="Tin riêng của hộ")).to_be_visible()
    expect(resident.get_by_role("link", name=re.compile("Nhận thông báo qua SMS"))).to_be_visible()
