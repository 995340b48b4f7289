"""Feedback in the browser, phone-sized: a resident files a case with a photo taken on the phone,
follows it and rates a resolved one; the group leader works the queue (accepts, replies,
escalates), the ward returns a case to the group, the group resolves it with a photo as evidence,
and the resident reopens it; anyone sees the outcomes and the figures with their charts."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_pages import sign_in, sign_out
from photos import phone_jpeg
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
SEEDED = 30_000  # ms: the demo's cases are filed once the registry's events reach feedback


def _photo(tmp_path: Path, name: str = "anh.jpg") -> Path:
    path = tmp_path / name
    path.write_bytes(phone_jpeg(1200, 900))
    return path


def _step(page: Page, title: str, fields: dict[str, str] | None = None) -> None:
    """Open a step's form by its summary, fill it and send it."""
    page.locator("summary", has_text=title).first.click()
    form = page.get_by_role("form", name=title, exact=True)
    for label, value in (fields or {}).items():
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name=title, exact=True).click()


def _open_case(page: Page, text: str) -> None:
    link = page.get_by_role("link", name=text)
    expect(link).to_be_visible(timeout=SEEDED)
    link.click()
    expect(page.get_by_role("heading", name="Phản ánh", exact=True)).to_be_visible()


def test_a_resident_files_with_a_photo_follows_the_case_and_rates_a_resolved_one(
    phone: Page, base_url: str, tmp_path: Path
) -> None:
    sign_in(phone, base_url, "cudan.to17")
    phone.get_by_role("navigation").get_by_role("link", name="Gửi phản ánh").click()
    form = phone.get_by_role("form", name="Gửi phản ánh, kiến nghị")
    form.get_by_label("Lĩnh vực").select_option(label="Vệ sinh môi trường, rác thải")
    form.get_by_label("Nội dung phản ánh").fill("Bãi rác tự phát cạnh nhà văn hoá tổ 17, bốc mùi")
    form.get_by_label("Địa điểm").fill("Nhà văn hoá tổ 17")
    form.get_by_label("Ảnh (chụp bằng điện thoại)").set_input_files(_photo(tmp_path))
    form.get_by_role("button", name="Gửi phản ánh").click()
    expect(phone.get_by_role("heading", name="Phản ánh", exact=True)).to_be_visible()
    expect(phone.locator(".case-text")).to_have_text("Bãi rác tự phát cạnh nhà văn hoá tổ 17, bốc mùi")
    expect(phone.locator(".badge.status-submitted")).to_have_text("Chờ tiếp nhận")
    expect(phone.get_by_label("Ảnh kèm theo").locator("img")).to_have_count(1)
    expect(phone.locator("#timeline li").first).to_contain_text("Tiếp nhận phản ánh")
    phone.screenshot(path="test-artifacts/feedback-resident-case.png", full_page=True)

    # Sending it again is pointed to the open case.
    phone.get_by_role("navigation").get_by_role("link", name="Gửi phản ánh").click()
    form = phone.get_by_role("form", name="Gửi phản ánh, kiến nghị")
    form.get_by_label("Lĩnh vực").select_option(label="Vệ sinh môi trường, rác thải")
    form.get_by_label("Nội dung phản ánh").fill("Bãi rác tự phát cạnh nhà văn hoá tổ 17 bốc mùi")
    form.get_by_role("button", name="Gửi phản ánh").click()
    expect(phone.locator("#feedback-outcome")).to_contain_text("đang được xử lý")
    expect(phone.get_by_role("link", name="Xem phản ánh đang được xử lý")).to_be_visible()

    # The demo's resolved case of the household: confirm and rate it.
    phone.get_by_role("navigation").get_by_role("link", name="Phản ánh của tôi").click()
    _open_case(phone, "Cống thoát nước trước nhà bị tắc")
    expect(phone.get_by_role("region", name="Kết quả xử lý")).to_contain_text("Tổ đã thông cống.")
    phone.locator("summary", has_text="Xác nhận đã xử lý và đánh giá").click()
    phone.get_by_text("★★★★", exact=True).click()
    phone.get_by_role("button", name="Xác nhận đã xử lý và đánh giá").click()
    expect(phone.locator(".badge.status-closed")).to_have_text("Đã đóng")
    expect(phone.get_by_text("Đánh giá: ★★★★", exact=True)).to_be_visible()


