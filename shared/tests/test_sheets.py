"""The shared spreadsheet reader: a bank statement or a register as people save them (every
encoding, delimiter and byte-order mark, title rows above the header, merged cells, date cells,
blank rows at the end) reads to the same rows; a file it cannot read is a ``SheetError`` with its
key, never another exception; a zip bomb or a tiny file declaring a huge sheet is refused fast."""

from __future__ import annotations

import codecs
import io
import re
import time
import zipfile
from collections.abc import Sequence
from datetime import datetime

import pytest
from openpyxl import Workbook
from sheets import to_windows_1258

from tothon_shared.kernel.text import fold
from tothon_shared.sheets import MAX_UNPACKED, SheetError, _decode, data_rows, find_header, tables

# A statement's vocabulary, as the funds service would give it.
HEADERS = {
    "ngay giao dich": "day",
    "so tien ghi co": "credit",
    "noi dung giao dich": "description",
    "so but toan": "reference",
    "ma giao dich": "reference",
}
REQUIRED = ("day", "credit", "description")
TITLE = [
    ["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"],
    ["SAO KÊ TÀI KHOẢN", "Số tài khoản: 0071000123456"],
    ["Từ ngày 01/03/2026 đến ngày 31/03/2026"],
    [],
]
HEADER = ["STT", "Ngày giao dịch", "Số bút toán", "Số tiền ghi có", "Nội dung giao dịch"]
LINES = [
    ["1", "02/03/2026", "5210.1", "1.500.000", "HO-001 Nguyễn Văn Hùng đóng quỹ khuyến học"],
    ["2", "03/03/2026", "5210.2", "200.000", "Trần Thị Ngọc ủng hộ"],
]
ROWS = [
    (6, {"day": "02/03/2026", "reference": "5210.1", "credit": "1.500.000", "description": LINES[0][4]}),
    (7, {"day": "03/03/2026", "reference": "5210.2", "credit": "200.000", "description": LINES[1][4]}),
]


def field_of(header: str) -> str | None:
    return HEADERS.get(fold(header))


def read_sheet(
    content: bytes, filename: str, field_of: object, required: tuple[str, ...]
) -> list[tuple[int, dict[str, str]]]:
    """The non-blank rows under the header by field, as a caller of the shared reader makes them."""
    assert callable(field_of)
    header = find_header(tables(content, filename, "sheet"), field_of, required, "sheet")
    found = []
    for number, cells in data_rows(header, "sheet"):
        row = {f: c.strip() for f, c in zip(header.fields, cells, strict=False) if f and c and c.strip()}
        if row:
            found.append((number, row))
    return found


def read(content: bytes, filename: str = "sao-ke.csv") -> list[tuple[int, dict[str, str]]]:
    header = find_header(tables(content, filename, "sheet"), field_of, REQUIRED, "sheet")
    assert (header.row, header.ignored) == (5, ["STT"])
    return read_sheet(content, filename, field_of, REQUIRED)


def csv_text(delimiter: str = ",", rows: list[list[str]] | None = None) -> str:
    lines = rows if rows is not None else [*TITLE, HEADER, *LINES]
    return "\r\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in line) for line in lines)


def xlsx(rows: Sequence[Sequence[object]], merges: tuple[str, ...] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    for merge in merges:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),  # "Unicode text", with its byte-order mark
        lambda t: t.encode("utf-16-le"),  # without it
        lambda t: t.encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]),
        to_windows_1258,  # tones as combining marks, read back in NFC
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le-no-bom", "utf-16-be", "windows-1258"],
)
def test_every_encoding_a_statement_is_saved_in_reads_to_the_same_rows(encode: object) -> None:
    assert callable(encode)
    assert read(encode(csv_text())) == ROWS


def test_windows_1252_text_reads_too() -> None:
    assert _decode("Café, Zoë; Ærø".encode("cp1252"), "sheet") == "Café, Zoë; Ærø"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_comma_semicolon_and_tab_separated_statements_read_alike(delimiter: str) -> None:
    assert read(csv_text(delimiter).encode()) == ROWS


def test_a_quoted_amount_with_thousand_commas_stays_one_cell() -> None:
    rows = [*TITLE, HEADER, ["1", "02/03/2026", "9", "1,500,000", "a, b"]]
    assert read(csv_text(",", rows).encode())[0][1]["credit"] == "1,500,000"


def test_xlsx_statement_with_a_title_block_merged_cells_date_cells_and_blank_rows() -> None:
    rows: list[Sequence[object]] = [
        *TITLE,
        HEADER,
        [1, datetime(2026, 3, 2, 9, 15), "5210.1", 1500000, LINES[0][4]],
        [2, None, "5210.2", 200000.0, LINES[1][4]],  # its day merged down from the row above
        [],
        [None, None, None, None, None],
    ]
    content = xlsx(rows, merges=("A1:E1", "B6:B7"))
    assert read(content, "sao-ke.xlsx") == [
        (6, {**ROWS[0][1], "credit": "1500000"}),
        (7, {**ROWS[1][1], "day": "02/03/2026", "credit": "200000"}),
    ]


