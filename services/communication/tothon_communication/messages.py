"""Communication's user-facing messages, Vietnamese and English (the general ones are shared).

Each capability keeps its keys in its own block (announcements, channels, conversations, civic)."""

from __future__ import annotations

from tothon_shared.http.messages import Lang

MESSAGES: dict[str, dict[Lang, str]] = {
    # --- announcements ---
    "communication.announcement.title_required": {
        "vi": "Thông báo cần có tiêu đề.",
        "en": "A notice needs a title.",
    },
    "communication.announcement.title_too_long": {
        "vi": "Tiêu đề dài quá 200 ký tự.",
        "en": "The title is longer than 200 characters.",
    },
    "communication.announcement.body_required": {
        "vi": "Thông báo cần có nội dung.",
        "en": "A notice needs a text.",
    },
    "communication.announcement.body_too_long": {
        "vi": "Nội dung thông báo dài quá 10.000 ký tự: hãy rút gọn hoặc đính kèm văn bản.",
        "en": "The notice is longer than 10,000 characters: shorten it or attach the document.",
    },
    "communication.announcement.reason_required": {
        "vi": "Hãy nêu lý do thu hồi thông báo.",
        "en": "Say why the notice is withdrawn.",
    },
    "communication.announcement.reason_too_long": {
        "vi": "Lý do dài quá 500 ký tự.",
        "en": "The reason is longer than 500 characters.",
    },
    "communication.announcement.text_unsafe": {
        "vi": "Nội dung có ký tự điều khiển hoặc ký tự ẩn.",
        "en": "The text holds control or invisible characters.",
    },
    "communication.announcement.expiry_before_publication": {
        "vi": "Ngày hết hạn phải sau ngày đăng.",
        "en": "The expiry must come after the publication.",
    },
    "communication.announcement.too_many_attachments": {
        "vi": "Một thông báo kèm tối đa 5 tệp.",
        "en": "A notice carries at most 5 files.",
    },
    "communication.announcement.attachment_unknown": {
        "vi": "Tệp đính kèm không có hoặc không do bạn tải lên.",
        "en": "The attachment does not exist or was not uploaded by you.",
    },
    "communication.announcement.attachment_not_found": {
        "vi": "Thông báo không kèm tệp này.",
        "en": "The notice carries no such file.",
    },
    "communication.announcement.too_many_groups": {
        "vi": "Chọn tối đa 200 tổ, thôn.",
        "en": "Pick at most 200 groups.",
    },
    "communication.announcement.group_outside": {
        "vi": "Tổ, thôn được chọn không thuộc đơn vị của thông báo.",
        "en": "A group picked is not within the notice's unit.",
    },
    "communication.announcement.not_found": {
        "vi": "Không có thông báo này.",
        "en": "There is no such notice.",
    },
    "communication.announcement.retracted": {
        "vi": "Thông báo này đã bị thu hồi.",
        "en": "This notice has been withdrawn.",
    },
    "communication.announcement.household_not_found": {
        "vi": "Không có hộ gia đình này.",
        "en": "There is no such household.",
    },
    "communication.announcement.not_your_household": {
        "vi": "Bạn chỉ xác nhận cho hộ của mình.",
        "en": "You acknowledge for your own household only.",
    },
    "communication.announcement.not_for_household": {
        "vi": "Thông báo này không gửi tới hộ này.",
        "en": "This notice is not addressed to this household.",
    },
    "communication.audio.unavailable": {
        "vi": "Máy chủ chưa cài espeak-ng và lame nên chưa đọc được thông báo thành tiếng.",
        "en": "The server lacks espeak-ng and lame: notices cannot be read aloud yet.",
    },
    "communication.announcement.means_invalid": {
        "vi": "Cách báo tin không hợp lệ.",
        "en": "Not a way of telling a household.",
    },
    # --- channels ---
    "communication.outbound.address_invalid": {
        "vi": "Địa chỉ không hợp lệ: e-mail dạng ten@mien.vn, số di động Việt Nam 10 số.",
        "en": "The address is not valid: an e-mail like name@domain.vn, or a Vietnamese mobile number.",
    },
    "communication.outbound.url_invalid": {
        "vi": "Địa chỉ webhook không hợp lệ.",
        "en": "The webhook URL is not valid.",
    },
    "communication.outbound.url_not_https": {
        "vi": "Webhook phải dùng https (chỉ bản chạy thử trên máy mới được dùng http).",
        "en": "The webhook must use https (plain http only in the embedded demo).",
    },
    "communication.outbound.secret_too_short": {
        "vi": "Khoá ký cần từ 24 đến 200 ký tự.",
        "en": "The signing secret needs 24 to 200 characters.",
    },
    "communication.outbound.email_by_smtp": {
        "vi": "E-mail được gửi qua máy chủ SMTP trong cấu hình, không qua webhook.",
        "en": "E-mail goes through the configured SMTP server, not a webhook.",
    },
    "communication.outbound.no_consent": {
        "vi": "Người này chưa đồng ý nhận thông báo trong sổ hộ khẩu điện tử: "
        "hãy đồng ý ở trang Dữ liệu của tôi trước.",
        "en": "This person has not consented to notifications in the register: "
        "consent on the My data page first.",
    },
    "communication.outbound.not_your_household": {
        "vi": "Chỉ người trong hộ mới khai địa chỉ nhận thông báo của hộ.",
        "en": "Only the household's own members give its contacts.",
    },
    "communication.outbound.not_found": {
        "vi": "Không có địa chỉ nhận thông báo này.",
        "en": "There is no such contact.",
    },
    "communication.outbound.delivered_already": {
        "vi": "Tin này đã được gửi.",
        "en": "This message was delivered already.",
    },
    # --- conversations ---
    # Conversations (api/conversations.py, domain/conversation.py).
    "communication.conversation.not_found": {
        "vi": "Không có cuộc trò chuyện này.",
        "en": "There is no such conversation.",
    },
    "communication.conversation.unit_required": {
        "vi": "Hãy chọn đơn vị của cuộc trò chuyện.",
        "en": "Name the unit of the conversation.",
    },
    "communication.conversation.no_counterpart": {
        "vi": "Đơn vị này hiện chưa có cán bộ phụ trách để trò chuyện (tổ trưởng hoặc công an khu vực).",
        "en": "Nobody serves this unit yet to talk with (a group leader or an area police officer).",
    },
    "communication.conversation.text_required": {
        "vi": "Tin nhắn không được để trống.",
        "en": "A message must not be empty.",
    },
    "communication.conversation.text_too_long": {
        "vi": "Tin nhắn quá dài (tối đa 2.000 ký tự); hãy chia thành nhiều tin hoặc gửi kèm tệp PDF.",
        "en": "The message is too long (2,000 characters at most); split it or attach a PDF.",
    },
    "communication.conversation.text_unsafe": {
        "vi": "Tin nhắn có ký tự điều khiển hoặc ký tự ẩn không được phép.",
        "en": "The message holds a control or invisible character that is not allowed.",
    },
    "communication.conversation.too_many_attachments": {
        "vi": "Mỗi tin nhắn kèm tối đa 5 tệp.",
        "en": "A message carries at most 5 files.",
    },
    "communication.conversation.attachment_repeated": {
        "vi": "Một tệp được đính kèm hai lần.",
        "en": "A file is attached twice.",
    },
    "communication.conversation.attachment_unknown": {
        "vi": "Có tệp đính kèm chưa được bạn tải lên.",
        "en": "A file attached was not uploaded by you.",
    },
    "communication.conversation.attachment_not_found": {
        "vi": "Không có tệp này trong cuộc trò chuyện.",
        "en": "There is no such file in this conversation.",
    },
    "communication.conversation.duplicate_message": {
        "vi": "Tin nhắn này đã được gửi.",
        "en": "This message was posted already.",
    },
    "communication.conversation.household_required": {
        "vi": "Cuộc trò chuyện này cần nêu hộ gia đình.",
        "en": "This conversation needs a household.",
    },
    "communication.conversation.household_unexpected": {
        "vi": "Cuộc trò chuyện này không thuộc riêng một hộ gia đình.",
        "en": "This conversation is not one household's.",
    },
    "communication.conversation.not_moderated": {
        "vi": "Chỉ tin nhắn trong kênh của tổ mới được kiểm duyệt.",
        "en": "Only a group channel's messages are moderated.",
    },
    "communication.conversation.message_not_found": {
        "vi": "Không có tin nhắn này trong cuộc trò chuyện.",
        "en": "There is no such message in this conversation.",
    },
    "communication.conversation.hidden_already": {
        "vi": "Tin nhắn này đã bị ẩn.",
        "en": "This message is hidden already.",
    },
    "communication.conversation.reason_required": {
        "vi": "Hãy nêu lý do ẩn tin nhắn.",
        "en": "Give the reason for hiding the message.",
    },
    "communication.conversation.reason_invalid": {
        "vi": "Lý do quá dài (tối đa 500 ký tự) hoặc có ký tự không được phép.",
        "en": "The reason is too long (500 characters at most) or holds a character that is not allowed.",
    },
    "communication.conversation.beyond_last": {
        "vi": "Không thể đánh dấu đã đọc quá tin nhắn mới nhất.",
        "en": "Reading cannot be marked past the latest message.",
    },
    "communication.conversation.not_a_group": {
        "vi": "Kênh trao đổi chỉ mở cho một tổ dân phố hoặc thôn.",
        "en": "A channel is opened for a residential group or a village only.",
    },
    "communication.conversation.hidden_notice": {
        "vi": "Tin nhắn đã bị người kiểm duyệt ẩn: {reason}",
        "en": "Hidden by moderator: {reason}",
    },
    "communication.attachment.too_large": {
        "vi": "Tệp quá lớn (tối đa 10 MB một tệp).",
        "en": "The file is too large (10 MB at most).",
    },
    "communication.attachment.unsupported_type": {
        "vi": "Chỉ nhận ảnh chụp (JPEG, PNG, WebP, GIF) hoặc tệp PDF; loại tệp được xác định theo nội dung, "
        "không theo tên tệp.",
        "en": "A file is a photo (JPEG, PNG, WebP, GIF) or a PDF, judged by its content, not its name.",
    },
    "communication.attachment.too_many_pixels": {
        "vi": "Ảnh có kích thước điểm ảnh quá lớn.",
        "en": "The picture has too many pixels.",
    },
    "communication.attachment.broken": {
        "vi": "Không đọc được ảnh: tệp bị hỏng.",
        "en": "The picture cannot be read: the file is damaged.",
    },
    # --- emergencies ---
    "communication.emergency.not_found": {
        "vi": "Không có tình huống khẩn cấp này.",
        "en": "There is no such emergency.",
    },
    "communication.emergency.closed": {
        "vi": "Tình huống khẩn cấp đã kết thúc: không cần báo tình hình nữa.",
        "en": "The emergency is over: no more check-ins are taken.",
    },
    "communication.emergency.not_your_household": {
        "vi": "Chỉ báo tình hình cho hộ của mình.",
        "en": "You can check in only for your own household.",
    },
    "communication.emergency.not_for_household": {
        "vi": "Tình huống khẩn cấp này không thuộc địa bàn của hộ.",
        "en": "This emergency is not for the household's area.",
    },
    "communication.emergency.note_too_long": {
        "vi": "Ghi chú dài quá 500 ký tự.",
        "en": "The note is longer than 500 characters.",
    },
    "communication.emergency.text_unsafe": {
        "vi": "Ghi chú có ký tự điều khiển hoặc ký tự ẩn: hãy gõ lại.",
        "en": "The note holds a control or invisible character: type it again.",
    },
    # --- personal notices ---
    "communication.level.group": {"vi": "tổ, thôn", "en": "group or village"},
    "communication.level.ward": {"vi": "phường, xã", "en": "ward or commune"},
    "communication.level.city": {"vi": "thành phố", "en": "city"},
    "communication.personal.feedback_submitted": {
        "vi": "Phản ánh của hộ đã vào hệ thống; hạn giải quyết {resolve_by}.",
        "en": "The household's feedback was filed; it is due to be settled by {resolve_by}.",
    },
    "communication.personal.feedback_accepted": {
        "vi": "Phản ánh của hộ đã được tiếp nhận xử lý.",
        "en": "The household's feedback was accepted for handling.",
    },
    "communication.personal.feedback_work_started": {
        "vi": "Đơn vị đã bắt đầu xử lý phản ánh của hộ.",
        "en": "Work on the household's feedback has begun.",
    },
    "communication.personal.feedback_replied": {
        "vi": "Có trả lời mới cho phản ánh của hộ.",
        "en": "There is a new reply to the household's feedback.",
    },
    "communication.personal.feedback_resolved": {
        "vi": "Phản ánh của hộ đã được giải quyết: xem kết quả và đánh giá.",
        "en": "The household's feedback was resolved: see the outcome and rate it.",
    },
    "communication.personal.feedback_rejected": {
        "vi": "Phản ánh của hộ không được xử lý: xem lý do trên trang phản ánh.",
        "en": "The household's feedback was not taken up: see why on its page.",
    },
    "communication.personal.feedback_merged": {
        "vi": "Phản ánh của hộ trùng với một phản ánh khác và được gộp vào đó.",
        "en": "The household's feedback repeated another and was merged into it.",
    },
    "communication.personal.feedback_escalated": {
        "vi": "Phản ánh của hộ đã được chuyển lên cấp {level}.",
        "en": "The household's feedback went up to the {level} level.",
    },
    "communication.personal.feedback_returned": {
        "vi": "Phản ánh của hộ đã được chuyển về cấp {level} để giải quyết.",
        "en": "The household's feedback went down to the {level} level to be settled.",
    },
    "communication.personal.feedback_reopened": {
        "vi": "Phản ánh của hộ đã được mở lại, chuyển lên cấp {level}.",
        "en": "The household's feedback was reopened at the {level} level.",
    },
    "communication.personal.dues_set": {
        "vi": "Hộ có khoản đóng góp mới: {amount} đồng.",
        "en": "The household has new dues: {amount} VND.",
    },
    "communication.personal.contribution_paid": {
        "vi": "Hộ đã nộp {amount} đồng, biên lai số {receipt_number}.",
        "en": "The household paid {amount} VND, receipt no. {receipt_number}.",
    },
    # --- civic ---
    "communication.poll.lead_time": {
        "vi": "Thông báo họp phải đến các hộ trước ít nhất 5 ngày (Luật Thực hiện dân chủ ở cơ sở 2022).",
        "en": "A meeting notice must reach households at least 5 days ahead "
        "(Law on Grassroots Democracy 2022).",
    },
    "communication.poll.options": {
        "vi": "Cần từ 2 đến 10 phương án, không trùng nhau.",
        "en": "Give 2 to 10 options, all different.",
    },
    "communication.poll.option_invalid": {"vi": "Không có phương án này.", "en": "There is no such option."},
    "communication.poll.closes_before_opening": {
        "vi": "Thời hạn biểu quyết phải sau lúc bắt đầu.",
        "en": "The poll must close after it opens.",
    },
    "communication.poll.too_long": {
        "vi": "Một lần biểu quyết kéo dài tối đa 60 ngày.",
        "en": "A poll runs at most 60 days.",
    },
    "communication.poll.threshold": {
        "vi": "Ngưỡng thông qua là từ 1 đến 99 phần trăm số hộ.",
        "en": "The threshold is 1 to 99 per cent of the households.",
    },
    "communication.poll.closed": {
        "vi": "Cuộc biểu quyết đã kết thúc.",
        "en": "The poll is closed.",
    },
    "communication.poll.not_open": {
        "vi": "Cuộc biểu quyết chưa bắt đầu.",
        "en": "The poll has not opened yet.",
    },
    "communication.poll.voted": {
        "vi": "Hộ đã biểu quyết rồi: mỗi hộ chỉ một phiếu.",
        "en": "The household has voted already: one vote per household.",
    },
    "communication.poll.busy": {
        "vi": "Đang có nhiều hộ cùng biểu quyết: xin thử lại.",
        "en": "Many households are voting at once: try again.",
    },
    "communication.poll.not_found": {"vi": "Không có cuộc biểu quyết này.", "en": "There is no such poll."},
    "communication.poll.not_your_household": {
        "vi": "Chỉ biểu quyết và xem phiếu của hộ mình.",
        "en": "You vote, and see the vote, of your own household only.",
    },
    "communication.poll.not_for_household": {
        "vi": "Cuộc biểu quyết này không thuộc địa bàn của hộ.",
        "en": "This poll is not for the household's area.",
    },
    "communication.poll.question_required": {
        "vi": "Cần nêu nội dung biểu quyết.",
        "en": "Give the question.",
    },
    "communication.poll.question_too_long": {
        "vi": "Nội dung biểu quyết dài quá 500 ký tự.",
        "en": "The question is longer than 500 characters.",
    },
    "communication.poll.option_required": {
        "vi": "Phương án không được để trống.",
        "en": "An option is empty.",
    },
    "communication.poll.option_too_long": {
        "vi": "Phương án dài quá 200 ký tự.",
        "en": "An option is longer than 200 characters.",
    },
    "communication.poll.text_unsafe": {
        "vi": "Nội dung có ký tự điều khiển hoặc ký tự ẩn: hãy gõ lại.",
        "en": "The text holds a control or invisible character: type it again.",
    },
}
