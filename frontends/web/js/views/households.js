// Units the caller serves, their households, and one household with its members.
import { call, registry } from "../api.js";
import { h, select, show, status } from "../dom.js";

export async function householdsView(view, { t, L }) {
  show(view, t.navHouseholds, status(t.loading));
  const units = await call(registry("/units"));
  const byId = new Map(units.map((u) => [u.unit_id, u]));
  const result = h("section", { "aria-live": "polite", "aria-labelledby": "hh-h" });
  const list = h("ul", { id: "units", "aria-label": t.units },
    units.filter((u) => ["residential_group", "village"].includes(u.kind)).map((unit) => {
      const button = h("button", { type: "button", "aria-pressed": "false",
        text: `${unit.name} — ${byId.get(unit.parent_id)?.name ?? ""}` });
      button.addEventListener("click", () => {
        list.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
        unitHouseholds(result, unit, t, L);
      });
      return h("li", {}, button);
    }));
  show(view, t.navHouseholds, h("h3", { text: t.units }), list, result);
}

async function unitHouseholds(section, unit, t, L) {
  section.replaceChildren(h("h3", { id: "hh-h", text: `${t.households} — ${unit.name}` }), status(t.loading));
  let households, funds, communication;
  try {
    [households, funds, communication] = await Promise.all([
      call(registry(`/households?unit_id=${unit.unit_id}`)),
      call(`/funds/api/v1/directory/units/${unit.unit_id}/households`),
      call(`/communication/api/v1/directory/units/${unit.unit_id}/households`),
    ]);
  } catch (error) {
    section.replaceChildren(h("h3", { id: "hh-h", text: `${t.households} — ${unit.name}` }),
      h("p", { id: "seen", role: "alert", text: error.status === 403 ? t.forbidden : error.message }));
    return;
  }
  const found = h("ul", { id: "found", class: "members", "aria-live": "polite" });
  const search = h("form", { role: "search", class: "stack", "aria-label": t.search },
    h("label", {}, h("span", { text: t.searchText }), h("input", { name: "q", type: "search", required: true })),
    select("purpose", t.purpose, [["", t.choosePurpose], ...Object.keys(L.purposes)
      .filter((p) => !p.includes(" ")).map((p) => [p, L.purposes[p]])]),
    h("button", { type: "submit", text: t.find }), h("p", { class: "muted", text: t.logged }));
  search.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(search);
    const text = String(data.get("q")).trim();
    // Digits alone are an ID (12) or a phone number; anything else is a name.
    const digits = text.replace(/[\s.+-]/g, "");
    const field = /^\d{12}$/.test(digits) ? "citizen_id" : /^\d{9,11}$/.test(digits) ? "phone" : "q";
    const query = new URLSearchParams({ unit_id: unit.unit_id, purpose: data.get("purpose"), [field]: text });
    found.replaceChildren(status(t.loading));
    try {
      const result = await call(registry(`/persons?${query}`));
      found.replaceChildren(...result.items.map((p) => h("li", {},
        h("a", { href: `#/person/${p.person_id}`, text: p.full_name }),
        h("span", { class: "muted", text: ` — ${t.household} ${p.household_code}${p.birth_year ? `, ${t.born(p.birth_year)}` : ""}` }))));
      if (!result.items.length) found.replaceChildren(h("li", { text: t.noResults }));
    } catch (error) {
      found.replaceChildren(h("li", { role: "alert", text: error.message }));
    }
  });
  const rows = households.map((hh) => h("tr", {},
    h("td", {}, h("a", { href: `#/household/${hh.household_id}`, text: hh.code })),
    h("td", { text: hh.head_name ?? t.erased }),
    h("td", { text: String(hh.member_count) })));
  section.replaceChildren(
    h("h3", { id: "hh-h", text: `${t.households} — ${unit.name}` }),
    h("p", { id: "seen", text: t.seen(funds.length, communication.length) }),
    h("h4", { text: t.search }), search, found,
    h("table", { id: "households" },
      h("thead", {}, h("tr", {}, h("th", { text: t.code }), h("th", { text: t.head }), h("th", { text: t.members }))),
      h("tbody", {}, rows)));
}

export async function householdView(view, { t, L }, id) {
  show(view, t.household, status(t.loading));
  const household = await call(registry(`/households/${id}`));
  show(view, `${t.household} ${household.code}`, membersList(household, t, L));
}

export function membersList(household, t, L) {
  return h("ul", { class: "members", "aria-label": t.members },
    household.members.map((m) => h("li", {},
      m.erased ? h("span", { text: t.erased }) : h("a", { href: `#/person/${m.person_id}`, text: m.full_name }),
      h("span", { class: "muted", text: ` — ${L.relationships[m.relationship] || m.relationship}` }))));
}
