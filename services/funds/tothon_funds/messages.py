"""Funds' user-facing messages, Vietnamese and English (the general ones are shared)."""

from __future__ import annotations

from tothon_shared.http.messages import Lang

MESSAGES: dict[str, dict[Lang, str]] = {
    "funds.household_account.not_found": {
        "vi": "Hộ gia đình này chưa có tài khoản quỹ.",
        "en": "This household has no funds account.",
    },
    # --- funds domain ---
    "funds.money.not_integer": {
        "vi": "Số tiền phải là số đồng nguyên (không có phần lẻ).",
        "en": "An amount is a whole number of đồng (no fractions).",
    },
    "funds.money.not_positive": {
        "vi": "Số tiền phải lớn hơn 0.",
        "en": "An amount must be above zero.",
    },
    "funds.ledger.too_few_lines": {
        "vi": "Một bút toán cần ít nhất hai dòng.",
        "en": "An entry needs at least two lines.",
    },
    "funds.ledger.line_amount": {
        "vi": "Mỗi dòng của bút toán cần số tiền nguyên khác 0.",
        "en": "Each line of an entry needs a whole, non-zero amount.",
    },
    "funds.ledger.account_required": {
        "vi": "Mỗi dòng của bút toán cần tài khoản.",
        "en": "Each line of an entry needs an account.",
    },
    "funds.ledger.unbalanced": {
        "vi": "Bút toán không cân: tổng nợ phải bằng tổng có.",
        "en": "The entry does not balance: debits must equal credits.",
    },
    "funds.ledger.duplicate_entry": {
        "vi": "Bút toán này đã được ghi.",
        "en": "This entry is recorded already.",
    },
    "funds.ledger.unknown_entry": {
        "vi": "Không có bút toán này.",
        "en": "There is no such entry.",
    },
    "funds.ledger.reversal_of_reversal": {
        "vi": "Không huỷ một bút toán huỷ; hãy ghi lại khoản đúng.",
        "en": "A reversal is not reversed: record the right entry again.",
    },
    "funds.ledger.reversed_already": {
        "vi": "Bút toán này đã được huỷ.",
        "en": "This entry has been reversed already.",
    },
    "funds.ledger.not_a_reversal": {
        "vi": "Bút toán huỷ phải đảo đúng các dòng của bút toán gốc.",
        "en": "A reversal negates exactly the lines of the entry it reverses.",
    },
    "funds.qr.too_long": {
        "vi": "Thông tin mã QR quá dài.",
        "en": "The QR code's data is too long.",
    },
    "funds.qr.bank_bin": {
        "vi": "Mã ngân hàng (BIN) gồm 6 chữ số.",
        "en": "A bank's BIN is six digits.",
    },
    "funds.qr.account": {
        "vi": "Số tài khoản không hợp lệ.",
        "en": "The account number is not valid.",
    },
    "funds.qr.amount": {
        "vi": "Số tiền trong mã QR không hợp lệ.",
        "en": "The QR code's amount is not valid.",
    },
    "funds.qr.note": {
        "vi": "Nội dung chuyển khoản chỉ gồm chữ không dấu, số và dấu cách, tối đa 25 ký tự.",
        "en": "A transfer note has letters without marks, digits and spaces, 25 at most.",
    },
    "funds.qr.malformed": {
        "vi": "Mã QR sai cấu trúc.",
        "en": "The QR code is malformed.",
    },
    "funds.qr.crc": {
        "vi": "Mã QR bị hỏng (sai mã kiểm tra).",
        "en": "The QR code is damaged (its checksum is wrong).",
    },
    "funds.qr.not_vietqr": {
        "vi": "Đây không phải mã VietQR chuyển khoản.",
        "en": "This is not a VietQR transfer code.",
    },
    "funds.levy.period_order": {
        "vi": "Ngày kết thúc phải sau ngày bắt đầu.",
        "en": "The period must end after it starts.",
    },
    "funds.levy.resolution_required": {
        "vi": "Quỹ do cộng đồng quyết định cần dẫn nghị quyết của hội nghị hộ gia đình.",
        "en": "A community-decided fund cites the households' resolution.",
    },
    "funds.levy.voluntary_per_member": {
        "vi": "Quỹ tự nguyện chỉ gợi ý một mức cho mỗi hộ.",
        "en": "A voluntary fund suggests one amount per household.",
    },
    "funds.levy.validity_order": {
        "vi": "Thời hạn miễn giảm không hợp lệ.",
        "en": "The exemption's validity is in the wrong order.",
    },
    "funds.levy.evidence_required": {
        "vi": "Miễn giảm cần giấy tờ chứng minh.",
        "en": "An exemption needs its evidence.",
    },
    "funds.levy.exempt_members": {
        "vi": "Số người được miễn giảm phải từ 1 trở lên.",
        "en": "An exemption covers at least one member.",
    },
    "funds.fund.name_required": {
        "vi": "Cần ghi tên.",
        "en": "A name is required.",
    },
    "funds.fund.poll_unknown": {
        "vi": "Không có kết quả biểu quyết này (cuộc biểu quyết chưa kết thúc hoặc không tồn tại).",
        "en": "There is no such poll result (the poll has not closed, or does not exist).",
    },
    "funds.fund.poll_other_unit": {
        "vi": "Cuộc biểu quyết là của đơn vị khác, không phải của quỹ này.",
        "en": "The poll was of another unit than the fund's.",
    },
    "funds.fund.poll_not_passed": {
        "vi": "Cuộc biểu quyết không được thông qua: chưa quá nửa số hộ tán thành.",
        "en": "The poll did not pass: not more than half of the households agreed.",
    },
    "funds.fund.poll_not_community": {
        "vi": "Chỉ quỹ do cộng đồng quyết định mới dẫn kết quả biểu quyết.",
        "en": "Only a community-decided fund cites a poll.",
    },
    "funds.fund.resolution_required": {
        "vi": "Quỹ do cộng đồng quyết định cần dẫn nghị quyết của hội nghị hộ gia đình.",
        "en": "A community-decided fund cites the households' resolution.",
    },
    "funds.fund.closed_period": {
        "vi": "Kỳ này đã khoá sổ; hãy ghi bút toán điều chỉnh vào kỳ đang mở.",
        "en": "This period is closed: record a correcting entry in an open one.",
    },
    "funds.fund.period_order": {
        "vi": "Chỉ khoá sổ tiếp sau lần khoá trước.",
        "en": "The books close only forward of the last close.",
    },
    "funds.fund.reason_required": {
        "vi": "Cần ghi lý do.",
        "en": "A reason is required.",
    },
    "funds.fund.not_found": {
        "vi": "Không có quỹ này.",
        "en": "There is no such fund.",
    },
    "funds.expense.purpose_required": {
        "vi": "Khoản chi cần ghi mục đích.",
        "en": "An expense needs its purpose.",
    },
    "funds.expense.evidence_required": {
        "vi": "Khoản chi cần chứng từ.",
        "en": "An expense needs its evidence.",
    },
    "funds.expense.evidence_unknown": {
        "vi": "Có tệp chứng từ không tồn tại hoặc không do bạn tải lên.",
        "en": "A piece of evidence cited is no file you uploaded.",
    },
    "funds.expense.state": {
        "vi": "Khoản chi đang ở trạng thái không cho phép bước này.",
        "en": "The expense's state does not allow this step.",
    },
    "funds.expense.self_approval": {
        "vi": "Người đề xuất không tự duyệt khoản chi của mình.",
        "en": "The proposer may not approve their own expense.",
    },
    "funds.expense.approved_twice": {
        "vi": "Bạn đã duyệt khoản chi này.",
        "en": "You approved this expense already.",
    },
    "funds.expense.reason_required": {
        "vi": "Cần ghi lý do từ chối.",
        "en": "A rejection needs its reason.",
    },
    "funds.books.reason_required": {
        "vi": "Cần ghi lý do huỷ.",
        "en": "A reversal needs its reason.",
    },
    "funds.receipt.not_found": {
        "vi": "Không có biên lai với mã này: biên lai không hợp lệ hoặc mã bị gõ sai.",
        "en": "No receipt has this code: the receipt is not genuine, or the code was mistyped.",
    },
    # --- levies, payments, statements, reports (issue 17) ---
    "funds.levy.exemption_not_found": {
        "vi": "Hộ này không có miễn giảm với mã này.",
        "en": "This household has no exemption with this id.",
    },
    "funds.levy.reason_required": {
        "vi": "Cần ghi lý do.",
        "en": "A reason is required.",
    },
    "funds.fund.levy_not_found": {
        "vi": "Quỹ này không có đợt thu này.",
        "en": "This fund has no such levy.",
    },
    "funds.statement.line_paid": {
        "vi": "Dòng sao kê này đã được ghi thu.",
        "en": "This statement line has been recorded already.",
    },
    "funds.books.insufficient_funds": {
        "vi": "Quỹ không đủ tiền (theo hình thức chi đã chọn) để chi khoản này.",
        "en": "The fund does not hold enough (by the chosen means) to pay this.",
    },
    "funds.household.outside_fund": {
        "vi": "Hộ này không thuộc đơn vị của quỹ.",
        "en": "This household is not in the fund's unit.",
    },
    "funds.payment.future": {
        "vi": "Ngày nộp không thể ở tương lai.",
        "en": "A payment cannot be dated in the future.",
    },
    "funds.report.period": {
        "vi": "Kỳ báo cáo không hợp lệ: ngày kết thúc phải sau ngày bắt đầu và không quá 5 năm.",
        "en": "Invalid period: it must end after it starts and last at most 5 years.",
    },
    "funds.documents.font_missing": {
        "vi": "Máy chủ thiếu phông chữ tiếng Việt để tạo tệp PDF; vui lòng báo quản trị hệ thống.",
        "en": "The server lacks the Vietnamese font to make PDFs; please tell the administrators.",
    },
    # --- bank statements ---
    "funds.statement.empty": {"vi": "Tệp sao kê trống.", "en": "The statement file is empty."},
    "funds.statement.old_excel": {
        "vi": "Tệp Excel 97-2003 (.xls) chưa đọc được: hãy lưu lại thành .xlsx hoặc .csv.",
        "en": "Excel 97-2003 files (.xls) cannot be read: save it as .xlsx or .csv.",
    },
    "funds.statement.not_xlsx": {
        "vi": "Tệp không phải bảng tính .xlsx đọc được.",
        "en": "The file is not a readable .xlsx workbook.",
    },
    "funds.statement.not_text": {
        "vi": "Tệp CSV không đọc được (không phải văn bản).",
        "en": "The CSV file cannot be read (it is not text).",
    },
    "funds.statement.csv_broken": {"vi": "Tệp CSV bị lỗi định dạng.", "en": "The CSV file is malformed."},
    "funds.statement.unreadable": {
        "vi": "Không tìm thấy dòng tiêu đề của sao kê (ngày, số tiền ghi có, nội dung).",
        "en": "No header row found (day, amount credited, description).",
    },
    "funds.statement.no_header": {
        "vi": "Sao kê thiếu cột bắt buộc; hãy chọn đúng ngân hàng hoặc khai báo lại các cột.",
        "en": "The statement lacks required columns; choose the right bank or map its columns again.",
    },
    "funds.statement.unknown_columns": {
        "vi": "Sao kê có cột chưa biết (xem danh sách): ngân hàng có thể đã đổi mẫu, hãy khai báo lại.",
        "en": "The statement has unknown columns (see the list): the bank may have changed it; map it again.",
    },
    "funds.statement.bad_amount": {
        "vi": "Số tiền không hợp lệ (phải là số đồng nguyên, không âm).",
        "en": "Invalid amount (a whole, non-negative number of đồng).",
    },
    "funds.statement.bad_date": {"vi": "Ngày giao dịch không hợp lệ.", "en": "Invalid transaction date."},
    "funds.statement.no_lines": {
        "vi": "Sao kê không có khoản ghi có nào.",
        "en": "The statement has no credits.",
    },
    "funds.statement.unknown_bank": {
        "vi": "Chưa biết mẫu sao kê của ngân hàng này: hãy khai báo các cột một lần.",
        "en": "This bank's statement format is not known: map its columns once.",
    },
    "funds.statement.mapping": {
        "vi": "Khai báo cột chưa đúng: cần cột ngày, số tiền ghi có và nội dung, mỗi tiêu đề một lần.",
        "en": "Invalid mapping: the day, amount credited and description are needed, each header once.",
    },
    "funds.statement.line_not_open": {
        "vi": "Dòng sao kê này không còn chờ đối chiếu.",
        "en": "This statement line is not waiting to be matched.",
    },
    # --- evidence ---
    # The evidence of expenses (api/evidence.py): an upload's refusals (tothon_shared.attachments).
    "funds.evidence.too_large": {
        "vi": "Tệp chứng từ quá lớn (tối đa 10 MB một tệp).",
        "en": "The evidence file is too large (10 MB at most).",
    },
    "funds.evidence.unsupported_type": {
        "vi": "Chứng từ chỉ nhận ảnh chụp (JPEG, PNG, WebP, GIF) hoặc tệp PDF; loại tệp được xác định "
        "theo nội dung, không theo tên tệp.",
        "en": "Evidence is a photo (JPEG, PNG, WebP, GIF) or a PDF, judged by its content, not its name.",
    },
    "funds.evidence.too_many_pixels": {
        "vi": "Ảnh chứng từ có kích thước điểm ảnh quá lớn.",
        "en": "The evidence picture has too many pixels.",
    },
    "funds.evidence.broken": {
        "vi": "Không đọc được ảnh chứng từ: tệp bị hỏng.",
        "en": "The evidence picture cannot be read: the file is damaged.",
    },
    "funds.evidence.unknown": {
        "vi": "Có chứng từ chưa được tải lên.",
        "en": "A piece of evidence cited has not been uploaded.",
    },
    "funds.evidence.not_found": {
        "vi": "Không có chứng từ này.",
        "en": "There is no such evidence.",
    },
}
