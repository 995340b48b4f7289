// A unit's data-quality worklist (đúng, đủ, sạch, sống) a page at a time, filtered by rule and
// severity, and the open ghost-resident flags with their review for the ward and the area police.
import { call, can, registry, session, until } from "../api.js";
import { h, input, select, show, status } from "../dom.js";

const PAGE = 20;
const SEVERITIES = ["error", "warning", "notice"];

export async function qualityView(view, context) {
  const { t, L } = context;
  show(view, t.navQuality, status(t.loading));
  const units = await call(registry("/units?serving=households:read"));
  const ours = units.filter((u) => ["residential_group", "village", "ward", "commune"].includes(u.kind));
  const body = h("div", { "aria-live": "polite" });
  const choice = select("unit_id", t.adminUnit, ours.map((u) => [u.unit_id, u.name]));
  const rule = select("rule", t.rule, [["", t.allRules], ...Object.entries(L.findings)], { required: false });
  const severity = select("severity", t.severity, [["", t.allSeverities], ...SEVERITIES.map((s) => [s, L.severities[s]])],
    { required: false });
  const filters = h("form", { id: "quality-filters", class: "filters", "aria-label": t.filters }, choice, rule, severity);
  const state = { offset: 0, importId: null };
  const load = () => render(body, context, filters, state);
  filters.addEventListener("change", () => { Object.assign(state, { offset: 0, importId: null }); load(); });
  const start = session.me.roles.find((r) => ours.some((u) => u.unit_id === r.unit_id))?.unit_id ?? ours[0]?.unit_id;
  choice.querySelector("select").value = start;
  show(view, t.navQuality, filters, body);
  await load();
}

function query(filters, state) {
  const data = new FormData(filters);
  const params = new URLSearchParams({ unit_id: data.get("unit_id"), limit: PAGE, offset: state.offset });
  if (data.get("rule")) params.set("rule", data.get("rule"));
  if (data.get("severity")) params.set("severity", data.get("severity"));
  if (state.importId) params.set("import_id", state.importId);
  return params;
}

async function render(body, context, filters, state) {
  const { t } = context;
  const unitId = new FormData(filters).get("unit_id");
  body.replaceChildren(status(t.loading));
  let result, flags;
  try {
    [result, flags] = await Promise.all([
      call(registry(`/quality?${query(filters, state)}`)),
      call(registry(`/presence-flags?unit_id=${unitId}`)),
    ]);
  } catch (error) {
    body.replaceChildren(h("p", { role: "alert", text: error.status === 403 ? t.forbidden : error.message }));
    return;
  }
  const reload = () => render(body, context, filters, state);
  body.replaceChildren(...[
    h("p", { text: t.counted(result.people, result.households) }), scoreTable(result, context),
    h("h3", { text: t.findingsTitle }),
    state.importId ? h("p", {}, h("span", { text: `${t.importExpanded} ` }),
      h("button", { type: "button", class: "small", text: t.backToSummary,
        onclick: () => { Object.assign(state, { importId: null, offset: 0 }); reload(); } })) : null,
    findingList(result, context, state, reload), pager(result, t, state, reload),
    h("h3", { text: t.flagsTitle }), flagList(body, context, unitId, flags, reload)].filter(Boolean));
}

// Per dimension (a row each, narrow enough for a phone), the share of people and of households
// with nothing to put right, for the unit and each unit below it that holds households.
function scoreTable(result, { t, L }) {
  const percent = (value) => `${Math.round(value * 100)}%`;
  const columns = [[t.wholeUnit, result.scores], ...(result.units.length > 1 ? result.units.map((u) => [u.name, u.scores]) : [])];
  const rows = Object.keys(result.scores.persons).map((d) => h("tr", {}, h("th", { scope: "row", text: L.dimensions[d] }),
    columns.map(([, scores]) => h("td", { text: `${percent(scores.persons[d])} · ${percent(scores.households[d])}` }))));
  return h("div", { class: "scroll" },
    h("table", { id: "scores", "aria-label": t.scores },
      h("caption", { class: "muted", text: t.scoresHelp }),
      h("thead", {}, h("tr", {}, h("th", { text: "" }), columns.map(([name]) => h("th", { scope: "col", text: name })))),
      h("tbody", {}, rows)));
}

