// Emergencies (communication): on the household's notices page, each open typhoon or flood asks
// "safe or need help?" — answered with one tap, kept by the service worker while offline; the
// officials declare an emergency for their unit and watch the board: per unit, households safe,
// needing help and not heard from (a stacked bar each), whom to visit first (the register's
// vulnerable people), read again every two seconds while the page is open.
import { call, registry, session } from "../api.js";
import { dateTime, h, show, status } from "../dom.js";

const api = (path) => `/communication/api/v1${path}`;
const MANAGERS = ["group_leader", "area_police", "ward_official", "city_official"];
// The board is read again this often while open: a check-in shows within two seconds.
const REFRESH_MS = 1500;

const managing = () => (session.me?.roles || []).filter((g) => MANAGERS.includes(g.role));
export const managesEmergencies = () => managing().length > 0;

// --- the household's answer ---

// The open emergencies of the household, each with its two answers; an element kept up to date by
// the notices page (``refresh`` again when the feed changes).
export function checkInPanel(household, t) {
  const panel = h("section", { class: "emergencies", "aria-label": t.emTitle });
  const refresh = async () => {
    const open = await call(api(`/households/${household}/emergencies`)).catch(() => null);
    if (open === null) return; // offline: keep what is shown
    panel.replaceChildren(...open.map((e) => checkInCard(e, household, t)));
  };
  return { panel, refresh };
}

function checkInCard(e, household, t) {
  const said = h("p", { class: e.status === "needs_help" ? "error" : "ok", "aria-live": "polite",
    text: e.status ? t.emAnswered(t.emStatus[e.status], dateTime(e.answered_at)) : "" });
  const note = h("input", { name: "note", maxlength: "500", placeholder: t.emNotePlaceholder, value: e.note || "" });
  const answer = (value) => async (event) => {
    const buttons = event.target.closest(".actions").querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const sent = await call(api(`/emergencies/${e.emergency_id}/check-ins`), { method: "POST",
        body: { household_id: household, status: value, note: value === "needs_help" ? note.value || null : null } });
      said.className = value === "needs_help" ? "error" : "ok";
      said.textContent = sent && sent.queued ? t.emQueued : t.emAnswered(t.emStatus[value], dateTime(new Date().toISOString()));
    } catch (error) {
      said.className = "error";
      said.textContent = error.message;
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  };
  return h("article", { class: "emergency-card" },
    h("h3", {}, h("span", { class: "badge cat-emergency", text: t.emHazards[e.hazard] }), " ", e.title),
    h("p", { class: "notice-body", text: e.body }),
    h("p", { class: "strong", text: t.emAsk }),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "safe", text: t.emSafe, onclick: answer("safe") }),
      h("button", { type: "button", class: "help", text: t.emHelp, onclick: answer("needs_help") })),
    h("label", {}, h("span", { text: t.emNote }), note),
    said);
}

// --- the officials' pages ---

async function unitNames() {
  const units = await call(api("/directory/units")).catch(() => []);
  return Object.fromEntries(units.map((u) => [u.unit_id, u]));
}

export async function emergenciesView(view, { t }) {
  show(view, t.emTitle, status(t.loading));
  const units = await unitNames();
  const sections = [declareForm(t, managing(), units)];
  for (const grant of managing()) {
    const open = await call(api(`/emergencies?unit_id=${grant.unit_id}`)).catch(() => []);
    sections.push(h("section", { "aria-label": t.emOpenAt(units[grant.unit_id]?.name || "") },
      h("h3", { text: t.emOpenAt(units[grant.unit_id]?.name || "") }),
      h("ul", { class: "cases" }, open.length ? open.map((e) => h("li", { class: "case" },
        h("a", { href: `#/emergencies/${e.emergency_id}?unit=${grant.unit_id}`, text: e.title }), " ",
        h("span", { class: "badge cat-emergency", text: t.emHazards[e.hazard] }),
        h("p", { class: "muted", text: `${dateTime(e.opened_at)} · ${units[e.unit_id]?.name || ""}` }))) : [h("li", { text: t.emNoneOpen })])));
  }
  show(view, t.emTitle, ...sections);
}

