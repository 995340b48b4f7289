"""User-facing messages in Vietnamese and English: one catalogue, never strings scattered in code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

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
    "auth.refused": {
        "vi": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "en": "Wrong username or password.",
    },
    "auth.external_not_configured": {
        "vi": "Hệ thống chưa được cấu hình đăng nhập qua cổng định danh của thành phố.",
        "en": "Sign-in through the city's identity provider is not configured.",
    },
    "auth.external_unknown": {
        "vi": "Tài khoản định danh này chưa được liên kết với tài khoản nào; liên hệ cán bộ quản trị.",
        "en": "This identity is not linked to an account; ask an administrator.",
    },
    "auth.locked": {
        "vi": "Đăng nhập sai quá nhiều lần; tài khoản tạm khóa, vui lòng thử lại sau.",
        "en": "Too many failed sign-ins; the account is locked for a while, try again later.",
    },
    "auth.rate_limited": {
        "vi": "Quá nhiều lần thử; vui lòng đợi một phút.",
        "en": "Too many attempts; please wait a minute.",
    },
    "account.weak_password": {
        "vi": "Mật khẩu phải có ít nhất 10 ký tự.",
        "en": "The password needs at least 10 characters.",
    },
    "account.not_found": {"vi": "Không có tài khoản này.", "en": "No such account."},
    "account.exists": {"vi": "Tên đăng nhập đã được dùng.", "en": "This username is taken."},
    "role.not_assigned": {
        "vi": "Tài khoản không có vai trò này ở đơn vị này.",
        "en": "The account does not hold this role in this unit.",
    },
    "unit.not_found": {"vi": "Không có đơn vị này.", "en": "No such unit."},
    "unit.not_residential": {
        "vi": "Hộ gia đình phải thuộc một tổ dân phố hoặc thôn.",
        "en": "A household must belong to a residential group or village.",
    },
    "unit.superseded": {
        "vi": "Đơn vị này đã được sáp nhập, chia tách hoặc giải thể; hãy dùng đơn vị kế thừa.",
        "en": "This unit was merged, split or abolished; use the unit that succeeded it.",
    },
    "unit.change_date": {
        "vi": "Ngày hiệu lực phải sau ngày thành lập và không trước lần thay đổi gần nhất của đơn vị.",
        "en": "The effective date must be after the unit was established and not before its last change.",
    },
    "unit.same_name": {"vi": "Đơn vị đã có tên này.", "en": "The unit already has this name."},
    "unit.wrong_parent": {
        "vi": "Loại đơn vị này không thể trực thuộc đơn vị đã chọn.",
        "en": "A unit of this kind cannot belong to the chosen unit.",
    },
    "unit.already_there": {
        "vi": "Đơn vị đã trực thuộc đơn vị này.",
        "en": "The unit already belongs to this unit.",
    },
    "unit.successor_needed": {
        "vi": "Sáp nhập hoặc chia tách cần có đơn vị kế thừa.",
        "en": "A merge or split needs a successor unit.",
    },
    "unit.successor_invalid": {
        "vi": "Đơn vị kế thừa phải là đơn vị khác đang hoạt động.",
        "en": "A successor must be another unit in force.",
    },
    "unit.cycle": {
        "vi": "Một đơn vị không thể trực thuộc chính nó hoặc đơn vị cấp dưới của nó.",
        "en": "A unit cannot belong to itself or to a unit below it.",
    },
    "unit.nothing_to_merge": {
        "vi": "Hãy chọn ít nhất một đơn vị để sáp nhập.",
        "en": "Choose at least one unit to merge.",
    },
    "unit.mixed_merge": {
        "vi": "Chỉ sáp nhập đơn vị hành chính với đơn vị hành chính, tổ/thôn với tổ/thôn.",
        "en": "Administrative units merge with administrative units, groups and villages with their kind.",
    },
    "unit.split_parts": {
        "vi": "Chia tách phải tạo ra ít nhất hai đơn vị.",
        "en": "A split makes at least two units.",
    },
    "unit.assignment_invalid": {
        "vi": "Có tổ/thôn hoặc hộ được phân về không thuộc đơn vị đang sắp xếp, hoặc phần không tồn tại.",
        "en": "A group or household assigned is not in a unit being reorganised, or the part does not exist.",
    },
    "unit.administrative": {
        "vi": "Chỉ quản trị hệ thống của thành phố được thay đổi đơn vị hành chính.",
        "en": "Only the city's IT administrators change administrative units.",
    },
    "unit.code_unknown": {
        "vi": "Không có đơn vị nào mang mã này.",
        "en": "No unit has this code.",
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
    "household.not_a_member": {
        "vi": "Người này không phải thành viên của hộ.",
        "en": "This person is not a member of the household.",
    },
    "household.head_leaving": {
        "vi": "Chủ hộ chỉ rời hộ sau khi đã chọn chủ hộ mới.",
        "en": "The head leaves only after another member was made head.",
    },
    "household.relationships_restated": {
        "vi": "Khi đổi chủ hộ, phải nêu quan hệ của mọi thành viên khác với chủ hộ mới.",
        "en": "When the head changes, state every other member's relationship to the new head.",
    },
    "person.not_found": {"vi": "Không có nhân khẩu này.", "en": "No such person."},
    "person.erased": {
        "vi": "Dữ liệu của người này đã bị xoá theo yêu cầu; không ghi thêm được.",
        "en": "This person's data was erased; nothing more can be recorded.",
    },
    "person.purpose_required": {
        "vi": "Cán bộ phải nêu mục đích xem thông tin cá nhân (tham số purpose).",
        "en": "Officials must state why they view personal data (the purpose parameter).",
    },
    "presence.not_found": {"vi": "Không có báo cáo này.", "en": "No such flag."},
    "presence.inconsistent": {
        "vi": 'Báo cáo không khớp: chỉ nêu tên thành viên của hộ khi báo "có đăng ký nhưng không ở"; '
        "tạm trú phải có ngày hết hạn.",
        "en": 'Inconsistent: name a member of the household only for "registered but not living here"; '
        "temporary residence needs its end date.",
    },
    "presence.reviewed": {
        "vi": "Báo cáo này đã được xem xét.",
        "en": "This flag was reviewed already.",
    },
    "correction.not_found": {"vi": "Không có đề nghị sửa này.", "en": "No such correction."},
    "correction.empty": {
        "vi": "Đề nghị sửa phải nêu ít nhất một thông tin được phép sửa.",
        "en": "A correction changes at least one correctable field.",
    },
    "correction.decided": {
        "vi": "Đề nghị sửa này đã được quyết định.",
        "en": "This correction was decided already.",
    },
    "import.not_found": {"vi": "Không có lần nhập này.", "en": "No such import."},
    "import.unreadable": {
        "vi": "Không đọc được tệp: cần CSV (UTF-8) hoặc XLSX có các cột Mã hộ, Họ và tên, "
        "Quan hệ với chủ hộ.",
        "en": "The file cannot be read: a CSV (UTF-8) or XLSX with the columns Mã hộ, Họ và tên, "
        "Quan hệ với chủ hộ is needed.",
    },
    "person.search_empty": {
        "vi": "Nhập tên, số định danh hoặc số điện thoại để tìm.",
        "en": "Give a name, a citizen ID or a phone number to search for.",
    },
    "person.search_cursor": {
        "vi": "Vị trí trang không hợp lệ; hãy tìm lại từ đầu.",
        "en": "The page position is not valid; search again from the start.",
    },
    "person.phone_needs_consent": {
        "vi": "Chỉ lưu số điện thoại khi người dân đồng ý nhận thông báo qua số này.",
        "en": "A phone number is kept only with the person's consent to be contacted on it.",
    },
    "consent.not_given": {
        "vi": "Người này chưa đồng ý cho mục đích này.",
        "en": "This person has not consented to this purpose.",
    },
    "consent.own_household": {
        "vi": "Chỉ người dân trong hộ mới ghi nhận hoặc rút lại sự đồng ý của mình.",
        "en": "Only residents of the household record or withdraw their own consent.",
    },
    # --- stall ---
    "person.consent_repeated": {
        "vi": "Mỗi mục đích đồng ý chỉ được ghi một lần.",
        "en": "Each consent purpose may be listed only once.",
    },
    # --- dbdown ---
    "unavailable.title": {"vi": "Dịch vụ tạm thời gián đoạn", "en": "Service unavailable"},
    "database_unavailable.detail": {
        "vi": "Cơ sở dữ liệu tạm thời không phản hồi; vui lòng thử lại sau ít giây.",
        "en": "The database is not answering for the moment; please try again in a few seconds.",
    },
    # --- scope ---
    "account.household_not_found": {
        "vi": "Không có hộ gia đình này để gắn với tài khoản.",
        "en": "There is no such household to bind the account to.",
    },
    # --- tokens ---
    "token_keys.title": {"vi": "Tạm thời chưa sẵn sàng", "en": "Temporarily unavailable"},
    "auth.keys_unavailable": {
        "vi": "Chưa kiểm tra được phiên đăng nhập vì dịch vụ đăng ký chưa sẵn sàng; hãy thử lại sau ít giây.",
        "en": "Your sign-in cannot be checked yet: the registry is not reachable. "
        "Try again in a few seconds.",
    },
    # --- text ---
    "text.unsafe_character": {
        "vi": "có ký tự điều khiển hoặc ký tự vô hình {character}, không được phép "
        "(chúng làm hỏng dữ liệu hoặc giả mạo chữ hiển thị)",
        "en": "must not contain the control or invisible character {character} "
        "(it corrupts stored data or disguises the text shown)",
    },
    "text.no_letter": {"vi": "phải có ít nhất một chữ cái", "en": "must contain at least one letter"},
    "text.blank": {"vi": "bắt buộc, không được để trống", "en": "must not be blank"},
    "date.future": {"vi": "không được là ngày trong tương lai", "en": "must not be in the future"},
    "person.invalid_name": {
        "vi": "Họ và tên phải có ít nhất một chữ cái và không có ký tự điều khiển hay ký tự vô hình.",
        "en": "A name needs at least one letter and no control or invisible characters.",
    },
    "person.born_after_joining": {
        "vi": "Ngày sinh không được sau ngày người này vào hộ (ngày đăng ký hộ, sinh ra hoặc chuyển đến).",
        "en": "A birth date must not be after the day the person joined the household "
        "(registration, birth or moving in).",
    },
    "person.left_before_joining": {
        "vi": "Ngày rời hộ (chuyển đi, qua đời, tách hộ) không được trước ngày sinh hoặc ngày vào hộ.",
        "en": "The day a person leaves (moving out, death, a split) must not be before their birth "
        "or the day they joined.",
    },
    # --- fuzz ---
    "method_not_allowed.title": {"vi": "Phương thức không được hỗ trợ", "en": "Method not allowed"},
    "correction.person_erased": {
        "vi": "Dữ liệu của người này đã bị xoá theo yêu cầu: đề nghị sửa được đóng lại, không thay đổi gì.",
        "en": "This person's data was erased on request: the correction is closed without any change.",
    },
    "presence.person_erased": {
        "vi": "Dữ liệu của người này đã bị xoá theo yêu cầu: báo cáo được đóng lại, không cần xem xét nữa.",
        "en": "This person's data was erased on request: the flag is closed and needs no review.",
    },
}


def text(key: str, lang: Lang) -> str:
    """The message ``key`` in ``lang``."""
    return CATALOGUE[key][lang]


def field_message(error: Mapping[str, Any], lang: Lang) -> str | None:
    """The catalogue's text for a field's validation error whose type is a catalogue key (the
    project's own validators raise those, e.g. ``text.unsafe_character``), with its context
    filled in; None for the validation library's own errors."""
    key = str(error.get("type", ""))
    if key not in CATALOGUE:
        return None
    return text(key, lang).format_map(error.get("ctx") or {})
