// Units over time: the tree as it stood on any day (before and since the 2025 reform), each unit's
// names, parents and successors, a search by official code, and — for those who manage units —
// renaming, merging and splitting from an effective date.
import { call, can, registry, session, until } from "../api.js";
import { actionForm, h, input, select, show, status, today } from "../dom.js";

const dmy = (iso) => (iso ? iso.split("-").reverse().join("/") : "");

export async function unitsView(view, context, id) {
  const { t } = context;
  show(view, t.navUnits, status(t.loading));
  const day = new URLSearchParams(location.hash.split("?")[1] || "").get("as_of") || today();
  const asOf = input("as_of", t.asOf, { type: "date", value: day });
  asOf.querySelector("input").addEventListener("change", (event) => {
    location.hash = `#/units${id ? `/${id}` : ""}?as_of=${event.target.value}`;
  });
  const parts = [asOf, codeSearch(context)];
  if (id) parts.push(await unitDetail(context, id, day));
  const children = await call(registry(`/units?as_of=${day}${id ? `&parent_id=${id}` : ""}`));
  const shown = id ? children : children.filter((u) => !u.parent_id);
  // Before the register's history begins, the API answers with its first day's units: say so.
  const known = shown.map((u) => u.effective_from).sort()[0];
  if (known && known > day) parts.push(h("p", { id: "known-since", role: "status", text: t.knownSince(dmy(known)) }));
  parts.push(h("h3", { text: id ? t.below : t.topUnits }),
    h("ul", { id: "unit-list", class: "members" }, shown.map((u) => h("li", {},
      h("a", { href: `#/units/${u.unit_id}?as_of=${day}`, text: u.name }),
      h("span", { class: "muted", text: ` — ${context.L.kinds[u.kind] || u.kind}${u.code ? ` ${u.code}` : ""}` })))));
  if (!shown.length) parts.push(h("p", { text: t.noUnits }));
  show(view, t.navUnits, ...parts);
}

function codeSearch({ t, L }) {
  const found = h("ul", { id: "by-code", class: "members", "aria-live": "polite" });
  const form = h("form", { role: "search", class: "stack", "aria-label": t.byCode },
    input("code", t.officialCode, { inputmode: "numeric", pattern: "[0-9A-Za-z\\-]{1,20}" }),
    h("button", { type: "submit", text: t.find }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const rows = await call(registry(`/units/by-code?code=${encodeURIComponent(new FormData(form).get("code"))}`));
      found.replaceChildren(...rows.map((u) => h("li", {},
        h("a", { href: `#/units/${u.unit_id}?as_of=${u.effective_to ? dayBefore(u.effective_to) : today()}`, text: u.name }),
        h("span", { class: "muted", text: ` — ${L.schemes[u.code_scheme] || u.code_scheme}` +
          (u.current_id && u.current_id !== u.unit_id ? ` → ${t.nowPart} ${u.current_name}` : "") }))));
    } catch (error) { found.replaceChildren(h("li", { role: "alert", text: error.message })); }
  });
  return h("details", {}, h("summary", { text: t.byCode }), form, found);
}

