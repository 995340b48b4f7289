"""Complaints and denunciations (khiếu nại, tố cáo) follow laws of their own (the Law on
Complaints 2011, the Law on Denunciations 2018): the competent body receives them in writing and
must answer within the law's time limits. Feedback is not that procedure, so a text that reads like
one is recognised and the resident is told where it belongs. It is a warning, not a refusal: "I
complain that the street light is out" is still feedback if the resident says so.

The categories ``complaint`` and ``denunciation`` are refused outright (``FeedbackCase.submit``);
this module reads the free text of any other category.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from tothon_shared.kernel.text import fold


class Procedure(StrEnum):
    """The formal procedure a text reads like."""

    COMPLAINT = "complaint"  # khiếu nại: against an administrative decision or act affecting oneself
    DENUNCIATION = "denunciation"  # tố cáo: reporting an official's or anyone's violation of law


@dataclass(frozen=True)
class ProcedureWarning:
    """What the text reads like, the words that made it so, and the law that governs it."""

    procedure: Procedure
    words: str
    law: str


_LAWS = {
    Procedure.COMPLAINT: "Luật Khiếu nại 2011",
    Procedure.DENUNCIATION: "Luật Tố cáo 2018",
}

# The words, as written with their marks. A text typed without marks is matched by the folded
# words instead; a text with marks must carry these exact ones, or "tổ Cao Lãnh" (a group named
# Cao Lãnh) would read as "tố cáo".
_WORDS = {
    Procedure.COMPLAINT: ("khiếu nại", "khiếu kiện"),
    Procedure.DENUNCIATION: ("tố cáo", "tố giác"),
}


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


_MARKED = {p: _pattern(words) for p, words in _WORDS.items()}
_UNMARKED = {p: _pattern(tuple(fold(w) for w in words)) for p, words in _WORDS.items()}


def reads_like_formal_procedure(text: str) -> ProcedureWarning | None:
    """The formal procedure ``text`` reads like, if any (a denunciation before a complaint: it is
    the graver one, and a text may name both)."""
    # NFC: a phone may send the marks as separate characters.
    lowered = unicodedata.normalize("NFC", " ".join(text.lower().split()))
    typed_without_marks = fold(lowered) == lowered.replace("đ", "d")
    patterns, subject = (_UNMARKED, fold(lowered)) if typed_without_marks else (_MARKED, lowered)
    for procedure in (Procedure.DENUNCIATION, Procedure.COMPLAINT):
        found = patterns[procedure].search(subject)
        if found is not None:
            return ProcedureWarning(procedure, found.group(1), _LAWS[procedure])
    return None
