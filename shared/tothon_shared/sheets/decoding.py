"""The text of a CSV file as spreadsheet programs and banks save it: UTF-8 (with or without its
byte-order mark), UTF-16 ("Unicode text", with or without its mark) or a Windows code page."""

from __future__ import annotations

import codecs
import unicodedata

from tothon_shared.sheets.errors import SheetError


def decode(content: bytes) -> str:
    """The text in NFC (Windows-1258 writes tones as combining marks); a file that is no text
    is ``sheet.not_text``. Windows-1258 is tried after UTF-8: the Vietnamese code page, whose
    accented Latin letters are Windows-1252's, so a Windows-1252 file of Vietnamese or French
    text reads too."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif content[1:40:2].count(0) > 15:  # UTF-16 without its byte-order mark
        encodings = ["utf-16-le"]
    else:
        encodings = ["utf-8-sig", "cp1258"]
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # binary, not text
        return unicodedata.normalize("NFC", text)
    raise SheetError("sheet.not_text")
