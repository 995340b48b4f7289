"""Signing in on a phone, in Vietnamese first, and seeing only what the role allows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tothon.seed import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _sign_in(page: Page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/web/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_group_leader_signs_in_and_sees_their_groups_households(phone: Page, base_url: str) -> None:
    _sign_in(phone, base_url, "totruong.to17")
    expect(phone.locator("#who")).to_contain_text("Tổ trưởng TDP 17 (Tổ trưởng / trưởng thôn)")
    expect(phone.get_by_label("Tên đăng nhập")).to_be_hidden()
    phone.get_by_role("button", name="Tổ dân phố 17 — Phường Hải Châu").click()
    rows = phone.locator("#households tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Nguyễn Văn Hùng")


def test_a_group_leader_cannot_see_another_groups_households(phone: Page, base_url: str) -> None:
    _sign_in(phone, base_url, "totruong.to17")
    phone.get_by_role("button", name="Tổ dân phố 51 — Phường Thanh Khê").click()
    expect(phone.locator("#seen")).to_have_text("Tài khoản của bạn không xem được đơn vị này.")
    expect(phone.locator("#households")).to_be_hidden()


def test_a_wrong_password_is_explained_in_vietnamese(phone: Page, base_url: str) -> None:
    _sign_in(phone, base_url, "phuong.haichau", "sai-mật-khẩu")
    expect(phone.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")


def test_signing_out_returns_to_the_sign_in_form(phone: Page, base_url: str) -> None:
    _sign_in(phone, base_url, "phuong.haichau")
    expect(phone.locator("#who")).to_contain_text("Cán bộ phường Hải Châu")
    phone.get_by_role("button", name="Đăng xuất").click()
    expect(phone.get_by_label("Tên đăng nhập")).to_be_visible()


def test_the_page_switches_to_english(phone: Page, base_url: str) -> None:
    phone.goto(f"{base_url}/web/")
    phone.get_by_role("button", name="Switch language").click()
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_resident_sees_who_viewed_their_households_data(phone: Page, base_url: str) -> None:
    _sign_in(phone, base_url, "phuong.haichau")
    phone.get_by_role("button", name="Tổ dân phố 17 — Phường Hải Châu").click()
    expect(phone.locator("#households tbody tr")).to_have_count(3)
    phone.get_by_role("button", name="Đăng xuất").click()
    _sign_in(phone, base_url, "cudan.to17")
    reads = phone.get_by_role("region", name="Ai đã xem dữ liệu của tôi")
    expect(reads).to_be_visible()
    expect(reads.locator("li").first).to_contain_text("Cán bộ phường Hải Châu (xem danh sách hộ)")
