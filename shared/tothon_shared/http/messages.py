"""User-facing messages in Vietnamese and English: catalogues, never strings scattered in code.

``CATALOGUE`` holds what every service says (sign-in, problems, validation, outages, the unit
directory). Each service brings its own messages in its ``ServiceDefinition``; the catalogue a
service answers from (``Catalogue``) is the two together, so a new service edits no shared module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Lang = Literal["vi", "en"]
LANGUAGES: frozenset[Lang] = frozenset({"vi", "en"})
# A service's messages: key -> the text in each language.
Messages = Mapping[str, Mapping[Lang, str]]

CATALOGUE: dict[str, dict[Lang, str]] = {
    "validation.title": {"vi": "Dữ liệu không hợp lệ", "en": "Invalid input"},
    "validation.detail": {
        "vi": "Một số trường chưa đúng; xem danh sách lỗi.",
        "en": "Some fields are not valid; see the list of errors.",
    },
    "not_found.title": {"vi": "Không tìm thấy", "en": "Not found"},
    "conflict.title": {"vi": "Xung đột dữ liệu", "en": "Conflict"},
    "conflict.detail": {
        "vi": "Dữ liệu vừa được người khác thay đổi; vui lòng thử lại.",
        "en": "The record was changed by someone else; please try again.",
    },
    "too_large.title": {"vi": "Yêu cầu quá lớn", "en": "Request too large"},
    "too_large.detail": {
        "vi": "Nội dung gửi lên vượt quá giới hạn cho phép.",
        "en": "The request body is larger than allowed.",
    },
    "server_error.title": {"vi": "Lỗi hệ thống", "en": "Server error"},
    "server_error.detail": {
        "vi": "Đã có lỗi xảy ra; sự cố đã được ghi lại.",
        "en": "Something went wrong; the fault has been logged.",
    },
    "unauthorized.title": {"vi": "Chưa đăng nhập", "en": "Not signed in"},
    "forbidden.title": {"vi": "Không có quyền", "en": "Forbidden"},
    "locked.title": {"vi": "Tài khoản tạm khóa", "en": "Account locked"},
    "rate_limited.title": {"vi": "Quá nhiều yêu cầu", "en": "Too many requests"},
    "auth.missing": {
        "vi": "Cần đăng nhập để dùng chức năng này.",
        "en": "Sign in to use this function.",
    },
    "auth.invalid": {
        "vi": "Phiên đăng nhập không hợp lệ hoặc đã hết hạn; vui lòng đăng nhập lại.",
        "en": "The session is invalid or has expired; please sign in again.",
    },
    "auth.revoked": {
        "vi": "Phiên đăng nhập đã kết thúc; vui lòng đăng nhập lại.",
        "en": "The session has ended; please sign in again.",
    },
    "auth.forbidden": {
        "vi": "Tài khoản của bạn không có quyền làm việc này ở đơn vị này.",
        "en": "Your account may not do this in this unit.",
    },
    "unit.not_found": {"vi": "Không có đơn vị này.", "en": "No such unit."},
    "unavailable.title": {"vi": "Dịch vụ tạm thời gián đoạn", "en": "Service unavailable"},
    "database_unavailable.detail": {
        "vi": "Cơ sở dữ liệu tạm thời không phản hồi; vui lòng thử lại sau ít giây.",
        "en": "The database is not answering for the moment; please try again in a few seconds.",
    },
    "projection_behind.detail": {
        "vi": "Dữ liệu vừa ghi đang được cập nhật; vui lòng thử lại sau một giây.",
        "en": "What was just written is still being brought up to date; please try again in a second.",
    },
    "token_keys.title": {"vi": "Tạm thời chưa sẵn sàng", "en": "Temporarily unavailable"},
    "auth.keys_unavailable": {
        "vi": "Chưa kiểm tra được phiên đăng nhập vì dịch vụ đăng ký chưa sẵn sàng; hãy thử lại sau ít giây.",
        "en": "Your sign-in cannot be checked yet: the registry is not reachable. "
        "Try again in a few seconds.",
    },
    "text.unsafe_character": {
        "vi": "có ký tự điều khiển hoặc ký tự vô hình {character}, không được phép "
        "(chúng làm hỏng dữ liệu hoặc giả mạo chữ hiển thị)",
        "en": "must not contain the control or invisible character {character} "
        "(it corrupts stored data or disguises the text shown)",
    },
    "text.no_letter": {"vi": "phải có ít nhất một chữ cái", "en": "must contain at least one letter"},
    "text.blank": {"vi": "bắt buộc, không được để trống", "en": "must not be blank"},
    "date.future": {"vi": "không được là ngày trong tương lai", "en": "must not be in the future"},
    "method_not_allowed.title": {"vi": "Phương thức không được hỗ trợ", "en": "Method not allowed"},
    # --- sheets ---
    # The shared spreadsheet reader's refusals (tothon_shared.sheets), for a service that shows
    # them as they are; the registry's import says them in its own words.
    "sheet.empty": {"vi": "Tệp trống: không có dòng nào.", "en": "The file is empty."},
    "sheet.old_excel": {
        "vi": "Đây là tệp Excel 97-2003 (.xls): hãy mở bằng Excel và lưu lại dạng .xlsx hoặc CSV UTF-8.",
        "en": "This is an Excel 97-2003 file (.xls): open it in Excel and save it as .xlsx or CSV UTF-8.",
    },
    "sheet.not_xlsx": {
        "vi": "Không đọc được tệp XLSX (tệp hỏng hoặc không phải XLSX): hãy lưu lại dạng .xlsx "
        "hoặc CSV UTF-8.",
        "en": "The XLSX file cannot be read (damaged, or not XLSX): save it again as .xlsx or CSV UTF-8.",
    },
    "sheet.too_large": {
        "vi": "Tệp XLSX quá lớn khi giải nén (hoặc khai báo quá nhiều ô): hãy chia nhỏ tệp "
        "hoặc lưu lại dạng CSV.",
        "en": "The XLSX file is too large once unpacked (or declares too many cells): split it or save "
        "it as CSV.",
    },
    "sheet.not_text": {
        "vi": "Tệp CSV không phải văn bản đọc được (UTF-8, UTF-16 hoặc Windows-1258): "
        "hãy lưu lại dạng CSV UTF-8.",
        "en": "The CSV file is not readable text (UTF-8, UTF-16 or Windows-1258): save it as CSV UTF-8.",
    },
    "sheet.csv_broken": {
        "vi": "Tệp CSV hỏng ở dòng được nêu (một ô quá dài hoặc có ký tự lạ); sửa dòng đó rồi tải lên lại.",
        "en": "The CSV file is broken at the row given (a cell too long, or a stray character); "
        "correct that row and upload again.",
    },
    "sheet.unreadable": {
        "vi": "Không tìm thấy cột nào cần đọc trong tệp: cần CSV hoặc XLSX có dòng tiêu đề.",
        "en": "None of the columns needed was found: a CSV or XLSX file with a header row is needed.",
    },
    "sheet.no_header": {
        "vi": "Không tìm thấy dòng tiêu đề có đủ các cột bắt buộc (trong 20 dòng đầu); "
        "xem các cột còn thiếu.",
        "en": "No header row with all the required columns was found (in the first 20 rows); see the "
        "missing columns.",
    },
    "sheet.amount_format": {
        "vi": "không phải số tiền (vd. 1.500.000)",
        "en": "is not an amount (e.g. 1.500.000)",
    },
    "sheet.amount_fraction": {
        "vi": "số tiền phải là số đồng chẵn, không có phần lẻ",
        "en": "must be a whole number of dong, without a fraction",
    },
    "sheet.amount_negative": {"vi": "số tiền không được âm", "en": "must not be negative"},
    "sheet.date_format": {
        "vi": "không phải ngày (cần ngày/tháng/năm, vd. 05/03/2026)",
        "en": "is not a date (day/month/year needed, e.g. 05/03/2026)",
    },
    "sheet.date_short_year": {
        "vi": "năm phải đủ 4 chữ số (vd. 2026)",
        "en": "the year needs its four digits (e.g. 2026)",
    },
    "sheet.date_swapped": {
        "vi": "không có tháng {month}: có lẽ ngày và tháng bị đảo (cần ngày/tháng/năm)",
        "en": "there is no month {month}: day and month are probably swapped (day/month/year needed)",
    },
    "sheet.date_impossible": {"vi": "ngày không tồn tại", "en": "is not a day of the calendar"},
}


class Catalogue:
    """The messages one service may show: the general ones and its own. Built at start, where a
    key declared twice or a message without both languages stops the service rather than turning
    into a 500 on the first request that needs it."""

    def __init__(self, *parts: Messages) -> None:
        merged: dict[str, Mapping[Lang, str]] = {}
        for part in parts:
            for key, texts in part.items():
                if key in merged:
                    raise ValueError(f"message {key!r} is declared twice")
                if set(texts) != LANGUAGES:
                    raise ValueError(f"message {key!r} needs Vietnamese and English, has {sorted(texts)}")
                merged[key] = texts
        self._messages = merged

    def __contains__(self, key: object) -> bool:
        return key in self._messages

    def text(self, key: str, lang: Lang) -> str:
        """The message ``key`` in ``lang``; an unknown key raises ``KeyError``."""
        return self._messages[key][lang]

    def field_message(self, error: Mapping[str, Any], lang: Lang) -> str | None:
        """The text for a field's validation error whose type is a catalogue key (the project's
        own validators raise those, e.g. ``text.unsafe_character``), with its context filled in;
        None for the validation library's own errors."""
        key = str(error.get("type", ""))
        if key not in self._messages:
            return None
        return self.text(key, lang).format_map(error.get("ctx") or {})


# What a service without messages of its own, and the shared code itself, answers from.
GENERAL = Catalogue(CATALOGUE)


def text(key: str, lang: Lang) -> str:
    """The general message ``key`` in ``lang``."""
    return GENERAL.text(key, lang)


def field_message(error: Mapping[str, Any], lang: Lang) -> str | None:
    """``Catalogue.field_message`` of the general catalogue."""
    return GENERAL.field_message(error, lang)
