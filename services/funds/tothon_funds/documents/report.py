"""A unit's public report for a period as CSV (one row per fact, for a spreadsheet) and as PDF (to
print and post at the group's notice board), in Vietnamese."""

from __future__ import annotations

import csv
import io
from typing import Any

from fpdf import FPDF

from tothon_funds.documents.fonts import FAMILY, with_fonts
from tothon_funds.documents.receipt import KIND
from tothon_funds.domain.money import format_vnd
from tothon_shared.kernel.clock import VIETNAM


def report_csv(report: dict[str, Any], unit_name: str) -> bytes:
    """Rows of (section, fund, item, amount, date): income per month, expenses, payers, levies,
    balances; UTF-8 with a BOM so that Excel reads the Vietnamese letters."""
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(["Đơn vị", "Từ ngày", "Đến ngày"])
    rows.writerow([unit_name, report["period_from"].isoformat(), report["period_to"].isoformat()])
    rows.writerow(["Mục", "Quỹ", "Loại quỹ", "Nội dung", "Số tiền (đồng)", "Ngày"])
    for fund in report["funds"]:
        name, kind = fund["name"], KIND.get(fund["kind"], fund["kind"])
        for month, amount in fund["income_by_month"].items():
            rows.writerow(["Thu", name, kind, f"Tháng {month}", amount, ""])
        for expense in fund["expenses"]:
            day = expense["paid_at"].astimezone(VIETNAM).date().isoformat()
            rows.writerow(["Chi", name, kind, _safe(expense["purpose"]), expense["amount"], day])
        for payer in fund["payers"]:
            rows.writerow(["Hộ đã nộp", name, kind, _safe(str(payer["who"])), payer["amount"], ""])
        for levy in fund["levies"]:
            label = f"Mức thu {levy['period_from'].isoformat()}–{levy['period_to'].isoformat()}"
            rows.writerow(["Phải thu", name, kind, f"{label}: {levy['households']} hộ", levy["owed"], ""])
            rows.writerow(["Đã thu", name, kind, f"{label}: {levy['settled']} hộ đủ", levy["paid"], ""])
        rows.writerow(["Tồn quỹ", name, kind, "Cuối kỳ", fund["balance"], ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report_pdf(report: dict[str, Any], unit_name: str) -> bytes:
    """The report as a printable A4 PDF."""
    pdf = with_fonts(FPDF(format="A4"))
    pdf.set_title(f"Công khai tài chính {unit_name}")
    pdf.set_creator("Tothon")
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(FAMILY, "B", 15)
    pdf.multi_cell(width, 8, "CÔNG KHAI THU CHI CÁC QUỸ", align="C")
    pdf.set_font(FAMILY, "", 11)
    period = f"{report['period_from'].strftime('%d/%m/%Y')} – {report['period_to'].strftime('%d/%m/%Y')}"
    pdf.multi_cell(width, 6, f"{unit_name} · {period}", align="C")
    for fund in report["funds"]:
        pdf.ln(4)
        pdf.set_font(FAMILY, "B", 12)
        pdf.multi_cell(width, 7, f"{fund['name']} ({KIND.get(fund['kind'], fund['kind'])})")
        pdf.set_font(FAMILY, "", 10)
        for label, amount in (
            ("Thu trong kỳ", fund["income"]),
            ("Chi trong kỳ", fund["spending"]),
            ("Tồn quỹ cuối kỳ", fund["balance"]),
        ):
            pdf.cell(60, 6, label)
            pdf.cell(width - 60, 6, format_vnd(amount), align="R", new_x="LMARGIN", new_y="NEXT")
        if fund["expenses"]:
            pdf.set_font(FAMILY, "B", 10)
            pdf.multi_cell(width, 6, "Các khoản chi")
            pdf.set_font(FAMILY, "", 9)
            for expense in fund["expenses"]:
                day = expense["paid_at"].astimezone(VIETNAM).strftime("%d/%m/%Y")
                pdf.cell(25, 5, day)
                pdf.cell(width - 65, 5, expense["purpose"][:90])
                pdf.cell(40, 5, format_vnd(expense["amount"]), align="R", new_x="LMARGIN", new_y="NEXT")
        for levy in fund["levies"]:
            pdf.set_font(FAMILY, "", 9)
            pdf.multi_cell(
                width,
                5,
                f"Đợt thu {levy['period_from']:%d/%m/%Y}–{levy['period_to']:%d/%m/%Y}: "
                f"{levy['settled']}/{levy['households']} hộ đã nộp đủ; đã thu {format_vnd(levy['paid'])} "
                f"trên {format_vnd(levy['owed'])}.",
            )
        if fund["kind"] == "voluntary":
            pdf.set_font(FAMILY, "", 9)
            pdf.multi_cell(width, 5, "Quỹ tự nguyện: không bắt buộc, không có khoản nợ.")
        if fund["payers"]:
            pdf.set_font(FAMILY, "B", 10)
            pdf.multi_cell(width, 6, "Hộ đã đóng góp" + ("" if fund["names_public"] else " (mã ẩn danh)"))
            pdf.set_font(FAMILY, "", 9)
            for payer in fund["payers"]:
                pdf.cell(width - 40, 5, str(payer["who"])[:80])
                pdf.cell(40, 5, format_vnd(payer["amount"]), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
