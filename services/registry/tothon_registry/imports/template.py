"""The spreadsheet a commune fills in to import its households: the import's columns with a
Vietnamese note on each header, an example row (skipped if left in), the ID and phone columns
formatted as text so that Excel keeps their leading zeros, and a sheet of instructions."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tothon_registry.imports.columns import COLUMNS, Column

TEXT_FORMAT = "@"
_AS_TEXT = {"code", "citizen_id", "phone", "birth", "residence_valid_until"}
_ROWS_FORMATTED = 500  # rows below the header formatted as text, for numbers typed in later


def template() -> bytes:
    """The template as XLSX."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Hộ gia đình"
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index, value=column.header)
        header.font = Font(bold=True)
        header.comment = Comment(_note(column), "Tothon", width=320, height=140)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 4)
        example = sheet.cell(row=2, column=index, value=column.example or None)
        if column.field in _AS_TEXT:
            for row in range(2, _ROWS_FORMATTED + 2):
                sheet.cell(row=row, column=index).number_format = TEXT_FORMAT
        example.font = Font(italic=True, color="808080")
    sheet.freeze_panes = "A2"
    _instructions(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _note(column: Column) -> str:
    needed = "Bắt buộc." if column.required else "Không bắt buộc."
    return f"{column.header} — {needed}\n{column.note_vi}\nVí dụ: {column.example or '(trống)'}"


def _instructions(workbook: Workbook) -> None:
    sheet = workbook.create_sheet("Hướng dẫn")
    sheet.append(["Cột", "Bắt buộc", "Nội dung và cách ghi", "Ví dụ", "English"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        sheet.append(
            [
                column.header,
                "Có" if column.required else "Không",
                column.note_vi,
                column.example,
                f"{column.english}: {column.note_en}",
            ]
        )
    sheet.append([])
    sheet.append(
        [
            "Mỗi dòng là một người; các thành viên của một hộ ghi cùng Mã hộ. Dòng ví dụ (chữ nghiêng) "
            "được bỏ qua khi nhập; có thể xoá. Lưu tệp dạng .xlsx hoặc CSV UTF-8."
        ]
    )
    for letter, width in zip("ABCDE", (24, 10, 70, 18, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
