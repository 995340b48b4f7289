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
}
