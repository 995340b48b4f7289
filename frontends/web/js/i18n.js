// Every string of the page, Vietnamese first. Labels of codes (roles, fields, purposes) too.
export const TEXT = {
  vi: {
    title: "Tổ, thôn điện tử", other: "English", loading: "Đang tải…", signIn: "Đăng nhập", signOut: "Đăng xuất",
    username: "Tên đăng nhập", password: "Mật khẩu", forbidden: "Tài khoản của bạn không xem được đơn vị này.",
    navHouseholds: "Hộ gia đình", navMe: "Dữ liệu của tôi", navAdmin: "Quản trị tài khoản", nav: "Điều hướng",
    units: "Tổ dân phố, thôn", households: "Hộ gia đình", code: "Mã hộ", head: "Chủ hộ", members: "Số nhân khẩu",
    seen: (f, c) => `Dịch vụ quỹ thấy ${f} hộ, dịch vụ thông tin thấy ${c} hộ.`,
    household: "Hộ", member: "Nhân khẩu", relationship: "Quan hệ với chủ hộ", open: "Xem",
    erased: "Đã xoá theo yêu cầu", back: "Quay lại",
    person: "Thông tin nhân khẩu", purpose: "Mục đích xem", choosePurpose: "Chọn mục đích…", show: "Xem thông tin",
    logged: "Lần xem này được ghi lại; người dân thấy ai đã xem, khi nào và vì sao.",
    hidden: "không được xem", none: "—",
    consent: "Đồng ý nhận thông báo qua điện thoại", consentGiven: (d) => `Đã đồng ý từ ${d}`,
    consentWithdrawn: (d) => `Đã rút lại ${d}`, withdraw: "Rút lại đồng ý", give: "Đồng ý nhận thông báo qua số này",
    phone: "Số điện thoại", done: "Đã lưu.",
    erase: "Xoá dữ liệu cá nhân", eraseReason: "Lý do xoá", eraseConfirm: "Xoá vĩnh viễn dữ liệu cá nhân của người này? Không thể khôi phục.",
    erasedNote: "Dữ liệu cá nhân của người này đã bị xoá; hộ vẫn giữ số nhân khẩu.",
    whoViewed: "Ai đã xem dữ liệu của tôi", noReads: "Chưa có cán bộ nào xem dữ liệu hộ của bạn.",
    myHousehold: "Hộ của tôi", noHousehold: "Tài khoản chưa gắn với hộ nào.",
    read: (r, who) => `${when(r.read_at, "vi-VN")} — ${r.reader_name} (${purposeName("vi", r.purpose)})${who ? ` — ${who}` : ""}`,
    adminUnit: "Đơn vị", accounts: "Tài khoản phục vụ đơn vị này", noAccounts: "Chưa có tài khoản nào.",
    name: "Họ và tên", roles: "Vai trò", locked: (d) => `Bị khoá đến ${d}`, revoke: "Thu hồi",
    revokeOf: (role, name) => `Thu hồi vai trò ${role} của ${name}`,
    openAccount: "Mở tài khoản", displayName: "Tên hiển thị", assign: "Giao vai trò", account: "Tài khoản",
    role: "Vai trò", reason: "Lý do", resetPassword: "Đặt lại mật khẩu", newPassword: "Mật khẩu mới",
    opened: (u) => `Đã mở tài khoản ${u}.`, assigned: "Đã giao vai trò.", revoked: "Đã thu hồi vai trò.",
    reset: "Đã đặt lại mật khẩu; các phiên đăng nhập của tài khoản đã kết thúc.",
  },
  en: {
    title: "E-residential groups and villages", other: "Tiếng Việt", loading: "Loading…", signIn: "Sign in", signOut: "Sign out",
    username: "Username", password: "Password", forbidden: "Your account cannot see this unit.",
    navHouseholds: "Households", navMe: "My data", navAdmin: "Account administration", nav: "Navigation",
    units: "Residential groups and villages", households: "Households", code: "Code", head: "Head of household", members: "Members",
    seen: (f, c) => `The funds service sees ${f} households, communication sees ${c}.`,
    household: "Household", member: "Member", relationship: "Relationship to the head", open: "View",
    erased: "Erased on request", back: "Back",
    person: "Person", purpose: "Purpose", choosePurpose: "Choose a purpose…", show: "Show details",
    logged: "This view is logged; residents see who viewed their data, when and why.",
    hidden: "not shown to you", none: "—",
    consent: "Consent to notifications by phone", consentGiven: (d) => `Given since ${d}`,
    consentWithdrawn: (d) => `Withdrawn ${d}`, withdraw: "Withdraw consent", give: "Consent to notifications on this number",
    phone: "Phone number", done: "Saved.",
    erase: "Erase personal data", eraseReason: "Reason for erasure", eraseConfirm: "Erase this person's personal data for good? It cannot be undone.",
    erasedNote: "This person's personal data was erased; the household keeps its member count.",
    whoViewed: "Who viewed my data", noReads: "No official has viewed your household's data yet.",
    myHousehold: "My household", noHousehold: "This account is not linked to a household.",
    read: (r, who) => `${when(r.read_at, "en-GB")} — ${r.reader_name} (${purposeName("en", r.purpose)})${who ? ` — ${who}` : ""}`,
    adminUnit: "Unit", accounts: "Accounts serving this unit", noAccounts: "No accounts yet.",
    name: "Full name", roles: "Roles", locked: (d) => `Locked until ${d}`, revoke: "Revoke",
    revokeOf: (role, name) => `Revoke ${role} from ${name}`,
    openAccount: "Open an account", displayName: "Display name", assign: "Appoint a role", account: "Account",
    role: "Role", reason: "Reason", resetPassword: "Reset a password", newPassword: "New password",
    opened: (u) => `Account ${u} opened.`, assigned: "Role appointed.", revoked: "Role revoked.",
    reset: "Password reset; the account's sessions have ended.",
  },
};

