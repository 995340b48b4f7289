"""Text at the boundary: NFC, trimmed, single spaces (NFD input from some keyboards breaks equality)."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints


def clean_text(value: str) -> str:
    """NFC-normalise, trim and collapse white space."""
    # split() breaks at the same white space as the pattern \s+ did, in C (a row of a bulk import
    # cleans five cells).
    return " ".join(unicodedata.normalize("NFC", value).split())


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be blank")
    return value


# A short user-entered text (a name, a code): cleaned, then checked for length.
ShortText = Annotated[
    str, StringConstraints(max_length=200), AfterValidator(clean_text), AfterValidator(_not_blank)
]
