"""A household's life, corrections and units in the browser: a village head records a birth and
splits a household; a resident proposes a correction that the ward official approves; an official
looks up a 2024 ward by its old code and sees the unit it became and the pilot group's history."""

from __future__ import annotations

import pytest
from browser_pages import open_household, sign_in, sign_out
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_village_head_records_a_birth_and_splits_a_household(phone: Page, base_url: str) -> None:
    # Thôn Trà Kiểm: the other browser tests count Tổ dân phố 17's households.
    sign_in(phone, base_url, "truongthon.trakiem")
    open_household(phone, "Thôn Trà Kiểm — Phường Hòa Xuân", "HO-001")
    phone.locator("summary", has_text="Thêm nhân khẩu (sinh, chuyển đến)").click()
    join = phone.get_by_role("form", name="Thêm nhân khẩu (sinh, chuyển đến)")
    join.get_by_label("Họ và tên").fill("Nguyễn Thị Mai Anh")
    join.get_by_label("Quan hệ với chủ hộ").select_option(label="Cháu")
    join.get_by_label("Giới tính").select_option(label="Nữ")
    join.get_by_role("button", name="Thêm nhân khẩu (sinh, chuyển đến)").click()
    members = phone.get_by_role("list", name="Số nhân khẩu")
    expect(members.get_by_role("link", name="Nguyễn Thị Mai Anh")).to_be_visible()

    # Tài (the son) splits off with his daughter Thủy and the newborn.
    phone.locator("summary", has_text="Tách hộ").click()
    split = phone.get_by_role("form", name="Tách hộ")
    split.get_by_label("Mã hộ mới").fill("HO-001B")
    split.get_by_role("group", name="Nguyễn Văn Tài").get_by_label("Trong hộ mới").select_option(
        label="Chủ hộ"
    )
    split.get_by_role("group", name="Nguyễn Thị Thủy").get_by_label("Trong hộ mới").select_option(label="Con")
    split.get_by_role("group", name="Nguyễn Thị Mai Anh").get_by_label("Trong hộ mới").select_option(
        label="Con"
    )
    split.get_by_role("button", name="Tách hộ").click()
    expect(phone.get_by_role("heading", name="Hộ HO-001B")).to_be_visible()
    new = phone.get_by_role("list", name="Số nhân khẩu")
    expect(new.locator("li")).to_have_text(
        ["Nguyễn Văn Tài — Chủ hộ", "Nguyễn Thị Thủy — Con", "Nguyễn Thị Mai Anh — Con"]
    )
    open_household(phone, "Thôn Trà Kiểm — Phường Hòa Xuân", "HO-001")
    expect(phone.get_by_role("list", name="Số nhân khẩu").locator("li")).to_have_text(
        ["Nguyễn Văn Tư — Chủ hộ", "Nguyễn Thị Sáu — Vợ/chồng"]
    )


def test_a_resident_proposes_a_correction_and_the_ward_approves_it(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "cudan.to17")
    phone.get_by_role("link", name="Dữ liệu của tôi").click()
    phone.get_by_role("link", name="Nguyễn Minh Khôi").click()
    proposal = phone.get_by_role("region", name="Đề nghị đính chính")
    proposal.get_by_label("Thông tin cần sửa").select_option(label="Nghề nghiệp")
    proposal.get_by_label("Giá trị đúng").fill("Sinh viên")
    proposal.get_by_label("Lý do").fill("Con đang học đại học")
    proposal.get_by_role("button", name="Gửi đề nghị").click()
    expect(proposal.get_by_role("status")).to_have_text("Đã gửi; cán bộ phường sẽ xem xét và trả lời.")
    sign_out(phone)

    sign_in(phone, base_url, "phuong.haichau")
    phone.get_by_role("link", name="Đính chính thông tin").click()
    item = phone.locator("#corrections > li", has_text="Nguyễn Minh Khôi")
    expect(item).to_contain_text("Nghề nghiệp: Sinh viên")
    expect(item).to_contain_text("Con đang học đại học")
    item.get_by_label("Kết luận").select_option(label="Đồng ý")
    item.get_by_label("Lý do").fill("Đã đối chiếu thẻ sinh viên")
    item.get_by_role("button", name="Quyết định").click()
    expect(phone.locator("#corrections > li", has_text="Nguyễn Minh Khôi")).to_have_count(0)
    phone.get_by_label("Hiện cả đề nghị đã quyết định").check()
    decided = phone.locator("#corrections > li", has_text="Nguyễn Minh Khôi")
    expect(decided.locator(".decision")).to_contain_text("Đã đồng ý")
    expect(decided.locator(".decision")).to_contain_text("Đã đối chiếu thẻ sinh viên")


def test_an_old_ward_code_leads_to_the_ward_it_became_and_the_groups_history(
    phone: Page, base_url: str
) -> None:
    sign_in(phone, base_url, "phuong.haichau")
    phone.get_by_role("link", name="Đơn vị hành chính").click()
    phone.locator("summary", has_text="Tìm theo mã đơn vị").click()
    phone.get_by_role("search", name="Tìm theo mã đơn vị").get_by_label("Mã").fill("20236")
    phone.get_by_role("search", name="Tìm theo mã đơn vị").get_by_role("button", name="Tìm").click()
    found = phone.locator("#by-code li")
    expect(found).to_have_text(["Phường Hải Châu — mã trước 1/7/2025 → nay là Phường Hải Châu"])
    found.get_by_role("link").click()
    unit = phone.locator("#unit")
    expect(unit).to_contain_text("Hoạt động từ 01/01/2025 đến trước 01/07/2025.")
    expect(unit.locator("#successors")).to_contain_text("Phường Hải Châu (sáp nhập)")
    # On a day before the reform the old ward holds the pilot group.
    expect(phone.locator("#unit-list")).to_contain_text("Tổ dân phố 17")
    phone.locator("#unit-list").get_by_role("link", name="Tổ dân phố 17").click()
    # It belonged to the old ward, then to the ward of today.
    expect(phone.locator("#unit-history li")).to_have_text(
        [
            "01/01/2025: Tổ dân phố 17 — Phường Hải Châu (20236)",
            "01/07/2025: Tổ dân phố 17 — Phường Hải Châu (20242)",
        ]
    )
    expect(phone.locator("#unit")).to_contain_text("Hoạt động từ 01/01/2025.")


def test_a_ward_official_creates_a_residential_group_in_the_ward(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "phuong.haichau")
    phone.get_by_role("link", name="Đơn vị hành chính").click()
    phone.get_by_role("link", name="Thành phố Đà Nẵng").click()
    phone.locator("#unit-list").get_by_role("link", name="Phường Hải Châu", exact=True).click()
    phone.locator("summary", has_text="Thêm tổ dân phố, thôn").click()
    form = phone.get_by_role("form", name="Thêm tổ dân phố, thôn")
    form.get_by_label("Tên").fill("Tổ dân phố 18")
    form.get_by_role("button", name="Thêm tổ dân phố, thôn").click()
    expect(phone.locator("#unit-list")).to_contain_text("Tổ dân phố 18")
    expect(phone.locator("#unit-list")).to_contain_text("Tổ dân phố 17")
