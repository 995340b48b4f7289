"""The registry's user-facing messages, Vietnamese and English (the general ones are shared)."""

from __future__ import annotations

from tothon_shared.http.messages import CATALOGUE as GENERAL_MESSAGES
from tothon_shared.http.messages import Catalogue, Lang

MESSAGES: dict[str, dict[Lang, str]] = {
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
    "household.already_there": {
        "vi": "Hộ đã thuộc đơn vị này.",
        "en": "The household already belongs to this unit.",
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
    "person.consent_repeated": {
        "vi": "Mỗi mục đích đồng ý chỉ được ghi một lần.",
        "en": "Each consent purpose may be listed only once.",
    },
    "account.household_not_found": {
        "vi": "Không có hộ gia đình này để gắn với tài khoản.",
        "en": "There is no such household to bind the account to.",
    },
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
    "correction.person_erased": {
        "vi": "Dữ liệu của người này đã bị xoá theo yêu cầu: đề nghị sửa được đóng lại, không thay đổi gì.",
        "en": "This person's data was erased on request: the correction is closed without any change.",
    },
    "presence.person_erased": {
        "vi": "Dữ liệu của người này đã bị xoá theo yêu cầu: báo cáo được đóng lại, không cần xem xét nữa.",
        "en": "This person's data was erased on request: the flag is closed and needs no review.",
    },
    "import.empty": {"vi": "Tệp trống: không có dòng nào.", "en": "The file is empty."},
    "import.old_excel": {
        "vi": "Đây là tệp Excel 97-2003 (.xls): hãy mở bằng Excel và lưu lại dạng .xlsx hoặc CSV UTF-8.",
        "en": "This is an Excel 97-2003 file (.xls): open it in Excel and save it as .xlsx or CSV UTF-8.",
    },
    "import.not_xlsx": {
        "vi": "Không đọc được tệp XLSX (tệp hỏng hoặc không phải XLSX): hãy lưu lại từ Excel dạng .xlsx "
        "hoặc CSV UTF-8.",
        "en": "The XLSX file cannot be read (damaged, or not XLSX): save it again from Excel as .xlsx "
        "or CSV UTF-8.",
    },
    "import.not_text": {
        "vi": "Tệp CSV không phải văn bản đọc được (UTF-8, UTF-16 hoặc Windows-1258): hãy lưu lại dạng "
        "CSV UTF-8.",
        "en": "The CSV file is not readable text (UTF-8, UTF-16 or Windows-1258): save it as CSV UTF-8.",
    },
    "import.csv_broken": {
        "vi": "Tệp CSV hỏng ở dòng được nêu (một ô quá dài hoặc có ký tự lạ); sửa dòng đó rồi tải lên lại.",
        "en": "The CSV file is broken at the row given (a cell too long, or a stray character); "
        "correct that row and upload again.",
    },
    "import.no_header": {
        "vi": "Không tìm thấy dòng tiêu đề có đủ các cột bắt buộc Mã hộ, Họ và tên, Quan hệ với chủ hộ "
        "(trong 20 dòng đầu); xem các cột còn thiếu.",
        "en": "No header row with all the required columns Mã hộ, Họ và tên, Quan hệ với chủ hộ was found "
        "(in the first 20 rows); see the columns missing.",
    },
    "import.row.required": {"vi": "bắt buộc, không được để trống", "en": "required, must not be blank"},
    "import.row.code_long": {"vi": "dài quá 40 ký tự", "en": "longer than 40 characters"},
    "import.row.name_invalid": {"vi": "không phải một họ tên hợp lệ", "en": "not a valid name"},
    "import.row.relationship_other": {
        "vi": "không biết quan hệ “{value}”, đã ghi là Khác",
        "en": "“{value}” is not a known relationship; recorded as other",
    },
    "import.row.sex_dropped": {
        "vi": "“{value}” không phải Nam hoặc Nữ; đã để trống giới tính",
        "en": "“{value}” is neither Nam nor Nữ; the sex is left blank",
    },
    "import.row.year_impossible": {
        "vi": "năm sinh không thể có (trước 1890 hoặc sau năm nay)",
        "en": "an impossible birth year (before 1890 or after this year)",
    },
    "import.row.date_future": {"vi": "ngày ở tương lai", "en": "a date in the future"},
    "import.row.date_format": {
        "vi": "phải viết ngày/tháng/năm (vd. 05/03/1985) hoặc chỉ năm",
        "en": "must be day/month/year (e.g. 05/03/1985) or the year alone",
    },
    "import.row.date_short_year": {
        "vi": "năm viết 2 chữ số nên không rõ thế kỷ; hãy viết đủ 4 chữ số (vd. 05/03/1985)",
        "en": "a two-digit year leaves the century unknown; write all four digits (e.g. 05/03/1985)",
    },
    "import.row.date_swapped": {
        "vi": "không có tháng {month} — ngày và tháng bị đảo chăng? (viết ngày/tháng/năm)",
        "en": "there is no month {month}: are day and month swapped? (write day/month/year)",
    },
    "import.row.date_impossible": {"vi": "ngày không có thật", "en": "no such day"},
    "import.row.id_scientific": {
        "vi": "Excel đã ghi số ở dạng khoa học (vd. 4,8E+10) và làm mất chữ số; hãy định dạng cột là "
        "Văn bản và nhập lại số",
        "en": "Excel wrote the number in scientific form (e.g. 4.8E+10) and lost digits; format the "
        "column as Text and enter the number again",
    },
    "import.row.id_zero_restored": {
        "vi": "thiếu số 0 ở đầu (Excel bỏ số 0 khi cột định dạng là Số); đã thêm lại số 0 — nên định "
        "dạng cột là Văn bản",
        "en": "the leading 0 was missing (Excel drops it when the column is formatted as a number); it "
        "was put back — format the column as Text",
    },
    "import.row.id_old_card": {
        "vi": "đây là số chứng minh nhân dân (CMND) 9 số cũ; cần số định danh (CCCD) 12 chữ số",
        "en": "this is an old 9-digit identity card (CMND) number; the 12-digit citizen ID is needed",
    },
    "import.row.id_malformed": {
        "vi": "có {digits} chữ số; số định danh (CCCD) có đúng 12 chữ số",
        "en": "has {digits} digits; a citizen ID has exactly 12",
    },
    "import.row.phone_old": {
        "vi": "số di động 11 số cũ (đầu 01) đã đổi sang 10 số từ năm 2018; số này không được lưu",
        "en": "an old 11-digit mobile number (01…), changed to 10 digits in 2018; it was not kept",
    },
    "import.row.phone_dropped": {
        "vi": "không phải số điện thoại Việt Nam; số này không được lưu",
        "en": "not a Vietnamese phone number; it was not kept",
    },
    "import.row.phone_no_consent": {
        "vi": "không lưu vì chưa có đồng ý nhận thông báo (cột Đồng ý nhận thông báo: Có)",
        "en": "not kept: no consent to be notified (column Đồng ý nhận thông báo: Có)",
    },
    "import.row.text_dropped": {
        "vi": "dài quá {longest} ký tự; giá trị này không được lưu",
        "en": "longer than {longest} characters; the value was not kept",
    },
    "import.row.residence_dropped": {
        "vi": "“{value}” không phải Thường trú, Tạm trú hoặc Tạm vắng; đã để trống",
        "en": "“{value}” is not Thường trú, Tạm trú or Tạm vắng; left blank",
    },
    "import.row.temporary_without_end": {
        "vi": "Tạm trú cần ngày hết hạn ở cột Tạm trú đến; đã để trống tình trạng cư trú",
        "en": "temporary residence needs its end date (column Tạm trú đến); the residence is left blank",
    },
    "import.row.end_without_temporary": {
        "vi": "chỉ Tạm trú mới có ngày hết hạn; ngày này không được lưu",
        "en": "only temporary residence has an end date; the date was not kept",
    },
    "import.row.invalid": {"vi": "giá trị không hợp lệ", "en": "not a valid value"},
    "import.household.heads": {
        "vi": "hộ {household} phải có đúng một chủ hộ",
        "en": "household {household} must have exactly one head",
    },
    "import.sheet.ignored_columns": {
        "vi": "các cột không dùng đến đã được bỏ qua: {columns}",
        "en": "columns the import does not read were ignored: {columns}",
    },
    "import.sheet.no_consent_column": {
        "vi": "tệp không có cột Đồng ý nhận thông báo nên {count} số điện thoại không được lưu (chỉ lưu số "
        "khi người dân đồng ý)",
        "en": "the file has no column Đồng ý nhận thông báo, so {count} phone numbers were not kept (a "
        "number is kept only with the person's consent)",
    },
    "import.sheet.example_skipped": {
        "vi": "dòng ví dụ của tệp mẫu, đã bỏ qua",
        "en": "the template's example row, skipped",
    },
}

# What the registry answers from: the general messages and its own.
CATALOGUE = Catalogue(GENERAL_MESSAGES, MESSAGES)


def text(key: str, lang: Lang) -> str:
    """The message ``key`` (the registry's or a general one) in ``lang``."""
    return CATALOGUE.text(key, lang)