function dayBefore(iso) {
  const day = new Date(`${iso}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

async function unitDetail(context, id, day) {
  const { t, L } = context;
  const unit = await call(registry(`/units/${id}`));
  const link = (u) => h("a", { href: `#/units/${u.unit_id}?as_of=${today()}`, text: u.name });
  const section = h("section", { id: "unit", "aria-label": unit.name },
    h("h3", { text: unit.name }),
    h("p", { class: "muted", text: `${L.kinds[unit.kind] || unit.kind}${unit.code ? ` — ${t.officialCode} ${unit.code} (${L.schemes[unit.code_scheme] || unit.code_scheme})` : ""}` }),
    h("p", { text: unit.effective_to ? t.ceased(dmy(unit.effective_from), dmy(unit.effective_to)) : t.inForce(dmy(unit.effective_from)) }),
    h("h4", { text: t.unitHistory }),
    h("ol", { id: "unit-history" }, unit.history.map((v) => h("li", { text: `${dmy(v.valid_from)}: ${v.name}${v.parent_name ? ` — ${v.parent_name}${v.parent_code ? ` (${v.parent_code})` : ""}` : ""}` }))));
  if (unit.successors.length) {
    section.append(h("p", { id: "successors" }, h("span", { text: `${t.becameUnits}: ` }),
      ...unit.successors.flatMap((s, i) => [i ? ", " : "", link(s), ` (${L.changes[s.change] || s.change})`])));
  }
  if (unit.predecessors.length) {
    section.append(h("p", { id: "predecessors" }, h("span", { text: `${t.cameFrom}: ` }),
      ...unit.predecessors.flatMap((p, i) => [i ? ", " : "", link(p)])));
  }
  if (unit.household_count) section.append(h("p", { text: t.householdCount(unit.household_count) }));
  if (!unit.effective_to && can("units:manage")) {
    if (["ward", "commune", "special_zone"].includes(unit.kind)) section.append(newGroupForm(context, unit));
    section.append(...(await manageForms(context, unit, day)));
  }
  return section;
}

async function manageForms(context, unit) {
  const { t, L } = context;
  const url = registry(`/units/${unit.unit_id}`);
  const reload = async (done) => {
    await until(() => call(url), done);
    location.hash = `#/units/${unit.unit_id}?as_of=${today()}&v=${Date.now()}`;
  };
  const effective = () => input("effective_from", t.effectiveFrom, { type: "date", value: today() });
  const siblings = unit.parent_id
    ? (await call(registry(`/units?parent_id=${unit.parent_id}`))).filter((u) => u.unit_id !== unit.unit_id && u.kind === unit.kind)
    : [];
  const forms = [
    actionForm(t.rename, [input("name", t.newName), effective()], async (data) => {
      await call(`${url}/rename`, { method: "POST", body: { name: data.get("name"), effective_from: data.get("effective_from") } });
      await reload((u) => u.name === data.get("name") || u.history.length > unit.history.length);
    }),
  ];
  if (siblings.length) {
    forms.push(actionForm(t.mergeInto, [select("into_id", t.mergeTarget, siblings.map((s) => [s.unit_id, s.name])), effective()],
      async (data) => {
        await call(registry("/units/merge"), { method: "POST", body: { unit_ids: [unit.unit_id],
          into_id: data.get("into_id"), effective_from: data.get("effective_from") } });
        await reload((u) => Boolean(u.effective_to));
      }));
  }
  forms.push(actionForm(t.splitUnit, [input("first", t.partName(1)), input("second", t.partName(2)), effective(),
    h("p", { class: "muted", text: t.splitHelp })], async (data) => {
    const parts = ["first", "second"].map((k) => ({ kind: unit.kind, name: data.get(k) }));
    await call(`${url}/split`, { method: "POST", body: { parts, effective_from: data.get("effective_from") } });
    await reload((u) => Boolean(u.effective_to));
  }));
  return [h("h4", { text: t.reorganise }), h("p", { class: "muted", text: L.kinds[unit.kind] ? t.reorganiseHelp : "" }), ...forms];
}

// Residential groups and villages are in no national list: ward officials create them.
function newGroupForm({ t, L }, unit) {
  return actionForm(t.newGroup, [
    select("kind", t.groupKind, [["residential_group", L.kinds.residential_group], ["village", L.kinds.village]]),
    input("name", t.groupName), input("effective_from", t.effectiveFrom, { type: "date", value: today() }),
  ], async (data) => {
    const name = data.get("name");
    await call(registry("/units"), { method: "POST", body: { kind: data.get("kind"), name, parent_id: unit.unit_id,
      effective_from: data.get("effective_from") } });
    await until(() => call(registry(`/units?parent_id=${unit.unit_id}&as_of=${data.get("effective_from")}`)),
      (list) => list.some((u) => u.name === name));
    location.hash = `#/units/${unit.unit_id}?as_of=${data.get("effective_from")}&v=${Date.now()}`;
  });
}
