"""The shared definition of safe text: what every text field at the boundary refuses and keeps."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from tothon_shared.kernel.text import FreeText, Name, ShortText, strip_unsafe, unsafe_character

REFUSED = [
    *map(chr, range(0x00, 0x20)),  # C0 controls, NUL and tab and line breaks among them
    "\x7f",
    *map(chr, range(0x80, 0xA0)),  # C1 controls
    *map(chr, range(0x202A, 0x202F)),  # bidirectional embeddings and overrides
    *map(chr, range(0x2066, 0x206A)),  # bidirectional isolates
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte-order mark
    "\u00ad",  # soft hyphen
    "\U000e0041",  # a tag character
]


@pytest.mark.parametrize("character", REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_control_and_invisible_characters_are_refused_in_one_line_text(character: str) -> None:
    with pytest.raises(ValidationError) as refused:
        TypeAdapter(ShortText).validate_python(f"Nguyễn{character}Văn")
    assert refused.value.errors()[0]["type"] == "text.unsafe_character"
    assert strip_unsafe(f"Nguyễn{character}Văn") == "NguyễnVăn"


@pytest.mark.parametrize("text", ["Hòa", "Hoà", "Thuỷ", "Bhling Mai", "Nguyễn Văn A", "Ông Ích Khiêm 😀"])
def test_vietnamese_and_ordinary_text_passes(text: str) -> None:
    assert unsafe_character(text) is None
    assert TypeAdapter(Name).validate_python(f"  {text}\n") == text


def test_free_text_keeps_line_breaks_and_tabs_only() -> None:
    free = TypeAdapter(FreeText)
    assert free.validate_python("Dòng một\r\n\tDòng hai\u2028Dòng ba  ") == "Dòng một\n\tDòng hai\nDòng ba"
    with pytest.raises(ValidationError):
        free.validate_python("Dòng một\n\u202eDòng hai")


def test_a_lone_surrogate_is_refused_and_left_out_of_what_is_shown() -> None:
    with pytest.raises(ValidationError):  # the validation library refuses it before our rule does
        TypeAdapter(ShortText).validate_python("Lê\ud800Hoa")
    assert unsafe_character("Lê\ud800Hoa") == "\ud800"
    assert strip_unsafe("Lê\ud800Hoa") == "LêHoa"
