"""Personal data in the browser: a purpose before every official read, masks by role, the
resident's view of who looked, consent withdrawn and given again, and erasure by the ward."""

from __future__ import annotations

import pytest
from browser_pages import field, open_household, sign_in, sign_out
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _read_person(page: Page, name: str, purpose: str) -> None:
    page.get_by_role("link", name=name).click()
    expect(page.get_by_text("Lần xem này được ghi lại", exact=False)).to_be_visible()
    page.get_by_label("Mục đích xem").select_option(label=purpose)
    page.get_by_role("button", name="Xem thông tin").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def test_police_see_identity_not_beliefs_and_the_resident_sees_the_read(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "congan.haichau")
    open_household(phone, "Tổ dân phố 17 — Phường Hải Châu", "HO-001")
    _read_person(phone, "Trần Thị Mai", "An ninh, trật tự")
    assert len(field(phone, "Số định danh cá nhân")) == 12
    assert field(phone, "Tôn giáo") == "(không được xem)"
    assert field(phone, "Dân tộc") == "(không được xem)"
    sign_out(phone)

    sign_in(phone, base_url, "cudan.to17")
    reads = phone.get_by_role("region", name="Ai đã xem dữ liệu của tôi")
    expect(reads).to_contain_text("Công an khu vực Hải Châu (An ninh, trật tự) — Trần Thị Mai")


def test_a_group_leader_sees_masked_identity(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "totruong.to17")
    open_household(phone, "Tổ dân phố 17 — Phường Hải Châu", "HO-002")
    _read_person(phone, "Lê Thị Hoa", "Rà soát, làm sạch dữ liệu")
    assert field(phone, "Số định danh cá nhân").startswith("•••")
    assert len(field(phone, "Ngày sinh")) == 4  # the year only


def test_a_resident_withdraws_and_gives_consent_for_their_phone(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "cudan.to17")
    phone.get_by_role("link", name="Nguyễn Văn Hùng").click()
    expect(phone.get_by_role("heading", name="Nguyễn Văn Hùng")).to_be_visible()
    assert field(phone, "Tôn giáo") != "(không được xem)"  # their own record, in full
    phone.get_by_role("button", name="Rút lại đồng ý").click()
    expect(phone.get_by_label("Số điện thoại")).to_be_visible()
    assert field(phone, "Số điện thoại") == "—"
    phone.get_by_label("Số điện thoại").fill("0905 777 888")
    phone.get_by_role("button", name="Đồng ý nhận thông báo qua số này").click()
    expect(phone.get_by_role("button", name="Rút lại đồng ý")).to_be_visible()
    assert field(phone, "Số điện thoại") == "+84905777888"
    phone.get_by_role("button", name="Xem lịch sử").click()
    history = phone.locator("#history li")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text("Ghi vào sổ")
    expect(history.nth(1)).to_contain_text("Rút lại đồng ý (nhận thông báo qua điện thoại) — Nguyễn Văn Hùng")
    expect(history.nth(2)).to_contain_text("Đồng ý (nhận thông báo qua điện thoại) — Nguyễn Văn Hùng")


def test_a_ward_official_erases_a_person_and_the_household_keeps_its_count(
    phone: Page, base_url: str
) -> None:
    sign_in(phone, base_url, "phuong.haichau")
    open_household(phone, "Tổ dân phố 17 — Phường Hải Châu", "HO-003")
    _read_person(phone, "Huỳnh Văn Lộc", "Rà soát, làm sạch dữ liệu")
    phone.get_by_label("Lý do xoá").select_option(label="Theo yêu cầu của người dân")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Xoá dữ liệu cá nhân").click()
    expect(phone.get_by_role("status").filter(has_text="đã bị xoá")).to_be_visible()
    assert field(phone, "Họ và tên") == "—"
    phone.get_by_role("link", name="Quay lại: Hộ").click()
    expect(phone.locator(".members li")).to_have_count(4)
    expect(phone.locator(".members li").nth(3)).to_contain_text("Đã xoá theo yêu cầu")
    phone.get_by_role("navigation").get_by_role("link", name="Hộ gia đình").click()
    phone.get_by_role("button", name="Tổ dân phố 17 — Phường Hải Châu").click()
    expect(phone.locator("#households tbody tr").nth(2)).to_contain_text("4")


def test_the_ward_sees_who_read_personal_data_in_its_units(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "congan.haichau")
    open_household(phone, "Tổ dân phố 17 — Phường Hải Châu", "HO-002")
    _read_person(phone, "Lê Quốc Bảo", "Liên hệ, thông báo")
    sign_out(phone)
    sign_in(phone, base_url, "phuong.haichau")
    phone.get_by_role("link", name="Nhật ký xem dữ liệu").click()
    first = phone.locator("#audit li").first
    expect(first).to_contain_text("Công an khu vực Hải Châu")
    expect(first).to_contain_text("Hộ HO-002 · Nhân khẩu · Liên hệ, thông báo")


def test_an_official_finds_a_person_by_name_without_tones(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "totruong.to17")
    phone.get_by_role("button", name="Tổ dân phố 17 — Phường Hải Châu").click()
    finder = phone.get_by_role("search", name="Tìm nhân khẩu")
    finder.get_by_label("Tên (có thể gõ không dấu)", exact=False).fill("huynh gia")
    finder.get_by_label("Mục đích xem").select_option(label="Quản lý cư trú")
    finder.get_by_role("button", name="Tìm").click()
    results = phone.locator("#found li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Huỳnh Gia Hân — Hộ HO-003, sinh năm")
    results.first.get_by_role("link").click()
    # The person's page asks for the purpose first (the unit's page, with its own purpose fields,
    # is replaced a moment after the address changes).
    expect(phone.get_by_text("Lần xem này được ghi lại", exact=False)).to_be_visible()
    expect(finder).to_have_count(0)
    expect(phone.get_by_label("Mục đích xem")).to_be_visible()
