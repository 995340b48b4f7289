"""Signing in on a phone, in Vietnamese first, and seeing only what the role allows."""

from __future__ import annotations

import pytest
from browser_pages import sign_in, sign_out
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_group_leader_signs_in_and_sees_their_groups_households(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "totruong.to17")
    expect(phone.locator("#who")).to_contain_text("Tổ trưởng TDP 17 (Tổ trưởng / trưởng thôn)")
    expect(phone.get_by_label("Tên đăng nhập")).to_be_hidden()
    phone.get_by_role("button", name="Tổ dân phố 17 — Phường Hải Châu").click()
    rows = phone.locator("#households tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Nguyễn Văn Hùng")


def test_each_official_is_offered_only_the_groups_they_serve(phone: Page, base_url: str) -> None:
    # The other wards' groups are not offered (the registry would refuse them: 403, tested with
    # every role and endpoint in the access matrix).
    sign_in(phone, base_url, "totruong.to17")
    expect(phone.locator("#units button")).to_have_text(["Tổ dân phố 17 — Phường Hải Châu"])
    sign_out(phone)
    sign_in(phone, base_url, "truongthon.trakiem")
    expect(phone.locator("#units button")).to_have_text(["Thôn Trà Kiểm — Phường Hòa Xuân"])
    sign_out(phone)
    sign_in(phone, base_url, "phuong.haichau")  # the ward's groups (another test adds one)
    groups = phone.locator("#units button")
    expect(groups.first).to_have_text("Tổ dân phố 17 — Phường Hải Châu")
    assert all(name.endswith(" — Phường Hải Châu") for name in groups.all_inner_texts())


def test_a_wrong_password_is_explained_in_vietnamese(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "phuong.haichau", "sai-mật-khẩu")
    expect(phone.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")


def test_signing_out_returns_to_the_sign_in_form(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "phuong.haichau")
    expect(phone.locator("#who")).to_contain_text("Cán bộ phường Hải Châu")
    sign_out(phone)


def test_the_page_switches_to_english(phone: Page, base_url: str) -> None:
    phone.goto(f"{base_url}/web/")
    phone.get_by_role("button", name="Switch language").click()
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in_button = phone.get_by_role("button", name="Sign in")
    phone.get_by_label("Username").fill("phuong.haichau")
    phone.get_by_label("Password").fill("tothon-demo-2026")
    sign_in_button.click()
    nav = phone.get_by_role("navigation", name="Navigation")
    expect(nav.get_by_role("link")).to_have_text(
        [
            "Households",
            "Data quality",
            "Corrections",
            "Import a spreadsheet",
            "Handle feedback",
            "Funds",
            "Announcements",
            "Emergencies",
            "Household votes",
            "Conversations",
            "Account administration",
            "Administrative units",
            "Delivery log",
            "Data access log",
        ]
    )
    phone.get_by_role("button", name="Switch language").click()  # back, for the other tests of this browser


@pytest.mark.parametrize(
    ("username", "links"),
    [
        (
            "cudan.to17",
            [
                "Dữ liệu của tôi",
                "Gửi phản ánh",
                "Phản ánh của tôi",
                "Đóng góp của hộ",
                "Thông báo của hộ",
                "Biểu quyết",
                "Nhận tin qua SMS, e-mail",
                "Trò chuyện",
            ],
        ),
        (
            "totruong.to17",
            [
                "Hộ gia đình",
                "Chất lượng dữ liệu",
                "Đính chính thông tin",
                "Nhập từ bảng tính",
                "Xử lý phản ánh",
                "Quỹ",
                "Thông báo",
                "Khẩn cấp, thiên tai",
                "Biểu quyết",
                "Trò chuyện",
                "Quản trị tài khoản",
                "Đơn vị hành chính",
                "Nhật ký gửi tin",
            ],
        ),
        (
            "phuong.haichau",
            [
                "Hộ gia đình",
                "Chất lượng dữ liệu",
                "Đính chính thông tin",
                "Nhập từ bảng tính",
                "Xử lý phản ánh",
                "Quỹ",
                "Thông báo",
                "Khẩn cấp, thiên tai",
                "Biểu quyết",
                "Trò chuyện",
                "Quản trị tài khoản",
                "Đơn vị hành chính",
                "Nhật ký gửi tin",
                "Nhật ký xem dữ liệu",
            ],
        ),
        ("admin", ["Quản trị tài khoản", "Đơn vị hành chính", "Nhật ký gửi tin"]),
    ],
)
def test_navigation_offers_what_the_role_may_do(
    phone: Page, base_url: str, username: str, links: list[str]
) -> None:
    sign_in(phone, base_url, username)
    expect(phone.get_by_role("navigation", name="Điều hướng").get_by_role("link")).to_have_text(links)
    expect(phone.get_by_role("heading", level=2)).to_have_text(links[0])
