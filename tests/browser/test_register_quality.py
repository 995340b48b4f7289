"""Ghost residents and data quality in the browser: a group leader flags a member who does not
live at home, the area police review it on the data-quality screen."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from browser_pages import open_household, sign_in, sign_out
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from sheets import clerk_xlsx

from tothon_registry.imports.columns import COLUMNS

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
        ["Dòng 42 — Ngày sinh: không có tháng 13 — ngày và tháng bị đảo chăng? (viết ngày/tháng/năm)"]
    )


def test_a_clerks_spreadsheet_shows_every_error_of_a_row_and_what_was_dropped(
    phone: Page, base_url: str, tmp_path: Path
) -> None:
    sign_in(phone, base_url, "truongthon.trakiem")
    phone.get_by_role("link", name="Nhập từ bảng tính").click()
    link = phone.get_by_role("link", name="Tải tệp mẫu (XLSX) có sẵn các cột và một dòng ví dụ")
    with phone.expect_download() as downloaded:
        link.click()
    assert downloaded.value.suggested_filename == "mau-nhap-ho-gia-dinh.xlsx"
    template = load_workbook(io.BytesIO(downloaded.value.path().read_bytes())).worksheets[0]
    assert [c.value for c in template[1]] == [c.header for c in COLUMNS]
    phone.get_by_text("Các cột được đọc").click()
    expect(phone.locator("#import-columns dt")).to_have_count(len(COLUMNS))
    expect(phone.locator("#import-columns dt").first).to_have_text("Mã hộ (bắt buộc)")
    sheet = tmp_path / "so-ho-thon.xlsx"
    sheet.write_bytes(clerk_xlsx())
    phone.get_by_label("Tệp CSV hoặc XLSX").set_input_files(str(sheet))
    phone.get_by_role("button", name="Nhập", exact=True).click()
    expect(phone.locator("#import-result")).to_have_text(
        "Xong: 3 hộ mới, 0 hộ đã có (không đổi), 4 hộ có lỗi chưa nhập.", timeout=30_000
    )
    errors = phone.locator("#import-errors li")
    expect(errors).to_have_count(7)
    expect(errors.nth(0)).to_have_text(
        "Dòng 10 — Ngày sinh: không có tháng 13 — ngày và tháng bị đảo chăng? (viết ngày/tháng/năm)"
    )
    expect(errors.nth(1)).to_contain_text(
        "Dòng 10 — Số định danh: đây là số chứng minh nhân dân (CMND) 9 số cũ"
    )
    notes = phone.locator("#import-notes li")
    expect(notes.filter(has_text="Dòng 4 — Số định danh")).to_contain_text("đã thêm lại số 0")
    expect(notes.filter(has_text="Dòng 8 — Số điện thoại")).to_contain_text("số di động 11 số cũ")


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