def test_the_closest_header_row_names_the_missing_fields() -> None:
    rows = [*TITLE, ["Ngày giao dịch", "Số tiền ghi có", "Diễn giải"], *LINES]
    with pytest.raises(SheetError) as refused:
        read_sheet(csv_text(",", rows).encode(), "x.csv", field_of, REQUIRED)
    assert (refused.value.key, refused.value.missing) == ("sheet.no_header", ("description",))


def test_a_header_below_the_rows_searched_is_never_found() -> None:
    content = ("\n" * 25 + csv_text()).encode()
    with pytest.raises(SheetError) as refused:
        read_sheet(content, "x.csv", field_of, REQUIRED)
    assert refused.value.key == "sheet.unreadable"


def test_a_broken_csv_row_is_named() -> None:
    rows = [*TITLE, HEADER, LINES[0], ["2", "03/03/2026", "9", "1", "x" * 200_000]]
    with pytest.raises(SheetError) as refused:
        read_sheet(csv_text(",", rows).encode(), "x.csv", field_of, REQUIRED)
    assert (refused.value.key, refused.value.row) == ("sheet.csv_broken", 7)


@pytest.mark.parametrize(
    ("content", "filename", "key"),
    [
        (b"", "x.csv", "sheet.empty"),
        (b" \r\n\r\n", "x.csv", "sheet.empty"),
        (bytes(range(256)) * 8, "x.csv", "sheet.not_text"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 4, "sao-ke.pdf", "sheet.not_text"),
        (b"\x89PNG\r\n\x1a\n" + bytes(300), "x.csv", "sheet.not_text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "x.xls", "sheet.old_excel"),
        (b"PK\x03\x04 not really a zip", "x.xlsx", "sheet.not_xlsx"),
        (b"PK\x03\x04 not really a zip", "x.csv", "sheet.not_xlsx"),
        ("Ngày giao dịch,Số tiền ghi có\n".encode(), "x.xlsx", "sheet.not_xlsx"),
        (b"<html><body>Sao ke</body></html>", "x.csv", "sheet.unreadable"),
    ],
)
def test_a_file_that_is_no_spreadsheet_is_a_sheet_error_with_its_reason(
    content: bytes, filename: str, key: str
) -> None:
    with pytest.raises(SheetError) as refused:
        read_sheet(content, filename, field_of, REQUIRED)
    assert refused.value.key == key


def test_a_zip_that_is_no_workbook_and_a_broken_sheet_are_sheet_errors() -> None:
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    broken = _rewrite(xlsx([HEADER, *LINES]), lambda xml: xml[: len(xml) // 2])
    for content in (other.getvalue(), broken):
        with pytest.raises(SheetError) as refused:
            read_sheet(content, "x.xlsx", field_of, REQUIRED)
        assert refused.value.key == "sheet.not_xlsx"


@pytest.mark.timeout(60)
def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx([HEADER, *LINES]))) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":  # the same sheet, padded with blanks
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (MAX_UNPACKED + 1))
            archive.writestr(part.filename, data)
    assert len(bomb.getvalue()) < 1_000_000
    began = time.perf_counter()
    with pytest.raises(SheetError) as refused:
        read_sheet(bomb.getvalue(), "x.xlsx", field_of, REQUIRED)
    assert refused.value.key == "sheet.too_large"
    assert time.perf_counter() - began < 1


@pytest.mark.timeout(60)
@pytest.mark.parametrize("merge", [False, True])
def test_a_tiny_file_declaring_a_million_rows_of_16384_columns_is_refused_fast(merge: bool) -> None:
    far = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'

    def huge(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:XFD1048576"/>', xml)
        xml = xml.replace("</sheetData>", far + "</sheetData>")
        if merge:  # a merged range the size of the sheet
            xml = xml.replace(
                "</sheetData>", '</sheetData><mergeCells><mergeCell ref="F1:XFD1048576"/></mergeCells>'
            )
        return xml

    content = _rewrite(xlsx([HEADER, *LINES]), huge)
    assert len(content) < 10_000
    began = time.perf_counter()
    with pytest.raises(SheetError) as refused:
        read_sheet(content, "x.xlsx", field_of, REQUIRED)
    assert refused.value.key == "sheet.too_large"
    assert time.perf_counter() - began < 20


def test_a_sheet_declaring_more_columns_than_it_uses_still_reads() -> None:
    wide = _rewrite(
        xlsx([*TITLE, HEADER, *LINES]),
        lambda xml: re.sub(r'<dimension ref="[^"]*" ?/>', '<dimension ref="A1:AMJ7"/>', xml),
    )
    assert read(wide, "x.xlsx") == ROWS


def _rewrite(content: bytes, change: object) -> bytes:
    """The workbook with its first sheet's XML changed."""
    assert callable(change)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            target.writestr(part.filename, data)
    return out.getvalue()


def test_a_merged_range_that_is_no_reference_is_a_sheet_error_not_a_crash() -> None:
    content = _rewrite(
        xlsx([*TITLE, HEADER, *LINES], merges=("B6:B7",)),
        lambda xml: re.sub(r"<mergeCell ", '<mergeCell ref="nonsense"/><mergeCell ', xml, count=1),
    )
    with pytest.raises(SheetError) as refused:
        read_sheet(content, "x.xlsx", field_of, REQUIRED)
    assert refused.value.key == "sheet.not_xlsx"
