"""Feedback's user-facing messages, Vietnamese and English (the general ones are shared): one for
each rule its domain names by a code."""

from __future__ import annotations

from tothon_shared.http.messages import Lang

MESSAGES: dict[str, dict[Lang, str]] = {
    # A step the case's state does not allow.
    "feedback.case.state": {
        "vi": "Phản ánh đang ở trạng thái không cho phép bước này.",
        "en": "The case's current state does not allow this step.",
    },
    "feedback.case.same_case": {
        "vi": "Không thể gộp một phản ánh vào chính nó.",
        "en": "A case cannot be merged into itself.",
    },
    "feedback.case.not_due": {
        "vi": "Phản ánh chưa quá hạn nên chưa tự chuyển lên cấp trên.",
        "en": "The case is not past its deadline, so it is not escalated by itself.",
    },
    "feedback.case.top_level": {
        "vi": "Phản ánh đã ở cấp cao nhất, không chuyển lên được nữa.",
        "en": "The case is at the highest level already and cannot be escalated further.",
    },
    "feedback.case.not_lower": {
        "vi": "Chỉ trả phản ánh về một cấp thấp hơn cấp đang xử lý.",
        "en": "A case is returned only to a level below the one handling it.",
    },
    # Resolving, closing and the reasons every step gives.
    "feedback.resolution.answer_required": {
        "vi": "Kết quả xử lý cần có câu trả lời công khai.",
        "en": "A resolution needs a public answer.",
    },
    "feedback.resolution.evidence_required": {
        "vi": "Kết quả xử lý cần kèm bằng chứng (ảnh hoặc văn bản).",
        "en": "A resolution needs evidence (photos or documents).",
    },
    "feedback.rating.range": {
        "vi": "Đánh giá là số sao từ 1 đến 5.",
        "en": "A rating is a whole number of stars from 1 to 5.",
    },
    "feedback.reason_required": {
        "vi": "Bước này cần ghi lý do.",
        "en": "This step needs a reason.",
    },
    # Submitting.
    "feedback.submission.text_required": {
        "vi": "Hãy mô tả nội dung phản ánh.",
        "en": "Describe what the feedback is about.",
    },
    "feedback.submission.channel": {
        "vi": "Kênh tiếp nhận không khớp với người gửi (cư dân tự gửi trực tuyến; cán bộ ghi thay khi "
        "tiếp dân trực tiếp hoặc qua điện thoại).",
        "en": "The channel does not match who files it (residents file online; officials file walk-ins "
        "and phone calls on a resident's behalf).",
    },
    "feedback.submission.no_competent_unit": {
        "vi": "Không tìm thấy đơn vị có thẩm quyền xử lý loại phản ánh này từ đơn vị của bạn.",
        "en": "No unit competent for this category was found above yours.",
    },
    "feedback.formal_procedure": {
        "vi": "Khiếu nại, tố cáo được giải quyết theo Luật Khiếu nại và Luật Tố cáo, không theo kênh "
        "phản ánh: hãy gửi đơn đến cơ quan có thẩm quyền.",
        "en": "Complaints and denunciations follow the Law on Complaints and the Law on Denunciations, "
        "not the feedback channel: send them in writing to the competent body.",
    },
    # The category catalogue a city administrator edits.
    "feedback.catalogue.duplicate_category": {
        "vi": "Đã có loại phản ánh với mã này.",
        "en": "A category with this code exists already.",
    },
    "feedback.catalogue.unknown_category": {
        "vi": "Không có loại phản ánh này.",
        "en": "There is no such category.",
    },
    "feedback.catalogue.retired_category": {
        "vi": "Loại phản ánh này đã ngừng sử dụng.",
        "en": "This category is no longer in use.",
    },
    "feedback.catalogue.day_off_exists": {
        "vi": "Ngày nghỉ này đã có trong lịch.",
        "en": "This day off is in the calendar already.",
    },
    "feedback.catalogue.day_off_unknown": {
        "vi": "Ngày nghỉ này không có trong lịch.",
        "en": "This day off is not in the calendar.",
    },
    "feedback.catalogue.deadline_range": {
        "vi": "Thời hạn phải là số giờ hoặc ngày làm việc dương, trong giới hạn cho phép.",
        "en": "A deadline is a positive number of working hours or days, within the limits.",
    },
    "feedback.catalogue.name_required": {
        "vi": "Loại phản ánh cần tên tiếng Việt và tiếng Anh.",
        "en": "A category needs a Vietnamese and an English name.",
    },
    "feedback.catalogue.deadline_missing": {
        "vi": "Loại phản ánh cần thời hạn ở cấp có thẩm quyền và mọi cấp trên.",
        "en": "A category needs deadlines at its competent level and every level above.",
    },
    # Office hours.
    "feedback.calendar.no_office_hours": {
        "vi": "Giờ làm việc không được để trống.",
        "en": "Office hours must not be empty.",
    },
    "feedback.calendar.office_hours_order": {
        "vi": "Các buổi làm việc phải theo thứ tự và không chồng lên nhau.",
        "en": "Office hours must be in order and must not overlap.",
    },
    "feedback.calendar.naive_instant": {
        "vi": "Thời điểm cần có múi giờ.",
        "en": "An instant needs its time zone.",
    },
    "feedback.calendar.no_working_day": {
        "vi": "Không có ngày làm việc nào trong khoảng tính thời hạn.",
        "en": "There is no working day within reach of the deadline.",
    },
    # --- the application and its routes ---
    "feedback.submission.position": {
        "vi": "Vị trí không hợp lệ (vĩ độ từ -90 đến 90, kinh độ từ -180 đến 180).",
        "en": "The position is not valid (latitude -90 to 90, longitude -180 to 180).",
    },
    "feedback.text.text_required": {
        "vi": "Hãy nhập nội dung.",
        "en": "Write the text.",
    },
    "feedback.text.text_too_long": {
        "vi": "Nội dung quá dài.",
        "en": "The text is too long.",
    },
    "feedback.case.not_found": {
        "vi": "Không có phản ánh này, hoặc bạn không được xem.",
        "en": "There is no such case, or you may not see it.",
    },
    "feedback.case.merge_target": {
        "vi": "Chỉ gộp vào một phản ánh đang được xử lý.",
        "en": "A case is merged only into a case that is still being handled.",
    },
    "feedback.submission.no_household": {
        "vi": "Tài khoản của bạn chưa gắn với hộ gia đình nào nên chưa gửi phản ánh trực tuyến được; "
        "hãy liên hệ tổ trưởng.",
        "en": "Your account is not linked to a household, so you cannot file online yet; ask your group "
        "leader.",
    },
    "feedback.submission.household_unknown": {
        "vi": "Hộ gia đình chưa có trong dữ liệu của dịch vụ phản ánh; hãy thử lại sau ít phút.",
        "en": "The household is not known to the feedback service yet; try again in a few minutes.",
    },
    "feedback.submission.unit_required": {
        "vi": "Cán bộ ghi thay cần chọn hộ gia đình hoặc đơn vị của người phản ánh.",
        "en": "An official filing for a resident chooses the resident's household or unit.",
    },
    "feedback.submission.reads_like_formal": {
        "vi": "Nội dung có vẻ là khiếu nại hoặc tố cáo, được giải quyết theo thủ tục riêng của luật. "
        "Nếu đây chỉ là phản ánh, kiến nghị, hãy xác nhận và gửi lại.",
        "en": "The text reads like a complaint or denunciation, which follows its own legal procedure. "
        "If it is only feedback, confirm and send it again.",
    },
    "feedback.submission.repeated": {
        "vi": "Bạn đã gửi một phản ánh giống vậy và phản ánh đó đang được xử lý. Hãy theo dõi phản ánh "
        "đó, hoặc xác nhận đây là việc khác.",
        "en": "You sent a case like this one and it is still being handled. Follow that case, or "
        "confirm this is another matter.",
    },
    "feedback.case.not_your_level": {
        "vi": "Phản ánh đang ở cấp khác; bạn chỉ xem được, không xử lý được.",
        "en": "The case is at another level: you may see it but not handle it.",
    },
    "feedback.case.return_target": {
        "vi": "Chỉ trả phản ánh về một đơn vị trực thuộc đơn vị đang xử lý.",
        "en": "A case is returned only to a unit below the one handling it.",
    },
    "feedback.statistics.period": {
        "vi": "Tháng bắt đầu phải trước tháng kết thúc.",
        "en": "The first month must come before the last.",
    },
    # Photos and files.
    "feedback.attachment.too_large": {
        "vi": "Tệp quá lớn (ảnh tối đa 10 MB; các tệp của một phản ánh tối đa 25 MB).",
        "en": "The file is too large (10 MB a photo; 25 MB for a case's files together).",
    },
    "feedback.attachment.unsupported_type": {
        "vi": "Chỉ nhận ảnh (JPEG, PNG, WebP, GIF) hoặc tệp PDF; loại tệp được xác định theo nội dung.",
        "en": "Only photos (JPEG, PNG, WebP, GIF) or PDF files are accepted, judged by their content.",
    },
    "feedback.attachment.too_many_pixels": {
        "vi": "Ảnh có kích thước điểm ảnh quá lớn.",
        "en": "The picture has too many pixels.",
    },
    "feedback.attachment.broken": {
        "vi": "Không đọc được ảnh: tệp bị hỏng.",
        "en": "The picture cannot be read: the file is damaged.",
    },
    "feedback.attachment.unknown": {
        "vi": "Có tệp đính kèm chưa được bạn tải lên.",
        "en": "An attached file is not one you uploaded.",
    },
    "feedback.attachment.not_found": {
        "vi": "Không có tệp này.",
        "en": "There is no such file.",
    },
    # Open311 keys.
    "feedback.open311_key.system_required": {
        "vi": "Hãy ghi tên hệ thống được cấp khóa.",
        "en": "Name the system the key is for.",
    },
    "feedback.open311_key.not_found": {
        "vi": "Không có khóa này.",
        "en": "There is no such key.",
    },
    "feedback.open311_key.revoked": {
        "vi": "Khóa này đã bị thu hồi.",
        "en": "This key has been revoked already.",
    },
    "feedback.submission.name_not_public": {
        "vi": "Tên chỉ được công khai khi người phản ánh đồng ý.",
        "en": "A name is shown only when the resident agrees.",
    },
}
