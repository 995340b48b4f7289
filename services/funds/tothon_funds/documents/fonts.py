"""The font our PDFs embed: DejaVu Sans covers every Vietnamese letter with its marks (the PDF
core fonts do not). Debian's ``fonts-dejavu-core`` has it (``scripts/setup.sh`` installs it and the
service image carries it); ``TOTHON_PDF_FONT_DIR`` points elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

from fpdf import FPDF

from tothon_funds.domain.errors import FundsError

_DEFAULT_DIR = "/usr/share/fonts/truetype/dejavu"
FAMILY = "DejaVu"


class FontMissingError(FundsError):
    """No font to write Vietnamese with (``font_missing``): the PDF cannot be made here."""


def font_dir() -> Path:
    return Path(os.environ.get("TOTHON_PDF_FONT_DIR", _DEFAULT_DIR))


def with_fonts(pdf: FPDF) -> FPDF:
    """Register the regular and bold faces on a document (refused if the files are missing)."""
    regular, bold = font_dir() / "DejaVuSans.ttf", font_dir() / "DejaVuSans-Bold.ttf"
    if not regular.is_file() or not bold.is_file():
        raise FontMissingError(code="font_missing")
    pdf.add_font(FAMILY, "", str(regular))
    pdf.add_font(FAMILY, "B", str(bold))
    return pdf
