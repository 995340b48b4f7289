// Units the caller serves, their households (with export), search, and registration.
import { call, callPage, can, download, registry, until } from "../api.js";
import { h, select, show, status, today } from "../dom.js";
import { choices, parseBirth } from "../forms.js";

const PAGE = 50;  // households a page (the API's default)

export async function householdsView(view, { t, L }) {
  show(view, t.navHouseholds, status(t.loading));
  // The groups and villages the caller may read; every unit in force, for the names of their wards.
  const [units, served] = await Promise.all([call(registry("/units")), call(registry("/units?serving=households:read"))]);
  const byId = new Map(units.map((u) => [u.unit_id, u]));
  const result = h("section", { "aria-live": "polite", "aria-labelledby": "hh-h" });
  const list = h("ul", { id: "units", "aria-label": t.units },
    served.filter((u) => ["residential_group", "village"].includes(u.kind)).map((unit) => {
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
      callPage(registry(`/households?unit_id=${unit.unit_id}&limit=${PAGE}`)),
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
  section.replaceChildren(
    h("h3", { id: "hh-h", text: `${t.households} — ${unit.name}` }),
    can("households:register") ? registrationForm(section, unit, t, L) : null,
    exportForm(unit, t, L),
    h("p", { id: "seen", text: t.seen(funds.length, communication.length) }),
    h("h4", { text: t.search }), search, found,
    householdTable(unit, households, t));
}

// The unit's households a page at a time, with where this page lies among them all.
function householdTable(unit, first, t) {
  const body = h("tbody");
  const where = h("p", { id: "hh-page", class: "muted", "aria-live": "polite" });
  const previous = h("button", { type: "button", class: "small", text: t.previous });
  const next = h("button", { type: "button", class: "small", text: t.next });
  let offset = 0;
  const draw = ({ items, total }) => {
    body.replaceChildren(...items.map((hh) => h("tr", {},
      h("td", {}, h("a", { href: `#/household/${hh.household_id}`, text: hh.code })),
      h("td", { text: hh.head_name ?? t.erased }),
      h("td", { text: String(hh.member_count) }))));
    where.textContent = total ? t.shownOf(offset + 1, offset + items.length, total) : t.noHouseholds;
    previous.disabled = offset === 0;
    next.disabled = offset + items.length >= total;
  };
  const go = async (step) => {
    offset = Math.max(0, offset + step);
    try {
      draw(await callPage(registry(`/households?unit_id=${unit.unit_id}&limit=${PAGE}&offset=${offset}`)));
    } catch (error) { where.textContent = error.message; }
  };
  previous.addEventListener("click", () => go(-PAGE));
  next.addEventListener("click", () => go(PAGE));
  draw(first);
  return h("div", {},
    h("table", { id: "households" },
      h("thead", {}, h("tr", {}, h("th", { text: t.code }), h("th", { text: t.head }), h("th", { text: t.members }))),
      body),
    h("nav", { class: "pager", "aria-label": t.pages }, previous, where, next));
}

// Register a household: its code and members, the first one the head.
function registrationForm(section, unit, t, L) {
  const members = h("div", { class: "stack" });
  const addMember = (first) => {
    const index = members.children.length;
    // The head is the first member; the others' relationship is chosen, not preset.
    const relationships = first ? [["head", L.relationships.head]]
      : choices(Object.entries(L.relationships).filter(([code]) => code !== "head"), t);
    members.append(h("fieldset", { class: "stack" }, h("legend", { text: `${t.member} ${index + 1}` }),
      h("label", {}, h("span", { text: L.fields.full_name }), h("input", { name: "full_name", required: true })),
      select("relationship", t.relationship, relationships),
      select("sex", L.fields.sex, [["male", L.values.male], ["female", L.values.female]]),
      h("label", {}, h("span", { text: t.birthHint }), h("input", { name: "birth", required: false, placeholder: "05/03/1985" })),
      h("label", {}, h("span", { text: L.fields.citizen_id }), h("input", { name: "citizen_id", inputmode: "numeric" }))));
  };
  addMember(true);
  const form = h("form", { class: "stack", "aria-label": t.registerHousehold },
    h("label", {}, h("span", { text: t.code }), h("input", { name: "code", required: true, pattern: "[0-9A-Za-z./\\-]{1,40}" })),
    members,
    h("button", { type: "button", class: "small", text: t.addMember, onclick: () => addMember(false) }),
    h("button", { type: "submit", text: t.registerHousehold }), h("p", { role: "alert", class: "error" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = new FormData(form).get("code");
    try {
      const people = [...members.children].map((fieldset) => {
        const value = (name) => fieldset.querySelector(`[name=${name}]`).value.trim();
        const member = { full_name: value("full_name"), relationship: value("relationship"), sex: value("sex"),
          ...parseBirth(value("birth"), t) };
        if (value("citizen_id")) member.citizen_id = value("citizen_id");
        return member;
      });
      await call(registry("/households"), { method: "POST", body: {
        unit_id: unit.unit_id, code, registered_on: today(), members: people } });
      await until(() => call(registry(`/households?unit_id=${unit.unit_id}&limit=500`)), (list) => list.some((hh) => hh.code === code));
      await unitHouseholds(section, unit, t, L);
    } catch (error) { form.querySelector(".error").textContent = error.message; }
  });
  return h("details", {}, h("summary", { text: t.registerHousehold }), form);
}

// The unit's households as a spreadsheet in the import's columns: only what the role and the
// stated purpose show in full; the export is logged like any read.
function exportForm(unit, t, L) {
  const form = h("form", { class: "stack", "aria-label": t.export },
    select("purpose", t.purpose, [["", t.choosePurpose], ...Object.keys(L.purposes)
      .filter((p) => !p.includes(" ")).map((p) => [p, L.purposes[p]])]),
    select("format", t.format, [["xlsx", "Excel (XLSX)"], ["csv", "CSV (UTF-8)"]]),
    h("button", { type: "submit", text: t.export }), h("p", { class: "muted", text: t.logged }),
    h("p", { role: "alert", class: "error" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const query = new URLSearchParams({ unit_id: unit.unit_id, purpose: data.get("purpose"), format: data.get("format") });
    try {
      const incomplete = await download(registry(`/exports/households?${query}`), `ho-gia-dinh-${unit.name}.${data.get("format")}`);
      form.querySelector(".error").textContent = incomplete ? t.exportIncomplete(incomplete) : "";
    } catch (error) { form.querySelector(".error").textContent = error.message; }
  });
  return h("details", {}, h("summary", { text: t.export }), form);
}
