"""Ghost residents and data quality in the browser: a group leader flags a member who does not
live at home, the area police review it on the data-quality screen."""

from __future__ import annotations

from pathlib import Path

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


def test_a_leader_imports_a_spreadsheet_and_sees_progress_and_row_errors(
    phone: Page, base_url: str, tmp_path: Path
) -> None:
    sheet = tmp_path / "so-ho-tra-kiem.csv"
    rows = ["Mã hộ,Họ và tên,Quan hệ với chủ hộ,Giới tính,Ngày sinh"]
    rows += [f"NK-{n:03d},Nguyễn Văn Khách {n},Chủ hộ,Nam,1980" for n in range(1, 41)]
    rows.append("NK-099,Trần Thị Lỗi,Con,Nữ,05/13/1999")
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    # Thôn Trà Kiểm: the other browser tests count Tổ dân phố 17's households.
    sign_in(phone, base_url, "truongthon.trakiem")
    phone.get_by_role("link", name="Nhập từ bảng tính").click()
    phone.get_by_label("Tệp CSV hoặc XLSX").set_input_files(str(sheet))
    phone.get_by_role("button", name="Nhập", exact=True).click()
    expect(phone.locator("#import-result")).to_have_text(
        "Xong: 40 hộ mới, 0 hộ đã có (không đổi), 1 hộ có lỗi chưa nhập.", timeout=30_000
    )
    expect(phone.locator("progress")).to_have_attribute("value", "41")
    expect(phone.locator("#import-errors li")).to_have_text(
        ["Dòng 42: Ngày sinh 05/13/1999: tháng 13 không có — ngày và tháng bị đảo chăng?"]
    )


def test_a_village_head_registers_a_household_with_its_members(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "truongthon.trakiem")
    phone.get_by_role("button", name="Thôn Trà Kiểm — Phường Hòa Xuân").click()
    phone.locator("summary", has_text="Đăng ký hộ mới").click()
    form = phone.get_by_role("form", name="Đăng ký hộ mới")
    form.get_by_label("Mã hộ").fill("HO-050")
    head = form.get_by_role("group", name="Nhân khẩu 1")
    head.get_by_label("Họ và tên").fill("NGUYỄN VĂN MƯỜI")
    head.get_by_label("Ngày sinh (ngày/tháng/năm) hoặc năm sinh").fill("1965")
    head.get_by_label("Số định danh cá nhân").fill("048065000050")
    form.get_by_role("button", name="Thêm thành viên").click()
    spouse = form.get_by_role("group", name="Nhân khẩu 2")
    spouse.get_by_label("Họ và tên").fill("Lê Thị Bảy")
    spouse.get_by_label("Quan hệ với chủ hộ").select_option(label="Vợ/chồng")
    spouse.get_by_label("Giới tính").select_option(label="Nữ")
    spouse.get_by_label("Ngày sinh (ngày/tháng/năm) hoặc năm sinh").fill("02/03/1968")
    form.get_by_role("button", name="Đăng ký hộ mới").click()
    row = phone.locator("#households tbody tr", has_text="HO-050")
    expect(row).to_contain_text("Nguyễn Văn Mười")
    expect(row.locator("td").nth(2)).to_have_text("2")