export const LABELS = {
  vi: {
    roles: { resident: "Cư dân", group_leader: "Tổ trưởng / trưởng thôn", area_police: "Công an khu vực",
             ward_official: "Cán bộ phường, xã", city_official: "Cán bộ thành phố", city_it_admin: "Quản trị hệ thống" },
    relationships: { head: "Chủ hộ", spouse: "Vợ/chồng", child: "Con", parent: "Cha/mẹ", grandparent: "Ông/bà",
                     grandchild: "Cháu", sibling: "Anh/chị/em", other: "Khác" },
    fields: { full_name: "Họ và tên", sex: "Giới tính", birth_date: "Ngày sinh", citizen_id: "Số định danh cá nhân",
              phone: "Số điện thoại", ethnicity: "Dân tộc", religion: "Tôn giáo", health_status: "Tình trạng sức khoẻ",
              poverty_status: "Hộ nghèo, cận nghèo" },
    purposes: { residence_management: "Quản lý cư trú", social_welfare: "An sinh xã hội", contact: "Liên hệ, thông báo",
                security: "An ninh, trật tự", data_quality: "Rà soát, làm sạch dữ liệu",
                "household list": "xem danh sách hộ", "household view": "xem chi tiết hộ" },
    values: { male: "Nam", female: "Nữ", poor: "Hộ nghèo", near_poor: "Hộ cận nghèo", none: "Không" },
    erasure: { subject_request: "Theo yêu cầu của người dân", registered_in_error: "Ghi nhầm",
               retention_expired: "Hết thời hạn lưu trữ" },
  },
  en: {
    roles: { resident: "Resident", group_leader: "Group leader / village head", area_police: "Area police",
             ward_official: "Ward official", city_official: "City official", city_it_admin: "IT administrator" },
    relationships: { head: "Head", spouse: "Spouse", child: "Child", parent: "Parent", grandparent: "Grandparent",
                     grandchild: "Grandchild", sibling: "Sibling", other: "Other" },
    fields: { full_name: "Full name", sex: "Sex", birth_date: "Date of birth", citizen_id: "Citizen ID",
              phone: "Phone", ethnicity: "Ethnicity", religion: "Religion", health_status: "Health",
              poverty_status: "Poverty status" },
    purposes: { residence_management: "Residence management", social_welfare: "Social welfare", contact: "Contact",
                security: "Public order", data_quality: "Data quality review",
                "household list": "household list", "household view": "household details" },
    values: { male: "Male", female: "Female", poor: "Poor", near_poor: "Near-poor", none: "None" },
    erasure: { subject_request: "The person's request", registered_in_error: "Registered in error",
               retention_expired: "Retention period over" },
  },
};

export function purposeName(lang, code) {
  const [purpose] = code.split(",");
  return LABELS[lang].purposes[purpose] || purpose;
}

export function when(iso, locale) {
  return new Date(iso).toLocaleString(locale, { timeZone: "Asia/Ho_Chi_Minh" });
}
