"""Text at the boundary: NFC, trimmed, single spaces (NFD input from some keyboards breaks equality),
and nothing that cannot be stored, shown or exported safely.

Refused wherever they appear: control characters (C0 and C1, NUL and DEL among them: databases,
spreadsheets and terminals stumble on them or obey them), format characters (bidirectional
embeddings, overrides and isolates U+202A–202E and U+2066–2069, the direction marks, zero-width
spaces and joiners, the byte-order mark, soft hyphens, tags: invisible, they make one name look
like another or turn what follows around; Vietnamese, Latin-script minority languages included,
needs none of them) and lone surrogates (no UTF-8 store takes them). Only free multi-line text
(``FreeText``) may hold line breaks and tabs.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

# Built from the Unicode categories once: Cc (controls), Cf (format), Cs (surrogates). Only the
# planes that hold such characters are scanned (0, 1 and 14: a tenth of the code space).
_REFUSED = frozenset({"Cc", "Cf", "Cs"})
_PLANES = (range(0x10000), range(0x10000, 0x20000), range(0xE0000, min(0xE1000, sys.maxunicode + 1)))
_UNSAFE_CHARACTERS = (chr(c) for plane in _PLANES for c in plane if unicodedata.category(chr(c)) in _REFUSED)
_UNSAFE = re.compile("[" + "".join(map(re.escape, _UNSAFE_CHARACTERS)) + "]")
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029]")
_MULTI_LINE_ALLOWED = "\n\t"


def unsafe_character(value: str, allowed: str = "") -> str | None:
    """The first character of ``value`` that text may not hold (but for those in ``allowed``)."""
    for match in _UNSAFE.finditer(value):
        if match[0] not in allowed:
            return match[0]
    return None


def has_letter(value: str) -> bool:
    """Whether ``value`` holds a letter of any script (a name of digits or dashes is no name)."""
    return any(map(str.isalpha, value))


def strip_unsafe(value: str) -> str:
    """``value`` without the characters text may not hold (for showing what was stored before
    they were refused)."""
    return _UNSAFE.sub("", value)


# Every combining mark of the Basic Multilingual Plane (Vietnamese tones and letter marks among
# them), dropped in one C pass (a generator over the characters took a tenth of an import's row
# checks).
_NO_MARKS = dict.fromkeys(c for c in range(0x10000) if unicodedata.combining(chr(c)))


def fold(text: str) -> str:
    """Vietnamese text as people type it without marks: lower case, no tone or letter marks,
    đ → d, single spaces (a name's search key, a phrase's match key)."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join(decomposed.translate(_NO_MARKS).split())


def clean_text(value: str) -> str:
    """NFC-normalise, trim and collapse white space."""
    # split() breaks at the same white space as the pattern \s+ did, in C (a row of a bulk import
    # cleans five cells).
    return " ".join(unicodedata.normalize("NFC", value).split())


def _refuse_unsafe(value: str, allowed: str = "") -> None:
    char = unsafe_character(value, allowed)
    if char is not None:
        raise PydanticCustomError(
            "text.unsafe_character",
            "must not contain the control or invisible character {character}",
            {"character": f"U+{ord(char):04X}"},
        )


def _safe_line(value: str) -> str:
    # Surrounding white space (a pasted line break, a trailing tab) is trimmed, not refused.
    _refuse_unsafe(value.strip())
    return clean_text(value)


def _safe_lines(value: str) -> str:
    value = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", value)).strip()
    _refuse_unsafe(value, _MULTI_LINE_ALLOWED)
    return "\n".join(line.rstrip() for line in value.split("\n"))


def _not_blank(value: str) -> str:
    if not value:
        raise PydanticCustomError("text.blank", "must not be blank")
    return value


def _a_letter(value: str) -> str:
    if not has_letter(value):
        raise PydanticCustomError("text.no_letter", "must contain a letter")
    return value


# A short user-entered text (a code, a reason in a few words): safe, cleaned, then checked for length.
ShortText = Annotated[
    str, StringConstraints(max_length=200), AfterValidator(_safe_line), AfterValidator(_not_blank)
]
# A name (of a person, an account, a unit): short text with at least one letter.
Name = Annotated[ShortText, AfterValidator(_a_letter)]
# Free text of several lines (a note, a reason): safe, NFC, line breaks and tabs kept.
FreeText = Annotated[
    str, StringConstraints(max_length=1000), AfterValidator(_safe_lines), AfterValidator(_not_blank)
]
