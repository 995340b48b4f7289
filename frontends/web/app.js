// A thin view over the services' public APIs: no business rules here.
const TEXT = {
  vi: { title: "Tổ, thôn điện tử", units: "Đơn vị thí điểm", households: "Hộ gia đình", loading: "Đang tải…",
        code: "Mã hộ", head: "Chủ hộ", members: "Số nhân khẩu", other: "English",
        intro: "Bốn dịch vụ trao đổi sự kiện thật: sổ hộ khẩu (registry) công bố, các dịch vụ quỹ và thông tin giữ danh bạ riêng.",
        seen: (f, c) => `Dịch vụ quỹ thấy ${f} hộ, dịch vụ thông tin thấy ${c} hộ.` },
  en: { title: "E-residential groups and villages", units: "Pilot units", households: "Households", loading: "Loading…",
        code: "Code", head: "Head of household", members: "Members", other: "Tiếng Việt",
        intro: "Four services exchange real events: the registry publishes, funds and communication keep their own directories.",
        seen: (f, c) => `The funds service sees ${f} households, communication sees ${c}.` },
};
let lang = localStorage.getItem("lang") || "vi";

function applyLanguage() {
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = TEXT[lang][el.dataset.i18n]; });
  document.getElementById("lang").textContent = TEXT[lang].other;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { "Accept-Language": lang } });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

async function showUnit(unit, button) {
  document.querySelectorAll("#units button").forEach((b) => b.setAttribute("aria-pressed", "false"));
  button.setAttribute("aria-pressed", "true");
  const [households, funds, communication] = await Promise.all([
    getJson(`/registry/api/v1/households?unit_id=${unit.unit_id}`),
    getJson(`/funds/api/v1/directory/units/${unit.unit_id}/households`),
    getJson(`/communication/api/v1/directory/units/${unit.unit_id}/households`),
  ]);
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
loadUnits().catch((error) => { document.getElementById("units").textContent = error.message; });
