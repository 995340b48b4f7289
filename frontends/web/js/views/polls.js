// Household decisions (Law 10/2022): a household votes once on each poll of its units and sees the
// result when it closes; officials announce meetings (five days ahead at least), open polls, watch
// the turnout and close one early; results as bars, one per option, against the households
// eligible (the threshold marked).
import { call, session, until } from "../api.js";
import { dateTime, h, show, status } from "../dom.js";

const api = (path) => `/communication/api/v1${path}`;
const MANAGERS = ["group_leader", "ward_official"];
const READERS = ["group_leader", "area_police", "ward_official", "city_official"];
const grantsOf = (roles) => (session.me?.roles || []).filter((g) => roles.includes(g.role));
export const seesPolls = () => Boolean(session.me?.household_id) || grantsOf(READERS).length > 0;

function bar(part, whole, label) {
  const share = whole ? Math.round((100 * part) / whole) : 0;
  return h("div", { class: "bar", role: "img", "aria-label": label },
    h("span", { class: "fill", style: `width: ${share}%` }), h("span", { class: "label", text: label }));
}

// The result (once closed) or the turnout (while open), as bars, and what it takes to pass.
function outcome(p, t) {
  if (p.counts === null || p.counts === undefined) {
    return h("div", {}, h("p", { class: "muted", text: t.poOpenUntil(dateTime(p.closes_at)) }),
      bar(p.voted, p.eligible, t.poTurnout(p.voted, p.eligible)),
      h("p", { class: "muted", text: t.poThreshold(p.threshold_percent, p.voted, p.eligible) }));
  }
  return h("div", { class: "poll-result" },
    h("p", { class: p.passed ? "ok" : "error", text: p.passed ? t.poPassed(p.options[p.winner]) : t.poNotPassed }),
    ...p.options.map((o, i) => h("div", {}, h("span", { text: o }), bar(p.counts[i], p.eligible, t.poVotes(p.counts[i], p.eligible)))),
    h("p", { class: "muted", text: t.poThreshold(p.threshold_percent, p.voted, p.eligible) }));
}

export async function pollsView(view, ctx) {
  if (session.me.household_id) return householdPolls(view, ctx);
  return officialPolls(view, ctx);
}

async function householdPolls(view, { t }) {
  const household = session.me.household_id;
  show(view, t.poTitle, status(t.loading));
  const polls = await call(api(`/households/${household}/polls`));
  const items = polls.map((p) => {
    const said = h("p", { role: "status" });
    const choices = p.my_option === null && p.counts === null
      ? h("div", { class: "actions" }, ...p.options.map((o, i) => h("button", { type: "button", text: o, onclick: async (event) => {
        event.target.closest(".actions").querySelectorAll("button").forEach((b) => { b.disabled = true; });
        try {
          await call(api(`/polls/${p.poll_id}/votes`), { method: "POST", body: { household_id: household, option: i } });
          said.className = "ok";
          said.textContent = t.poVoted(o);
        } catch (error) {
          said.className = "error";
          said.textContent = error.message;
        }
      } })))
      : p.my_option !== null ? h("p", { class: "ok", text: t.poVoted(p.options[p.my_option]) }) : null;
    return h("li", { class: "case" }, h("strong", { text: p.question }), choices, said, outcome(p, t));
  });
  show(view, t.poTitle, h("p", { class: "muted", text: t.poOneVote }),
    h("ul", { class: "cases" }, items.length ? items : [h("li", { text: t.poNone })]));
}

async function unitNames() {
  const units = await call(api("/directory/units")).catch(() => []);
  return Object.fromEntries(units.map((u) => [u.unit_id, u]));
}