function declareForm(t, grants, units) {
  const unit = h("select", { name: "unit_id", required: true },
    grants.map((g) => h("option", { value: g.unit_id, text: units[g.unit_id]?.name || g.unit_id })));
  const hazard = h("select", { name: "hazard" }, Object.entries(t.emHazards).map(([v, text]) => h("option", { value: v, text })));
  const title = h("input", { name: "title", required: true, maxlength: "200", value: t.emDefaultTitle });
  const body = h("textarea", { name: "body", required: true, rows: "4", maxlength: "10000", text: t.emDefaultBody });
  const reach = h("p", { class: "preview", "aria-live": "polite" });
  const preview = async () => {
    const counted = await call(api(`/announcements/preview?unit_id=${unit.value}`)).catch(() => null);
    reach.textContent = counted ? t.emReach(counted.households) : "";
  };
  unit.addEventListener("change", preview);
  preview();
  const error = h("p", { role: "alert", class: "error" });
  const form = h("form", { class: "stack", "aria-label": t.emDeclare },
    h("label", {}, h("span", { text: t.anUnit }), unit), reach,
    h("label", {}, h("span", { text: t.emHazard }), hazard),
    h("label", {}, h("span", { text: t.anHeading }), title),
    h("label", {}, h("span", { text: t.anBody }), body),
    h("button", { type: "submit", class: "help", text: t.emDeclare }), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const made = await call(api("/emergencies"), { method: "POST",
        body: { unit_id: unit.value, hazard: hazard.value, title: title.value, body: body.value } });
      location.hash = `#/emergencies/${made.emergency_id}?unit=${unit.value}`;
    } catch (problem) {
      error.textContent = problem.message;
    }
  });
  return h("details", {}, h("summary", { text: t.emDeclare }), form);
}

