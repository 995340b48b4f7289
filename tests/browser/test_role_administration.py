"""Role administration in the browser: a ward official opens an account, appoints a group leader
in their ward (not elsewhere), the new leader works, and the ward revokes the role; a ward
official opens a household's own account from its page, and the resident sees their household."""

from __future__ import annotations

import pytest
from browser_pages import open_household, sign_in, sign_out
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

NEW_PASSWORD = "mật-khẩu-tổ-trưởng-mới-2026"


def test_a_ward_official_appoints_and_revokes_a_group_leader(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "phuong.haichau")
    phone.get_by_role("link", name="Quản trị tài khoản").click()
    expect(phone.locator("#accounts")).to_contain_text("totruong.to17")

    opening = phone.get_by_role("form", name="Mở tài khoản")
    opening.get_by_label("Tên đăng nhập").fill("totruong.moi")
    opening.get_by_label("Tên hiển thị").fill("Tổ trưởng mới")
    opening.get_by_label("Mật khẩu").fill(NEW_PASSWORD)
    opening.get_by_role("button", name="Mở tài khoản").click()
    expect(phone.locator("#admin-status")).to_have_text("Đã mở tài khoản totruong.moi.")

    appointing = phone.get_by_role("form", name="Giao vai trò")
    appointing.get_by_label("Tài khoản").select_option(label="Tổ trưởng mới (totruong.moi)")
    appointing.get_by_label("Vai trò").select_option(label="Tổ trưởng / trưởng thôn")
    appointing.get_by_label("Đơn vị").select_option(label="Tổ dân phố 51")  # another ward's group
    appointing.get_by_label("Lý do").fill("Thử ngoài phường")
    appointing.get_by_role("button", name="Giao vai trò").click()
    expect(appointing.get_by_role("alert")).to_have_text(
        "Tài khoản của bạn không có quyền làm việc này ở đơn vị này."
    )

    appointing.get_by_label("Đơn vị").select_option(label="Tổ dân phố 17")
    appointing.get_by_label("Lý do").fill("Hội nghị tổ dân phố bầu ngày 20/11/2026")
    appointing.get_by_role("button", name="Giao vai trò").click()
    expect(phone.locator("#admin-status")).to_have_text("Đã giao vai trò.")
    row = phone.locator("#accounts tr", has_text="totruong.moi")
    expect(row).to_contain_text("Tổ trưởng / trưởng thôn — Tổ dân phố 17")
    sign_out(phone)

    sign_in(phone, base_url, "totruong.moi", NEW_PASSWORD)
    phone.get_by_role("button", name="Tổ dân phố 17 — Phường Hải Châu").click()
    expect(phone.locator("#households tbody tr")).to_have_count(3)
    sign_out(phone)

    sign_in(phone, base_url, "phuong.haichau")
    phone.get_by_role("link", name="Quản trị tài khoản").click()
    phone.once("dialog", lambda dialog: dialog.accept("Chuyển công tác"))
    phone.get_by_role("button", name="Thu hồi vai trò Tổ trưởng / trưởng thôn của Tổ trưởng mới").click()
    expect(phone.locator("#admin-status")).to_have_text("Đã thu hồi vai trò.")
    expect(phone.locator("#accounts")).not_to_contain_text("totruong.moi")


def test_a_resident_has_no_administration(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "cudan.to17")
    expect(phone.get_by_role("heading", name="Dữ liệu của tôi", exact=True)).to_be_visible()
    phone.goto(f"{base_url}/web/#/admin")
    expect(phone.get_by_role("heading", level=2)).to_have_text("Dữ liệu của tôi")


def test_a_ward_official_opens_a_households_account_from_its_page(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "phuong.haichau")
    open_household(phone, "Tổ dân phố 17 — Phường Hải Châu", "HO-002")
    members = [
        m.strip()
        for m in phone.get_by_role("list", name="Số nhân khẩu").get_by_role("link").all_inner_texts()
    ]
    phone.locator("summary", has_text="Mở tài khoản cho hộ").click()
    opening = phone.get_by_role("form", name="Mở tài khoản cho hộ")
    opening.get_by_label("Tên đăng nhập").fill("ho002.to17")
    opening.get_by_label("Tên hiển thị").fill("Hộ HO-002")
    opening.get_by_label("Mật khẩu").fill(NEW_PASSWORD)
    opening.get_by_role("button", name="Mở tài khoản cho hộ").click()
    account = phone.get_by_role("region", name="Tài khoản của hộ")
    expect(account.get_by_role("status")).to_have_text("Đã mở tài khoản ho002.to17 cho hộ.")
    expect(opening.get_by_label("Mật khẩu")).to_have_value("")  # not left on the screen
    account.scroll_into_view_if_needed()
    phone.screenshot(path="test-artifacts/household-account-opened.png")
    sign_out(phone)

    sign_in(phone, base_url, "ho002.to17", NEW_PASSWORD)
    mine = phone.get_by_role("region", name="Hộ của tôi")
    for name in members:
        expect(mine).to_contain_text(name)
