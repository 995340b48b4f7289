"""Ghost residents and data quality in the browser: a group leader flags a member who does not
live at home, the area police review it on the data-quality screen."""

from __future__ import annotations

import pytest
from browser_pages import open_household, sign_in, sign_out
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_leader_flags_and_the_police_review_on_the_quality_screen(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "totruong.to17")
    open_household(phone, "Tổ dân phố 17 — Phường Hải Châu", "HO-001")
    phone.get_by_role("link", name="Nguyễn Minh Khôi").click()
    phone.get_by_label("Mục đích xem").select_option(label="Quản lý cư trú")
    phone.get_by_role("button", name="Xem thông tin").click()
    flagging = phone.get_by_role("region", name="Báo cáo cư trú thực tế")
    flagging.get_by_label("Ghi chú").fill("Đi học đại học ở Huế từ tháng 9, không ở nhà")
    flagging.get_by_role("button", name="Báo cáo cư trú thực tế").click()
    expect(flagging.get_by_role("status")).to_have_text("Đã gửi báo cáo cho phường và công an khu vực.")
    sign_out(phone)

    sign_in(phone, base_url, "congan.haichau")
    phone.get_by_role("link", name="Chất lượng dữ liệu").click()
    expect(phone.locator("#scores")).to_contain_text("Sống")
    flag = phone.locator("#flags li", has_text="Đi học đại học ở Huế")
    expect(flag).to_contain_text("Có đăng ký nhưng không sống tại đây")
    expect(phone.locator("#findings")).to_contain_text("báo cáo cư trú thực tế chờ xem xét")
    flag.get_by_label("Kết luận").select_option(label="Xác nhận đúng")
    flag.get_by_label("Lý do").fill("Đã xác minh với gia đình")
    flag.get_by_role("button", name="Xem xét").click()
    expect(phone.get_by_text("Không có báo cáo nào đang chờ.")).to_be_visible()