// An emergency just declared reaches the read model a moment later: "not found" is asked again.
async function declared(id) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call(api(`/emergencies/${id}`));
    } catch (error) {
      if (error.status !== 404 || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

// Safe, needing help and not heard from as one bar (green, red, grey), with the numbers.
function stacked(u, t) {
  const part = (n, cls) => h("span", { class: cls, style: `width: ${u.reached ? (100 * n) / u.reached : 0}%` });
  return h("div", { class: "stack-bar", role: "img", "aria-label": t.emBarLabel(u) },
    part(u.safe, "safe"), part(u.needs_help, "help"), part(u.not_heard, "silent"));
}

export async function boardView(view, { t }, id) {
  show(view, t.emTitle, status(t.loading));
  const emergency = await declared(id);
  const asked = new URLSearchParams(location.hash.split("?")[1] || "").get("unit");
  const grants = managing();
  const unit = grants.some((g) => g.unit_id === asked) ? asked : grants[0]?.unit_id || emergency.unit_id;
  const counts = h("div", { class: "table-scroll" });
  const help = h("ul", { class: "cases", "aria-label": t.emNeedingHelp });
  const silent = h("ul", { class: "cases", "aria-label": t.emNotHeard });
  const totals = h("p", { class: "preview", "aria-live": "polite" });
  const fresh = h("p", { class: "muted" });
  const visit = (household, value) => async (event) => {
    event.target.disabled = true;
    await call(api(`/emergencies/${id}/check-ins`), { method: "POST", body: { household_id: household, status: value } })
      .then(() => refresh())
      .catch((e) => { event.target.disabled = false; alert(e.message); });
  };
  const refresh = async () => {
    const board = await call(api(`/emergencies/${id}/board?unit_id=${unit}`)).catch(() => null);
    if (!board) return;
    const sum = (k) => board.units.reduce((n, u) => n + u[k], 0);
    totals.textContent = t.emTotals(sum("reached"), sum("safe"), sum("needs_help"), sum("not_heard"));
    counts.replaceChildren(h("table", { class: "collection delivery" },
      h("thead", {}, h("tr", {}, [t.anUnit, t.emBar].map((c) => h("th", { text: c })))),
      h("tbody", {}, board.units.map((u) => h("tr", {},
        h("th", { scope: "row", text: u.unit_name }),
        h("td", {}, stacked(u, t), h("span", { class: "muted small-print", text: t.emCounts(u.safe, u.needs_help, u.not_heard) })))))));
    help.replaceChildren(...(board.needing_help.length ? board.needing_help.map((x) => h("li", { class: "case urgent-case" },
      h("strong", { text: x.household_code }), " ", h("span", { class: "muted", text: dateTime(x.at) }),
      x.note ? h("p", { text: x.note }) : null,
      h("button", { type: "button", class: "small safe", text: t.emNowSafe, onclick: visit(x.household_id, "safe") })))
      : [h("li", { class: "ok", text: t.emNoneNeedHelp })]));
    silent.replaceChildren(...(board.not_heard.length ? board.not_heard.map((x) => h("li", { class: "case" },
      h("strong", { text: x.household_code }), " ",
      h("button", { type: "button", class: "small safe", text: t.emVisitedSafe, onclick: visit(x.household_id, "safe") }), " ",
      h("button", { type: "button", class: "small help", text: t.emVisitedHelp, onclick: visit(x.household_id, "needs_help") })))
      : [h("li", { class: "ok", text: t.emAllHeard })]));
    fresh.textContent = t.emUpdated(dateTime(new Date().toISOString()).slice(11) + new Date().toISOString().slice(16, 19));
  };
  const people = h("ul", { class: "cases", "aria-label": t.emVulnerable });
  const vulnerable = await call(registry(`/units/${unit}/vulnerable-people`)).catch(() => null);
  people.replaceChildren(...(vulnerable === null ? [h("li", { class: "muted", text: t.emVulnerableNone })]
    : vulnerable.length ? vulnerable.map((p) => h("li", { class: "case" },
      h("strong", { text: `${p.household_code} · ${p.full_name || ""}` }), " ",
      ...p.kinds.map((k) => h("span", { class: "badge", text: t.emKinds[k] })),
      h("p", { class: "muted", text: [p.birth_year ? t.emBorn(p.birth_year) : "", p.phone || "", p.health_status || ""].filter(Boolean).join(" · ") })))
      : [h("li", { text: t.emVulnerableNone })]));
  const close = h("button", { type: "button", class: "small", text: t.emClose, onclick: async () => {
    if (!confirm(t.emCloseConfirm)) return;
    await call(api(`/emergencies/${id}/closure`), { method: "POST" }).then(() => { location.hash = "#/emergencies"; })
      .catch((e) => alert(e.message));
  } });
  await refresh();
  show(view, emergency.title, h("span", { class: "badge cat-emergency", text: t.emHazards[emergency.hazard] }),
    h("p", { class: "notice-body", text: emergency.body }),
    emergency.closed_at ? h("p", { class: "note", text: t.emClosed(dateTime(emergency.closed_at)) }) : null,
    totals, fresh,
    h("section", { "aria-label": t.emByUnit }, h("h3", { text: t.emByUnit }), counts),
    h("section", { "aria-label": t.emNeedingHelp }, h("h3", { text: t.emNeedingHelp }), help),
    h("section", { "aria-label": t.emNotHeard }, h("h3", { text: t.emNotHeard }), silent),
    h("section", { "aria-label": t.emVulnerable }, h("h3", { text: t.emVulnerable }), h("p", { class: "muted", text: t.emVulnerableWhy }), people),
    emergency.closed_at ? null : close,
    h("p", {}, h("a", { href: "#/emergencies", text: t.emBack })));
  const timer = setInterval(() => { if (!view.isConnected || !location.hash.startsWith(`#/emergencies/${id}`)) clearInterval(timer); else refresh(); }, REFRESH_MS);
}
