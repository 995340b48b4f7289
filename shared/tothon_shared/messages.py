"""User-facing messages in Vietnamese and English: one catalogue, never strings scattered in code."""

from __future__ import annotations

from typing import Literal

Lang = Literal["vi", "en"]

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
    "server_error.title": {"vi": "Lỗi hệ thống", "en": "Server error"},
    "server_error.detail": {
        "vi": "Đã có lỗi xảy ra; sự cố đã được ghi lại.",
        "en": "Something went wrong; the fault has been logged.",
    },
    "unit.not_found": {"vi": "Không có đơn vị này.", "en": "No such unit."},
    "unit.not_residential": {
        "vi": "Hộ gia đình phải thuộc một tổ dân phố hoặc thôn.",
        "en": "A household must belong to a residential group or village.",
    },
    "household.not_found": {"vi": "Không có hộ gia đình này.", "en": "No such household."},
    "household.code_taken": {
        "vi": "Mã hộ này đã được dùng trong đơn vị.",
        "en": "This household code is already used in the unit.",
    },
    "household.head_count": {
        "vi": "Hộ gia đình phải có đúng một chủ hộ.",
        "en": "A household must have exactly one head.",
    },
}


def text(key: str, lang: Lang) -> str:
    """The message ``key`` in ``lang``."""
    return CATALOGUE[key][lang]


def both(key: str) -> dict[Lang, str]:
    """The message ``key`` in every language."""
    return dict(CATALOGUE[key])
