"""Vietnamese personal names: cleaning, parts, the folded search key and the sort key.

A name is family (họ), middle (0–3 words, tên đệm) and given (tên), written in that order. Lists
sort by given name, then family, then middle, in the Vietnamese alphabet (a ă â b c d đ e ê …)
with tones ordered ngang, huyền, hỏi, ngã, sắc, nặng. Search ignores tones and case, and đ = d,
so "nguyen thi be" finds "Nguyễn Thị Bê".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tothon_registry.domain.errors import RegistryError
from tothon_shared.kernel.text import clean_text, fold, has_letter, unsafe_character

# Family names of more than one word; the rest of a name never guesses at them.
COMPOUND_FAMILY_NAMES = (
    "công tằng tôn nữ",
    "tôn thất",
    "tôn nữ",
    "âu dương",
    "hoàng phủ",
    "tư mã",
    "thượng quan",
    "nguyễn phúc",
    "nguyễn phước",
)

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_MARKS = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def clean_name(text: str) -> str:
    """NFC, single spaces, and capitalised words when the name was typed in capitals (as copied
    from the ID card); mixed case as typed is kept."""
    text = clean_text(text)
    if text.isupper():
        text = " ".join(word[:1] + word[1:].lower() for word in text.split(" "))
    return text


class InvalidNameError(RegistryError):
    """A name with a control or invisible character, or without a letter."""


def check_name(text: str) -> str:
    """``text`` as a person's name may be recorded: no control or invisible characters (they
    corrupt what is stored or disguise one name as another) and at least one letter. The same
    rules as the API's (``tothon_shared.kernel.text.Name``), held here for every other path in."""
    if unsafe_character(text) is not None:
        raise InvalidNameError("a name must not hold control or invisible characters")
    if not has_letter(text):
        raise InvalidNameError("a name needs at least one letter")
    return text


@dataclass(frozen=True)
class PersonName:
    """A cleaned name and its parts."""

    full: str
    family: str
    middle: str
    given: str

    @classmethod
    def parse(cls, text: str) -> PersonName:
        """Split a name into family, middle and given (one word names are given names only)."""
        full = clean_name(text)
        words = full.split(" ")
        lowered = full.lower()
        family_words = 1
        for compound in COMPOUND_FAMILY_NAMES:
            if lowered.startswith(compound + " ") and len(words) > compound.count(" ") + 1:
                family_words = compound.count(" ") + 1
                break
        if len(words) == 1:
            return cls(full, "", "", full)
        return cls(
            full,
            " ".join(words[:family_words]),
            " ".join(words[family_words:-1]),
            words[-1],
        )

    @property
    def search_key(self) -> str:
        """The folded full name, for searching without tones."""
        return fold(self.full)

    @property
    def sort_key(self) -> str:
        """A key whose byte order is the Vietnamese order of names: given, family, middle; letters
        first, tones only to break ties."""
        parts = (self.given, self.family, self.middle)
        letters = "!".join(_letters(p) for p in parts)
        tones = "".join(_tones(p) for p in parts)
        return f"{letters}!!{tones}"


def _decompose(char: str) -> tuple[str, int]:
    """A character's letter in the Vietnamese alphabet and its tone (0 for none)."""
    if char in "đĐ":
        return "đ", 0
    decomposed = unicodedata.normalize("NFD", char.lower())
    base, marks = decomposed[0], decomposed[1:]
    tone = next((_TONES[m] for m in marks if m in _TONES), 0)
    letter_marks = "".join(m for m in marks if m in _LETTER_MARKS)
    return unicodedata.normalize("NFC", base + letter_marks), tone


def _letters(text: str) -> str:
    # Two characters a letter, from "0": every code sorts after the "!" separating the parts,
    # so a shorter word sorts before a longer one that starts the same ("An" before "Anh").
    codes = []
    for char in text:
        if char == " ":
            codes.append("  ")  # between words of a part: before any letter
            continue
        letter, _tone = _decompose(char)
        index = _ALPHABET.find(letter)
        codes.append(f"{index:02d}" if index >= 0 else f"9{ord(letter) % 10}")
    return "".join(codes).replace("  ", "#")


def _tones(text: str) -> str:
    return "".join(str(_decompose(c)[1]) for c in text if c != " ")