function findingList(result, context, state, reload) {
  const { t, L } = context;
  const list = h("ul", { id: "findings", class: "members" }, result.findings.map((f) => {
    const what = L.findings[f.code] || f.code;
    const item = h("li", { class: `severity-${f.severity}` }, h("span", { class: "tag", text: L.severities[f.severity] }), " ");
    if (f.summary) {
      item.append(h("strong", { text: t.summaryLine(what, f.summary.count, f.summary.filename || "") }), " ",
        h("button", { type: "button", class: "small", text: t.expand,
          onclick: () => { Object.assign(state, { importId: f.summary.import_id, offset: 0 }); reload(); } }));
      return item;
    }
    item.append(f.person_id ? h("a", { href: `#/person/${f.person_id}`, text: f.full_name ?? t.erased })
      : h("a", { href: `#/household/${f.household_id}`, text: `${t.household} ${f.household_code}` }),
    h("span", { class: "muted", text: f.person_id ? ` — ${t.household} ${f.household_code}: ${what}` : `: ${what}` }));
    if (f.twins.length) {
      item.append(h("p", { class: "muted" }, h("span", { text: `${t.twinIs}: ` }), ...f.twins.flatMap((w, i) => [i ? ", " : "",
        h("a", { href: `#/person/${w.person_id}`, text: w.full_name ?? t.erased }),
        ` (${t.household} ${w.household_code}${w.unit_name ? `, ${w.unit_name}` : ""})`])));
    }
    return item;
  }));
  if (!result.findings.length) list.append(h("li", { text: t.noFindings }));
  return list;
}

function pager(result, t, state, reload) {
  if (result.total <= result.limit && !result.offset) return null;
  const go = (step) => () => { state.offset = Math.max(0, state.offset + step); reload(); };
  return h("nav", { class: "pager", "aria-label": t.pages },
    h("button", { type: "button", class: "small", text: t.previous, disabled: result.offset === 0, onclick: go(-PAGE) }),
    h("p", { id: "findings-page", class: "muted", text: t.shownOf(result.offset + 1, result.offset + result.findings.length, result.total) }),
    h("button", { type: "button", class: "small", text: t.next, disabled: result.offset + result.findings.length >= result.total, onclick: go(PAGE) }));
}

function flagList(body, context, unitId, flags, reload) {
  const { t, L } = context;
  if (!flags.length) return h("p", { text: t.noFlags });
  return h("ul", { id: "flags", class: "members" }, flags.map((flag) => {
    const item = h("li", {}, h("strong", { text: L.flagKinds[flag.kind] }),
      h("span", { text: ` — ${t.household}: ` }), h("a", { href: `#/household/${flag.household_id}`, text: t.open }),
      flag.note ? h("p", { class: "muted", text: `${flag.observed_on.split("-").reverse().join("/")}: ${flag.note}` }) : null);
    if (can("presence:review")) {
      const form = h("form", { class: "stack", "aria-label": t.review },
        select("decision", t.decision, Object.entries(L.decisions)), input("note", t.reason),
        h("button", { type: "submit", text: t.review }), h("p", { role: "alert", class: "error" }));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        try {
          await call(registry(`/presence-flags/${flag.flag_id}/review`), { method: "POST",
            body: { decision: data.get("decision"), note: data.get("note") } });
          await until(() => call(registry(`/presence-flags?unit_id=${unitId}`)), (open) => !open.some((f) => f.flag_id === flag.flag_id));
          await reload();
        } catch (error) { form.querySelector(".error").textContent = error.message; }
      });
      item.append(form);
    }
    return item;
  }));
}
