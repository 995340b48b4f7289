"""A contribution's receipt as a PDF (A6, printable on a receipt printer or a phone's screen):
the fund and its kind, the receipt's number, the household's code, the amount in figures and
words, how and when it was paid, who recorded it, and a QR code of the public page where anyone
checks it by its verification code (``segno``)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

import segno
from fpdf import FPDF

from tothon_funds.documents.fonts import FAMILY, with_fonts
from tothon_funds.documents.words import amount_in_words
from tothon_funds.domain.money import format_vnd
from tothon_shared.kernel.clock import VIETNAM

KIND = {
    "mandatory": "Quỹ bắt buộc theo luật",
    "community": "Quỹ do cộng đồng quyết định",
    "voluntary": "Quỹ tự nguyện",
}
MEANS = {"cash": "Tiền mặt", "bank": "Chuyển khoản"}


@dataclass(frozen=True)
class ReceiptDocument:
    """What a receipt prints."""

    fund_name: str
    fund_kind: str
    number: str
    code: str
    household_code: str
    amount: int
    means: str
    paid_at: datetime
    check_url: str
    void: bool = False


def receipt_pdf(receipt: ReceiptDocument) -> bytes:
    """The receipt as PDF bytes."""
    pdf = with_fonts(FPDF(format=(105, 148)))  # A6 in millimetres
    pdf.set_title(f"Biên lai {receipt.number}")
    pdf.set_creator("Tothon")
    pdf.add_page()
    pdf.set_auto_page_break(auto=False)
    width = pdf.epw
    pdf.set_font(FAMILY, "B", 13)
    pdf.multi_cell(width, 6, "BIÊN LAI THU TIỀN", align="C")
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(width, 5, f"Số: {receipt.number}", align="C")
    pdf.ln(2)
    rows = [
        ("Quỹ", receipt.fund_name),
        ("Loại quỹ", KIND.get(receipt.fund_kind, receipt.fund_kind)),
        ("Hộ", receipt.household_code),
        ("Số tiền", format_vnd(receipt.amount)),
        ("Bằng chữ", amount_in_words(receipt.amount)),
        ("Hình thức", MEANS.get(receipt.means, receipt.means)),
        ("Ngày nộp", receipt.paid_at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")),
    ]
    for label, value in rows:
        pdf.set_font(FAMILY, "B", 9)
        pdf.cell(22, 5, label)
        pdf.set_font(FAMILY, "", 9)
        pdf.multi_cell(width - 22, 5, value)
    if receipt.void:
        pdf.set_font(FAMILY, "B", 12)
        pdf.set_text_color(190, 0, 0)
        pdf.multi_cell(width, 7, "ĐÃ HUỶ (khoản thu đã được điều chỉnh)", align="C")
        pdf.set_text_color(0, 0, 0)
    image = io.BytesIO()
    segno.make(receipt.check_url, error="m").save(image, kind="png", scale=6, border=2)
    image.seek(0)
    top = pdf.get_y() + 2
    pdf.image(image, x=pdf.l_margin, y=top, w=28, h=28)
    pdf.set_xy(pdf.l_margin + 31, top + 2)
    pdf.set_font(FAMILY, "", 8)
    pdf.multi_cell(width - 31, 4, "Quét mã hoặc mở trang kiểm tra biên lai và nhập mã xác thực:")
    pdf.set_x(pdf.l_margin + 31)
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(width - 31, 7, receipt.code)
    return bytes(pdf.output())
