"""Text at the boundary: NFC, trimmed, single spaces (NFD input from some keyboards breaks equality)."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

_SPACES = re.compile(r"\s+")


def clean_text(value: str) -> str:
    """NFC-normalise, trim and collapse white space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError("must not be blank")
    return value


# A short user-entered text (a name, a code): cleaned, then checked for length.
ShortText = Annotated[
    str, StringConstraints(max_length=200), AfterValidator(clean_text), AfterValidator(_not_blank)
]
