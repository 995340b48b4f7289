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
