"""Funds in the browser, phone-sized: the group leader takes a household's contribution in cash
and prints its receipt, proposes an expense; the ward approves one; a resident sees the household's
dues with a VietQR to scan and its receipts; anyone reads the group's public accounts with their
charts and checks a receipt by its code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_pages import sign_in, sign_out
from photos import phone_jpeg
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
SEEDED = 60_000  # ms: the demo's funds are recorded once the registry's households reach funds


def _open_fund(page: Page, name: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Quỹ", exact=True).click()
    link = page.get_by_role("link", name=name)
    expect(link).to_be_visible(timeout=SEEDED)
    link.click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def test_the_leader_takes_cash_with_a_receipt_and_proposes_an_expense(
    phone: Page, base_url: str, tmp_path: Path
) -> None:
    sign_in(phone, base_url, "totruong.to17")
    _open_fund(phone, "Quỹ vệ sinh môi trường")
    expect(phone.locator(".badge.kind-community").first).to_have_text("Do cộng đồng quyết định")
    levy = phone.locator("details", has_text="Theo hộ · 120.000 ₫")
    expect(levy.locator("table.collection tbody tr").first).to_be_visible()
    cash = phone.get_by_role("button", name=re.compile(r"^Thu tiền mặt 120\.000 ₫"))  # found within a row
    first_unpaid = levy.locator("table.collection tbody tr", has=cash).first
    household = first_unpaid.locator("td").first.inner_text().strip()
    row = levy.locator("table.collection tbody tr", has_text=household)
    take = row.get_by_role("button", name=re.compile(r"^Thu tiền mặt 120\.000 ₫"))
    expect(take).to_be_visible()
    counted = re.compile(r"(\d+)/(\d+) hộ đã nộp đủ")
    before = counted.search(levy.inner_text())
    assert before is not None
    balance = phone.locator("p.balance strong")
    had = int(re.sub(r"\D", "", balance.inner_text()))
    take.click()
    expect(levy.get_by_role("button", name=re.compile(r"^In biên lai \d{4}-\d{6}"))).to_have_count(1)
    # what was taken shows at once: the row's paid column and the households paid in full
    expect(row.locator("td.paid")).to_have_text("120.000 ₫")
    expect(balance).to_have_text(f"{had + 120_000:,} ₫".replace(",", "."))
    paid_in_full, obliged = int(before.group(1)) + 1, int(before.group(2))
    expect(levy).to_contain_text(f"{paid_in_full}/{obliged} hộ đã nộp đủ")
    # the round's button goes with the last household left to collect from (the demo's third)
    left = 0 if paid_in_full == obliged else 1
    expect(levy.get_by_role("button", name="Ghi thu cả đợt")).to_have_count(left)
    phone.screenshot(path="test-artifacts/funds-leader-collection.png", full_page=True)

    phone.locator("summary", has_text="Đề xuất khoản chi").click()
    form = phone.get_by_role("form", name="Đề xuất khoản chi")
    form.get_by_label("Số tiền (đồng)").fill("180000")
    form.get_by_label("Nội dung chi").fill("Mua bóng đèn hành lang nhà văn hoá")
    form.get_by_label("Chứng từ (số hoá đơn, biên nhận)").fill("Hoá đơn số 0045")
    invoice = tmp_path / "hoa-don.jpg"
    invoice.write_bytes(phone_jpeg(1200, 900))
    form.get_by_label("Ảnh hoặc tệp PDF chứng từ").set_input_files(invoice)
    form.get_by_role("button", name="Đề xuất khoản chi").click()
    proposed = phone.locator("li.case", has_text="Mua bóng đèn hành lang nhà văn hoá")
    expect(proposed.get_by_role("link", name="Xem chứng từ")).to_be_visible()
    expect(proposed.locator(".badge.expense-proposed")).to_have_text("Chờ duyệt")
    # Never one's own: the leader is offered no approval of it.
    expect(proposed.get_by_role("button", name="Duyệt chi")).to_have_count(0)

    # A bank statement: a transfer without a reference is left to match by hand; an export with
    # a column the bank's format does not have is refused, the column named.
    statement = tmp_path / "sao-ke.csv"
    statement.write_text(
        "SAO KÊ TÀI KHOẢN\nNgày giao dịch;Số tham chiếu;Số tiền ghi nợ;Số tiền ghi có;Số dư;Mô tả\n"
        "02/03/2026;FT26061;;120.000;120.000;ung ho to 17\n",
        encoding="utf-8",
    )
    phone.locator("summary", has_text="Đối chiếu sao kê ngân hàng").click()
    form = phone.get_by_role("form", name="Đối chiếu sao kê ngân hàng")
    form.get_by_label("Ngân hàng").select_option(label="Vietcombank")
    form.get_by_label("Tệp sao kê (CSV hoặc Excel)").set_input_files(statement)
    form.get_by_role("button", name="Đối chiếu sao kê ngân hàng").click()
    expect(phone.get_by_text(re.compile(r"Đã ghi thu 0 giao dịch; 1 dòng cần đối chiếu tay"))).to_be_visible()
    phone.get_by_role("button", name="Cập nhật trang").click()
    waiting = phone.get_by_role("region", name="Giao dịch chờ đối chiếu tay").locator(
        "li.case", has_text="ung ho to 17"
    )
    waiting.locator("summary", has_text="Ghi thu cho hộ").click()
    match = waiting.get_by_role("form", name="Ghi thu cho hộ")
    match.locator("select[name=household_id]").select_option(label="HO-002")
    match.get_by_role("button", name="Ghi thu cho hộ").click()
    expect(phone.get_by_role("region", name="Giao dịch chờ đối chiếu tay")).to_have_count(0)
    expect(phone.locator("li.case", has_text="HO-002 · Chuyển khoản · 02/03/2026")).to_be_visible()
    phone.screenshot(path="test-artifacts/funds-leader-statement.png", full_page=True)
    phone.locator("summary", has_text="Đối chiếu sao kê ngân hàng").click()
    changed = tmp_path / "sao-ke-moi.csv"
    changed.write_text(
        "Ngày giao dịch;Số tiền ghi có;Mô tả;Kênh\n02/03/2026;120.000;x;App\n", encoding="utf-8"
    )
    form = phone.get_by_role("form", name="Đối chiếu sao kê ngân hàng")
    form.get_by_label("Ngân hàng").select_option(label="Vietcombank")
    form.get_by_label("Tệp sao kê (CSV hoặc Excel)").set_input_files(changed)
    form.get_by_role("button", name="Đối chiếu sao kê ngân hàng").click()
    expect(form.locator(".error")).to_contain_text("Kênh")
    sign_out(phone)


def test_the_ward_approves_an_expense_of_the_group(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "phuong.haichau")
    phone.get_by_role("navigation").get_by_role("link", name="Quỹ", exact=True).click()
    # The ward oversees its groups' funds: listed with the units below it.
    phone.get_by_label("Cả các đơn vị trực thuộc").check()
    link = phone.get_by_role("link", name="Quỹ vệ sinh môi trường")
    expect(link).to_be_visible(timeout=SEEDED)
    link.click()
    waiting = phone.locator("li.case", has_text="Sửa nắp cống trước nhà văn hoá")
    expect(waiting).to_contain_text("0/2 người duyệt")
    waiting.get_by_role("button", name="Duyệt chi").click()
    waiting = phone.locator("li.case", has_text="Sửa nắp cống trước nhà văn hoá")
    expect(waiting).to_contain_text("1/2 người duyệt")
    # One approval of two: still waiting, and this official is offered no second one.
    expect(waiting.locator(".badge.expense-proposed")).to_have_text("Chờ duyệt")
    expect(waiting.get_by_role("button", name="Duyệt chi")).to_have_count(0)
    phone.screenshot(path="test-artifacts/funds-ward-approval.png", full_page=True)
    sign_out(phone)


def test_a_resident_sees_dues_with_a_vietqr_and_receipts(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "cudan.to17")
    phone.get_by_role("navigation").get_by_role("link", name="Đóng góp của hộ").click()
    due = phone.locator("li.due", has_text="Quỹ vệ sinh môi trường")
    expect(due).to_be_visible(timeout=SEEDED)
    voluntary = phone.locator("li.due", has_text="Quỹ khuyến học")
    expect(voluntary.locator(".note")).to_contain_text("Quỹ tự nguyện")
    expect(due).to_contain_text(re.compile(r"01/01/\d{4} – 31/12/\d{4}"))  # dates as Vietnam writes them
    expect(phone.locator("figure.qr svg").first).to_be_visible()
    expect(phone.locator("figure.qr figcaption").first).to_contain_text("Quét mã")
    phone.screenshot(path="test-artifacts/funds-resident-dues.png", full_page=True)
    sign_out(phone)


def test_anyone_reads_the_public_accounts_and_checks_a_receipt(phone: Page, base_url: str) -> None:
    sign_in(phone, base_url, "cudan.to17")
    phone.get_by_role("navigation").get_by_role("link", name="Đóng góp của hộ").click()
    code_line = phone.locator("li.case", has_text="Mã xác thực").first
    expect(code_line).to_be_visible(timeout=SEEDED)
    code = re.search(r"Mã xác thực: ([0-9A-Z]{10})", code_line.inner_text())
    assert code is not None
    sign_out(phone)
    phone.goto(f"{base_url}/web/funds.html")
    phone.get_by_label("Đơn vị").select_option(label="Tổ dân phố 17")
    fund = phone.locator("article.fund", has_text="Quỹ vệ sinh môi trường")
    expect(fund).to_be_visible()
    expect(fund.locator("svg.chart rect").first).to_be_attached()
    expect(fund).to_contain_text("Mua chổi, xẻng, bao tải dọn vệ sinh")
    expect(phone.locator("article.fund", has_text="Quỹ khuyến học").locator(".note")).to_contain_text(
        "Quỹ tự nguyện"
    )
    phone.screenshot(path="test-artifacts/funds-public-report.png", full_page=True)
    phone.get_by_label("Mã xác thực").fill(code.group(1))
    phone.get_by_role("button", name="Kiểm tra").click()
    expect(phone.locator("#check-result")).to_contain_text(
        re.compile("Biên lai hợp lệ|Biên lai này đã bị huỷ")
    )
    phone.get_by_label("Mã xác thực").fill("ZZZZZZZZZZ")
    phone.get_by_role("button", name="Kiểm tra").click()
    expect(phone.locator("#check-result .error")).to_be_visible()


def test_the_leader_records_a_collection_round_in_one_go(phone: Page, base_url: str) -> None:
    """Last: it pays the disaster fund's dues that no other test reads."""
    sign_in(phone, base_url, "totruong.to17")
    _open_fund(phone, "Quỹ phòng, chống thiên tai")
    levy = phone.locator("details", has_text="Theo người trong độ tuổi lao động")
    picks = levy.locator("input.round-pick")
    expect(picks.first).to_be_visible()
    levy.get_by_role("button", name="Ghi thu cả đợt").click()
    expect(levy.get_by_text("Hãy chọn các hộ đã nộp tiền mặt trong đợt.")).to_be_visible()
    picks.nth(0).check()
    picks.nth(1).check()
    levy.get_by_role("button", name="Ghi thu cả đợt").click()
    expect(levy.get_by_text(re.compile(r"^Đã ghi thu 2 hộ, tổng [\d.]+ ₫"))).to_be_visible()
    expect(levy.get_by_role("button", name=re.compile(r"^In biên lai \d{4}-\d{6}"))).to_have_count(2)
    phone.screenshot(path="test-artifacts/funds-leader-round.png", full_page=True)