async function officialPolls(view, { t }) {
  show(view, t.poTitle, status(t.loading));
  const units = await unitNames();
  const sections = [];
  const managing = grantsOf(MANAGERS);
  if (managing.length) sections.push(meetingForm(t, managing, units), pollForm(view, t, managing, units));
  for (const grant of grantsOf(READERS)) {
    const polls = await call(api(`/polls?unit_id=${grant.unit_id}`)).catch(() => []);
    sections.push(h("section", { "aria-label": t.poOf(units[grant.unit_id]?.name || "") },
      h("h3", { text: t.poOf(units[grant.unit_id]?.name || "") }),
      h("ul", { class: "cases" }, polls.length ? polls.map((p) => h("li", { class: "case" },
        h("strong", { text: p.question }), outcome(p, t),
        p.closed_at === null && managing.length ? h("button", { type: "button", class: "small", text: t.poClose, onclick: async (event) => {
          event.target.disabled = true;
          try {
            await call(api(`/polls/${p.poll_id}/closure`), { method: "POST" });
            // The result reaches the lists a moment after the closing is recorded.
            await until(() => call(api(`/polls/${p.poll_id}`)), (found) => found.closed_at !== null);
            officialPolls(view, { t });
          } catch (e) {
            event.target.disabled = false;
            alert(e.message);
          }
        } }) : null)) : [h("li", { text: t.poNone })])));
  }
  show(view, t.poTitle, ...sections);
}

function unitSelect(grants, units) {
  return h("select", { name: "unit_id", required: true },
    grants.map((g) => h("option", { value: g.unit_id, text: units[g.unit_id]?.name || g.unit_id })));
}

function meetingForm(t, grants, units) {
  const unit = unitSelect(grants, units);
  const title = h("input", { name: "title", required: true, maxlength: "200" });
  const body = h("textarea", { name: "body", required: true, rows: "3" });
  const meets = h("input", { name: "meets_at", type: "datetime-local", required: true });
  const place = h("input", { name: "place", required: true, maxlength: "300" });
  const said = h("p", { role: "alert" });
  const form = h("form", { class: "stack", "aria-label": t.poMeeting },
    h("label", {}, h("span", { text: t.anUnit }), unit), h("label", {}, h("span", { text: t.anHeading }), title),
    h("label", {}, h("span", { text: t.anBody }), body), h("label", {}, h("span", { text: t.poMeetsAt }), meets),
    h("label", {}, h("span", { text: t.poPlace }), place), h("p", { class: "muted", text: t.poLeadTime }),
    h("button", { type: "submit", text: t.poAnnounce }), said);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const made = await call(api("/meetings"), { method: "POST", body: { unit_id: unit.value, title: title.value,
        body: body.value, meets_at: new Date(meets.value).toISOString(), place: place.value } });
      location.hash = `#/announcements/${made.announcement_id}`;
    } catch (error) {
      said.className = "error";
      said.textContent = error.message;
    }
  });
  return h("details", {}, h("summary", { text: t.poMeeting }), form);
}

function pollForm(view, t, grants, units) {
  const unit = unitSelect(grants, units);
  const question = h("input", { name: "question", required: true, maxlength: "500" });
  const options = h("textarea", { name: "options", required: true, rows: "3", text: t.poDefaultOptions });
  const closes = h("input", { name: "closes_at", type: "datetime-local", required: true });
  const threshold = h("input", { name: "threshold_percent", type: "number", min: "1", max: "99", value: "50", required: true, inputmode: "numeric" });
  const said = h("p", { role: "alert" });
  const form = h("form", { class: "stack", "aria-label": t.poOpen },
    h("label", {}, h("span", { text: t.anUnit }), unit), h("label", {}, h("span", { text: t.poQuestion }), question),
    h("label", {}, h("span", { text: t.poOptions }), options), h("label", {}, h("span", { text: t.poClosesAt }), closes),
    h("label", {}, h("span", { text: t.poThresholdLabel }), threshold),
    h("p", { class: "muted", text: t.poRule }), h("button", { type: "submit", text: t.poOpen }), said);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const made = await call(api("/polls"), { method: "POST", body: { unit_id: unit.value, question: question.value,
        options: options.value.split("\n").map((o) => o.trim()).filter(Boolean), closes_at: new Date(closes.value).toISOString(),
        threshold_percent: Number(threshold.value) } });
      await until(() => call(api(`/polls/${made.poll_id}`)).catch(() => null), Boolean);
      officialPolls(view, { t });
    } catch (error) {
      said.className = "error";
      said.textContent = error.message;
    }
  });
  return h("details", { open: true }, h("summary", { text: t.poOpen }), form);
}
