"""Vietnamese names: cleaning what people type, the parts, search without tones, and the order."""

from __future__ import annotations

import unicodedata

import pytest

from tothon_registry.domain.names import PersonName, clean_name
from tothon_shared.kernel.text import fold


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("NGUYỄN THỊ BÊ", "Nguyễn Thị Bê"),  # capitals copied from the ID card
        ("ĐỖ VĂN SƠN", "Đỗ Văn Sơn"),
        (unicodedata.normalize("NFD", "Phan  Thị Bê "), "Phan Thị Bê"),
        ("nguyễn văn hùng", "nguyễn văn hùng"),  # mixed or lower case is kept as typed
        ("Hoàng Phủ Ngọc Tường", "Hoàng Phủ Ngọc Tường"),
    ],
)
def test_names_are_cleaned_at_the_boundary(typed: str, clean: str) -> None:
    assert clean_name(typed) == clean
    assert unicodedata.is_normalized("NFC", clean_name(typed))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Nguyễn Thị Bê", "nguyen thi be"),
        ("ĐẶNG THỊ LAN", "dang thi lan"),
        ("Hòa", "hoa"),
        ("Hoà", "hoa"),  # both spellings occur in official data
        ("Thủy", "thuy"),
        ("Thuỷ", "thuy"),
        (unicodedata.normalize("NFD", "Huỳnh Văn Lộc"), "huynh van loc"),
    ],
)
def test_search_ignores_tones_case_and_d_stroke(text: str, key: str) -> None:
    assert fold(text) == key


@pytest.mark.parametrize(
    ("text", "family", "middle", "given"),
    [
        ("Nguyễn Thị Bê", "Nguyễn", "Thị", "Bê"),
        ("Nguyễn Văn Minh Khôi", "Nguyễn", "Văn Minh", "Khôi"),
        ("Lê Hoa", "Lê", "", "Hoa"),
        ("Tôn Thất Thuyết", "Tôn Thất", "", "Thuyết"),
        ("Công Tằng Tôn Nữ Thị Hà", "Công Tằng Tôn Nữ", "Thị", "Hà"),
        ("Âu Dương Phong", "Âu Dương", "", "Phong"),
        ("Bhling Mai", "Bhling", "", "Mai"),  # a Cơ Tu name: no guessing beyond the rule
        ("Tôn Nữ", "Tôn", "", "Nữ"),  # a compound family name needs a given name after it
        ("Y", "", "", "Y"),
    ],
)
def test_names_split_into_family_middle_and_given(text: str, family: str, middle: str, given: str) -> None:
    name = PersonName.parse(text)
    assert (name.family, name.middle, name.given) == (family, middle, given)


def _sorted(names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: PersonName.parse(n).sort_key)


def test_lists_sort_by_given_then_family_then_middle() -> None:
    names = ["Nguyễn Văn An", "Lê Văn An", "Nguyễn Thị An", "Trần Bảo", "Phạm Anh"]
    assert _sorted(names) == ["Lê Văn An", "Nguyễn Thị An", "Nguyễn Văn An", "Phạm Anh", "Trần Bảo"]


def test_the_vietnamese_alphabet_and_tone_order_decide() -> None:
    # a < ă < â; d < đ; tones ngang < huyền < hỏi < ngã < sắc < nặng; shorter words first.
    givens = ["Ân", "Ánh", "Anh", "An", "Đạt", "Dũng", "Bảo", "Ăn"]
    assert [n.split()[-1] for n in _sorted([f"Lê {g}" for g in givens])] == [
        "An",
        "Anh",
        "Ánh",
        "Ăn",
        "Ân",
        "Bảo",
        "Dũng",
        "Đạt",
    ]
    tones = ["Lê Mạ", "Lê Má", "Lê Mã", "Lê Mả", "Lê Mà", "Lê Ma"]
    assert _sorted(tones) == ["Lê Ma", "Lê Mà", "Lê Mả", "Lê Mã", "Lê Má", "Lê Mạ"]


def test_the_sort_key_orders_the_same_bytewise_as_in_python() -> None:
    names = ["Nguyễn Văn An", "Lê Văn An", "Phạm Anh", "Đỗ Đạt", "Hồ Dũng", "Ma Ân"]
    keys = [PersonName.parse(n).sort_key for n in names]
    assert sorted(keys) == sorted(keys, key=lambda k: k.encode())  # what a C-collated column does
