"""What a clerk hit on a phone: the worklist filtered and paged, the household list paged, each
official's first screen saying what needs doing, dates of birth typed either way, relationships
chosen rather than preset, refusals said on the page, and the units of before 2025."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_pages import open_household, sign_in
from playwright.sync_api import Page, expect

from tothon.seed import DEMO_PASSWORD

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def _api(page: Page, base_url: str, username: str) -> Any:
    """Calls to the registry as ``username``, for setting the scene."""
    session = page.request.post(
        f"{base_url}/registry/api/v1/auth/sign-in", data={"username": username, "password": DEMO_PASSWORD}
    )
    token = session.json()["access_token"]

    def call(method: str, path: str, body: Any = None) -> Any:
        response = page.request.fetch(
            f"{base_url}/registry/api/v1{path}",
            method=method,
            data=body,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.ok, response.text()
        return response.json()

    return call


def test_an_officials_first_screen_says_what_needs_doing(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "totruong.to17")
    todo = phone.get_by_role("region", name="Việc cần làm")
    expect(todo.get_by_role("link", name="báo cáo cư trú thực tế chờ xem xét")).to_be_visible()
    expect(todo.get_by_role("link", name="đề nghị đính chính đang chờ phường")).to_be_visible()
    expect(todo.get_by_role("link", name="việc cần xử lý trong sổ")).to_be_visible()
    expect(todo).to_contain_text("Điểm chất lượng: Đúng")
    # The navigation is one row along the bottom of a phone's screen.
    nav = phone.get_by_role("navigation", name="Điều hướng").bounding_box()
    assert nav is not None
    assert nav["height"] < 70
    assert nav["y"] + nav["height"] == pytest.approx(844, abs=2)
    _shot(phone, "first-screen-group-leader")
    todo.get_by_role("link", name="việc cần xử lý trong sổ").click()
    expect(phone.get_by_role("heading", level=2)).to_have_text("Chất lượng dữ liệu")
    expect(phone.get_by_role("region", name="Việc cần làm")).to_have_count(0)  # the first screen only


def test_the_ward_filters_the_worklist_by_severity_and_rule(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "phuong.haichau")
    expect(phone.get_by_role("region", name="Việc cần làm")).to_contain_text("chờ bạn quyết định")
    phone.get_by_role("navigation").get_by_role("link", name="Chất lượng dữ liệu").click()
    findings = phone.locator("#findings li")
    expect(findings.first).to_be_visible()
    phone.get_by_label("Mức độ").select_option(label="Nhắc")
    expect(findings.first).to_contain_text("Nhắc")
    for text in findings.all_inner_texts():
        assert text.startswith("Nhắc")
    phone.get_by_label("Mức độ").select_option(label="Mọi mức độ")
    # The kind of the first finding (after "Hộ HO-xxx: "), chosen as the filter.
    kind = findings.first.inner_text().split(": ", 1)[1].split("\n")[0].strip()
    phone.get_by_label("Loại việc").select_option(label=kind)
    expect(findings.first).to_contain_text(kind)
    for text in findings.all_inner_texts():
        assert kind in text
    expect(phone.locator("#scores")).to_contain_text("Cả đơn vị")
    _shot(phone, "worklist-filtered")


def _group(call: Any, name: str) -> str:
    """A residential group of Phường Hải Châu of this test's own (the other tests count TDP 17's
    households)."""
    units = call("GET", "/units?serving=households:read")
    found = next((u["unit_id"] for u in units if u["name"] == name), None)
    if found:
        return str(found)
    ward = next(u for u in units if u["kind"] == "ward")
    body = {
        "kind": "residential_group",
        "name": name,
        "parent_id": ward["unit_id"],
        "effective_from": "2025-07-01",
    }
    return str(call("POST", "/units", body)["id"])


def _household(call: Any, group: str, code: str) -> None:
    head = {"full_name": f"Đoàn Văn {code}", "relationship": "head", "sex": "male", "birth_year": 1970}
    call(
        "POST",
        "/households",
        {"unit_id": group, "code": code, "registered_on": "2025-08-01", "members": [head]},
    )


def test_the_household_list_pages_through_a_large_group(phone: Page, base_url: str) -> None:
    call = _api(phone, base_url, "phuong.haichau")
    group = _group(call, "Tổ dân phố 99")
    for number in range(1, 56):
        _household(call, group, f"TDP99-{number:03d}")
    sign_in(phone, base_url, "phuong.haichau")
    phone.get_by_role("button", name="Tổ dân phố 99 — Phường Hải Châu").click()
    rows = phone.locator("#households tbody tr")
    expect(phone.locator("#hh-page")).to_have_text("1–50 trong 55", timeout=15_000)
    expect(rows).to_have_count(50)
    pages = phone.get_by_role("navigation", name="Các trang")
    expect(pages.get_by_role("button", name="‹ Trước")).to_be_disabled()
    pages.get_by_role("button", name="Sau ›").click()
    expect(phone.locator("#hh-page")).to_have_text("51–55 trong 55")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("TDP99-051")
    expect(pages.get_by_role("button", name="Sau ›")).to_be_disabled()
    pages.scroll_into_view_if_needed()
    _shot(phone, "household-list-page-2")


def test_registration_takes_iso_dates_refuses_unreadable_ones_and_says_a_code_is_taken(
    phone: Page, base_url: str
) -> None:
    call = _api(phone, base_url, "phuong.haichau")
    _household(call, _group(call, "Tổ dân phố 98"), "HO-001")
    sign_in(phone, base_url, "phuong.haichau")
    phone.get_by_role("button", name="Tổ dân phố 98 — Phường Hải Châu").click()
    phone.locator("summary", has_text="Đăng ký hộ mới").click()
    form = phone.get_by_role("form", name="Đăng ký hộ mới")
    form.get_by_label("Mã hộ").fill("HO-001")  # taken
    head = form.get_by_role("group", name="Nhân khẩu 1")
    head.get_by_label("Họ và tên").fill("Phạm Văn Đông")
    birth = head.get_by_label("Ngày sinh (ngày/tháng/năm) hoặc năm sinh")
    birth.fill("1/9/20100")
    form.get_by_role("button", name="Thêm thành viên").click()
    child = form.get_by_role("group", name="Nhân khẩu 2")
    # The relationship is the clerk's choice: nothing is preset, and none is none.
    expect(child.get_by_label("Quan hệ với chủ hộ")).to_have_value("")
    child.get_by_label("Họ và tên").fill("Phạm Thị Thu")
    child.get_by_label("Quan hệ với chủ hộ").select_option(label="Con")
    child.get_by_label("Giới tính").select_option(label="Nữ")
    child.get_by_label("Ngày sinh (ngày/tháng/năm) hoặc năm sinh").fill("2010-09-01")
    error = form.locator(".error")
    form.get_by_role("button", name="Đăng ký hộ mới").click()
    expect(error).to_contain_text('Không đọc được ngày sinh "1/9/20100"')
    birth.fill("01/09/1980")
    form.get_by_role("button", name="Đăng ký hộ mới").click()
    expect(error).to_have_text("Mã hộ này đã được dùng trong đơn vị.")
    form.get_by_label("Mã hộ").fill("HO-077")
    form.get_by_role("button", name="Đăng ký hộ mới").click()
    phone.get_by_role("link", name="HO-077", exact=True).click()
    phone.get_by_role("link", name="Phạm Thị Thu").click()
    phone.get_by_label("Mục đích xem").select_option(label="Quản lý cư trú")
    phone.get_by_role("button", name="Xem thông tin").click()
    expect(phone.locator("dl.fields dt:text-is('Ngày sinh') + dd")).to_have_text("01/09/2010")


def test_new_member_and_new_head_forms_preset_no_relationship(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "truongthon.trakiem")
    open_household(phone, "Thôn Trà Kiểm — Phường Hòa Xuân", "HO-002")
    phone.locator("summary", has_text="Thêm nhân khẩu (sinh, chuyển đến)").click()
    join = phone.get_by_role("form", name="Thêm nhân khẩu (sinh, chuyển đến)")
    expect(join.get_by_label("Quan hệ với chủ hộ")).to_have_value("")
    phone.locator("summary", has_text="Đổi chủ hộ").click()
    head = phone.get_by_role("form", name="Đổi chủ hộ")
    for choice in head.locator("select[name^=rel-]").all():
        expect(choice).to_have_value("")
    # Submitting without a choice is stopped by the form itself: nothing is sent.
    head.get_by_role("button", name="Đổi chủ hộ").click()
    assert head.locator("select[name^=rel-]").first.evaluate("s => !s.validity.valid")


def test_a_refused_person_read_is_said_on_the_page(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "totruong.to17")
    expect(phone.get_by_role("region", name="Việc cần làm")).to_be_visible()
    phone.goto(f"{base_url}/web/#/person/3f676157-6166-5b9a-8c6b-f1be5a438a1e")
    phone.get_by_label("Mục đích xem").select_option(label="Quản lý cư trú")
    phone.get_by_role("button", name="Xem thông tin").click()
    expect(phone.get_by_role("alert")).to_have_text("Không có nhân khẩu này.")


def test_units_as_of_a_day_before_2025_show_the_units_of_before_the_reform(
    phone: Page, base_url: str
) -> None:
    sign_in(phone, base_url, "phuong.haichau")
    phone.get_by_role("navigation").get_by_role("link", name="Đơn vị hành chính").click()
    phone.get_by_label("Xem theo ngày").fill("2024-06-01")
    phone.get_by_label("Xem theo ngày").dispatch_event("change")
    expect(phone.locator("#known-since")).to_contain_text("01/01/2025")
    expect(phone.locator("#unit-list")).to_contain_text("Quảng Nam")
    phone.locator("#unit-list").get_by_role("link", name="Thành phố Đà Nẵng").click()
    expect(phone.locator("#unit-list")).to_contain_text("Quận Hải Châu")


@pytest.mark.parametrize(
    ("username", "first"),
    [
        ("cudan.to17", lambda page: page.get_by_role("list", name="Số nhân khẩu")),
        ("admin", lambda page: page.get_by_role("heading", name="Tài khoản phục vụ đơn vị này")),
        (
            "congan.haichau",
            lambda page: page.get_by_role("region", name="Việc cần làm").get_by_role(
                "link", name="báo cáo cư trú thực tế chờ xem xét"
            ),
        ),
    ],
)
def test_each_roles_first_screen_shows_what_is_theirs_to_do(
    phone: Page, base_url: str, username: str, first: Any
) -> None:
    # A resident lands on their household, an administrator on the accounts, the police on the
    # flags and the worklist.
    sign_in(phone, base_url, username)
    expect(first(phone)).to_be_visible()
    _shot(phone, f"first-screen-{username}")
