// A thin view over the services' public APIs: no business rules here.
const TEXT = {
  vi: { title: "Tổ, thôn điện tử", units: "Đơn vị thí điểm", households: "Hộ gia đình", loading: "Đang tải…",
        code: "Mã hộ", head: "Chủ hộ", members: "Số nhân khẩu", other: "English",
        intro: "Bốn dịch vụ trao đổi sự kiện thật: sổ hộ khẩu (registry) công bố, các dịch vụ quỹ và thông tin giữ danh bạ riêng.",
        seen: (f, c) => `Dịch vụ quỹ thấy ${f} hộ, dịch vụ thông tin thấy ${c} hộ.`,
        signIn: "Đăng nhập", signOut: "Đăng xuất", username: "Tên đăng nhập", password: "Mật khẩu",
        forbidden: "Tài khoản của bạn không xem được đơn vị này.",
        whoViewed: "Ai đã xem dữ liệu của tôi", noReads: "Chưa có cán bộ nào xem dữ liệu hộ của bạn.",
        purposes: { "household list": "xem danh sách hộ", "household view": "xem chi tiết hộ" },
        read: (r) => `${new Date(r.read_at).toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" })} — ${r.reader_name} (${TEXT.vi.purposes[r.purpose] || r.purpose})` },
  en: { title: "E-residential groups and villages", units: "Pilot units", households: "Households", loading: "Loading…",
        code: "Code", head: "Head of household", members: "Members", other: "Tiếng Việt",
        intro: "Four services exchange real events: the registry publishes, funds and communication keep their own directories.",
        seen: (f, c) => `The funds service sees ${f} households, communication sees ${c}.`,
        signIn: "Sign in", signOut: "Sign out", username: "Username", password: "Password",
        forbidden: "Your account cannot see this unit.",
        whoViewed: "Who viewed my data", noReads: "No official has viewed your household's data yet.",
        purposes: { "household list": "household list", "household view": "household details" },
        read: (r) => `${new Date(r.read_at).toLocaleString("en-GB", { timeZone: "Asia/Ho_Chi_Minh" })} — ${r.reader_name} (${TEXT.en.purposes[r.purpose] || r.purpose})` },
};
const ROLES = {
  vi: { resident: "Cư dân", group_leader: "Tổ trưởng / trưởng thôn", area_police: "Công an khu vực",
        ward_official: "Cán bộ phường, xã", city_official: "Cán bộ thành phố", city_it_admin: "Quản trị hệ thống" },
  en: { resident: "Resident", group_leader: "Group leader / village head", area_police: "Area police",
        ward_official: "Ward official", city_official: "City official", city_it_admin: "IT administrator" },
};
let lang = localStorage.getItem("lang") || "vi";

function applyLanguage() {
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = TEXT[lang][el.dataset.i18n]; });
  document.getElementById("lang").textContent = TEXT[lang].other;
}

// The access token lives for this tab only; the services check it on every request.
let token = sessionStorage.getItem("token");

async function getJson(url, options = {}) {
  const headers = { "Accept-Language": lang, "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(url, { ...options, headers });
  if (response.status === 401 && token) { signedOut(); }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    const error = new Error(problem.detail || problem.title || `${response.status}`);
    error.status = response.status;
    throw error;
  }
  return response.status === 204 ? null : response.json();
}

function signedOut() {
  token = null;
  sessionStorage.removeItem("token");
  document.getElementById("sign-in").hidden = false;
  document.getElementById("signed-in").hidden = true;
  document.getElementById("units").replaceChildren();
  document.getElementById("my-reads").hidden = true;
  document.getElementById("households").hidden = true;
}

async function signedIn() {
  const me = await getJson("/registry/api/v1/auth/me");
  document.getElementById("who").textContent =
    `${me.name} (${me.roles.map((r) => ROLES[lang][r.role] || r.role).join(", ")})`;
  document.getElementById("sign-in").hidden = true;
  document.getElementById("signed-in").hidden = false;
  document.getElementById("my-reads").hidden = !me.household_id;
  if (me.household_id) await loadReads();
  await loadUnits();
}

document.getElementById("sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const session = await getJson("/registry/api/v1/auth/sign-in", {
      method: "POST",
      body: JSON.stringify({ username: form.get("username"), password: form.get("password") }),
    });
    token = session.access_token;
    sessionStorage.setItem("token", token);
    document.getElementById("sign-in-error").textContent = "";
    await signedIn();
  } catch (error) {
    document.getElementById("sign-in-error").textContent = error.message;
  }
});

document.getElementById("sign-out").addEventListener("click", async () => {
  await getJson("/registry/api/v1/auth/sign-out", { method: "POST" }).catch(() => null);
  signedOut();
});

async function showUnit(unit, button) {
  document.querySelectorAll("#units button").forEach((b) => b.setAttribute("aria-pressed", "false"));
  button.setAttribute("aria-pressed", "true");
  let households, funds, communication;
  try {
    [households, funds, communication] = await Promise.all([
      getJson(`/registry/api/v1/households?unit_id=${unit.unit_id}`),
      getJson(`/funds/api/v1/directory/units/${unit.unit_id}/households`),
      getJson(`/communication/api/v1/directory/units/${unit.unit_id}/households`),
    ]);
  } catch (error) {
    document.getElementById("households").hidden = true;
    document.getElementById("seen").textContent = error.status === 403 ? TEXT[lang].forbidden : error.message;
    return;
  }
  const body = document.querySelector("#households tbody");
  body.replaceChildren(...households.map((h) => {
    const row = document.createElement("tr");
    for (const value of [h.code, h.head_name, h.member_count]) {
      const cell = document.createElement("td"); cell.textContent = value; row.append(cell);
    }
    return row;
  }));
  document.getElementById("households").hidden = false;
  document.getElementById("seen").textContent = TEXT[lang].seen(funds.length, communication.length);
}

async function loadReads() {
  const reads = await getJson("/registry/api/v1/me/data-reads");
  const list = document.getElementById("reads");
  const items = reads.map((r) => { const li = document.createElement("li"); li.textContent = TEXT[lang].read(r); return li; });
  if (!items.length) { const li = document.createElement("li"); li.textContent = TEXT[lang].noReads; items.push(li); }
  list.replaceChildren(...items);
}

async function loadUnits() {
  const units = await getJson("/registry/api/v1/units");
  const byId = new Map(units.map((u) => [u.unit_id, u]));
  const list = document.getElementById("units");
  list.replaceChildren(...units.filter((u) => ["residential_group", "village"].includes(u.kind)).map((u) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `${u.name} — ${byId.get(u.parent_id)?.name ?? ""}`;
    button.addEventListener("click", () => showUnit(u, button));
    item.append(button);
    return item;
  }));
}

document.getElementById("lang").addEventListener("click", () => {
  lang = lang === "vi" ? "en" : "vi";
  localStorage.setItem("lang", lang);
  applyLanguage();
});
applyLanguage();
if (token) signedIn().catch(() => signedOut());