def test_the_group_escalates_the_ward_returns_the_group_resolves_and_the_resident_reopens(
    phone: Page, base_url: str, tmp_path: Path
) -> None:
    sign_in(phone, base_url, "totruong.to17")
    phone.get_by_role("navigation").get_by_role("link", name="Xử lý phản ánh").click()
    expect(phone.locator("#queue .case").first).to_be_visible(timeout=SEEDED)
    expect(phone.locator("#queue [class*=deadline-]").first).to_be_visible()
    phone.screenshot(path="test-artifacts/feedback-queue.png", full_page=True)
    _open_case(phone, "Cây xanh trước số 21 có nguy cơ gãy cành")
    _step(phone, "Tiếp nhận")
    expect(phone.locator(".badge.status-accepted")).to_have_text("Đã tiếp nhận")
    _step(
        phone,
        "Trả lời người phản ánh",
        {"Nội dung trả lời (công khai với người phản ánh)": "Tổ đã báo công ty cây xanh"},
    )
    expect(phone.locator("#timeline")).to_contain_text("Tổ đã báo công ty cây xanh")
    _step(phone, "Chuyển lên cấp trên", {"Lý do": "Cần xe nâng của phường"})
    expect(phone.get_by_text("Cấp phường, xã")).to_be_visible()
    expect(phone.get_by_text("Phản ánh đang ở cấp khác")).to_be_visible()
    sign_out(phone)

    sign_in(phone, base_url, "phuong.haichau")
    phone.get_by_role("navigation").get_by_role("link", name="Xử lý phản ánh").click()
    _open_case(phone, "Cây xanh trước số 21 có nguy cơ gãy cành")
    phone.locator("summary", has_text="Trả về cấp dưới").click()
    returning = phone.get_by_role("form", name="Trả về cấp dưới")
    returning.get_by_label("Đơn vị nhận lại").select_option(label="Tổ dân phố 17")
    returning.get_by_label("Lý do").fill("Tổ đã có xe nâng của công ty cây xanh")
    returning.get_by_role("button", name="Trả về cấp dưới").click()
    expect(phone.get_by_text("Cấp tổ, thôn")).to_be_visible()
    phone.screenshot(path="test-artifacts/feedback-returned.png", full_page=True)
    sign_out(phone)

    sign_in(phone, base_url, "totruong.to17")
    phone.get_by_role("navigation").get_by_role("link", name="Xử lý phản ánh").click()
    _open_case(phone, "Cây xanh trước số 21 có nguy cơ gãy cành")
    _step(phone, "Tiếp nhận")
    expect(phone.locator(".badge.status-accepted")).to_have_text("Đã tiếp nhận")
    phone.locator("summary", has_text="Báo kết quả").click()
    resolving = phone.get_by_role("form", name="Báo kết quả (kèm bằng chứng)")
    resolving.get_by_label("Kết quả xử lý (công khai)").fill("Đã cắt tỉa cành cây có nguy cơ gãy")
    resolving.get_by_label("Ảnh hoặc văn bản làm bằng chứng").set_input_files(_photo(tmp_path, "sau.jpg"))
    resolving.get_by_role("button", name="Báo kết quả (kèm bằng chứng)").click()
    expect(phone.locator(".badge.status-resolved")).to_have_text("Đã có kết quả")
    expect(phone.get_by_label("Bằng chứng").locator("img")).to_have_count(1)
    phone.screenshot(path="test-artifacts/feedback-resolved.png", full_page=True)
    sign_out(phone)

    sign_in(phone, base_url, "cudan.to17")
    phone.get_by_role("navigation").get_by_role("link", name="Phản ánh của tôi").click()
    _open_case(phone, "Cây xanh trước số 21 có nguy cơ gãy cành")
    phone.locator("summary", has_text="Chưa hài lòng").click()
    phone.get_by_label("Lý do chưa hài lòng").fill("Cành lớn phía đường vẫn chưa cắt")
    phone.get_by_role("button", name="Chưa hài lòng, đề nghị xử lý lại").click()
    expect(phone.locator(".badge.status-submitted")).to_have_text("Chờ tiếp nhận")
    expect(phone.get_by_text("Cấp phường, xã")).to_be_visible()
    expect(phone.locator("#timeline")).to_contain_text("Mở lại, chuyển cấp trên")


def test_a_city_official_sees_a_late_case_at_the_city(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "thanhpho")
    phone.get_by_role("navigation").get_by_role("link", name="Xử lý phản ánh").click()
    late = phone.locator("#queue .case", has_text="Đề nghị công khai quy hoạch khu dân cư tổ 17")
    expect(late.locator(".badge.deadline-late")).to_have_text("Quá hạn", timeout=SEEDED)


def test_anyone_sees_the_outcomes_and_the_figures_with_charts(phone: Page, base_url: str) -> None:
    phone.goto(f"{base_url}/web/")
    phone.get_by_role("link", name="Xem kết quả phản ánh, kiến nghị công khai").click()
    phone.get_by_label("Đơn vị").select_option(label="Phường Hải Châu")
    outcomes = phone.locator("#outcome-list li")
    expect(outcomes.first).to_contain_text("Tổ đã", timeout=SEEDED)
    expect(phone.locator("#outcome-list img").first).to_be_visible()
    expect(phone.locator("svg.chart rect").first).to_be_attached()
    expect(phone.locator("#figures")).to_contain_text("tiếp nhận")
    expect(phone.get_by_text("Giải quyết ngay tại tổ, thôn")).to_be_visible()
    phone.screenshot(path="test-artifacts/feedback-public.png", full_page=True)
    phone.get_by_role("button", name="Switch language / Đổi ngôn ngữ").click()
    expect(phone.get_by_role("heading", name="Outcomes of feedback and petitions")).to_be_visible()
    expect(phone.get_by_text("Settled at the group or village")).to_be_visible()
    phone.screenshot(path="test-artifacts/feedback-public-en.png", full_page=True)


def test_a_group_leader_writes_down_a_phone_call_for_a_household(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "totruong.to17")
    phone.get_by_role("navigation").get_by_role("link", name="Xử lý phản ánh").click()
    phone.locator("summary", has_text="Ghi phản ánh khi tiếp dân").click()
    form = phone.get_by_role("form", name="Ghi phản ánh khi tiếp dân")
    form.get_by_label("Hình thức").select_option(label="Qua điện thoại")
    form.get_by_label("Hộ").select_option(label="HO-002")
    form.get_by_label("Lĩnh vực").select_option(label="Vệ sinh môi trường, rác thải")
    form.get_by_label("Nội dung phản ánh").fill("Bà Lan gọi điện: xe rác không đến hai ngày")
    form.get_by_role("button", name="Ghi phản ánh khi tiếp dân").click()
    expect(phone.locator(".case-text")).to_have_text("Bà Lan gọi điện: xe rác không đến hai ngày")
    expect(phone.locator(".badge.status-submitted")).to_have_text("Chờ tiếp nhận")
