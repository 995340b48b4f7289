// An official's work queue: the cases at a unit they serve (with the units below, to oversee
// them), the soonest deadline first, each on time, due today or late.
import { call } from "../api.js";
import { actionForm, dateTime, h, select, show, status } from "../dom.js";
import { feedback, grants, READERS } from "../feedback_api.js";
import { choices } from "../forms.js";
import { deadlineBadge, statusBadge } from "./feedback_cases.js";
import { categoryName } from "./feedback_submit.js";

// Officials who file a walk-in or a phone call for a household of a unit they serve.
const FILERS = ["group_leader", "ward_official", "city_official"];

export async function queueView(view, { t }) {
  show(view, t.fbQueue, status(t.loading));
  const units = await call("/feedback/api/v1/directory/units");
  const names = new Map(units.map((u) => [u.unit_id, u.name]));
  const mine = grants(READERS).map((g) => [g.unit_id, names.get(g.unit_id) || g.unit_id]);
  const list = h("div", { id: "queue", "aria-live": "polite" });
  const filters = h("form", { class: "filters", "aria-label": t.fbFilters },
    select("unit_id", t.adminUnit, mine),
    select("deadline", t.fbDeadlineFilter, [["", t.fbAll], ...Object.entries(t.fbDeadline)], { required: false }),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "include_below" }), h("span", { text: t.fbIncludeBelow })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "mine" }), h("span", { text: t.fbAssignedToMe })));
  const load = async () => {
    const data = new FormData(filters);
    const query = new URLSearchParams({ unit_id: data.get("unit_id") });
    if (data.get("deadline")) query.set("deadline", data.get("deadline"));
    if (data.get("include_below")) query.set("include_below", "true");
    if (data.get("mine")) query.set("mine", "true");
    list.replaceChildren(status(t.loading));
    const cases = await call(feedback(`/queue?${query}`));
    list.replaceChildren(cases.length ? h("ul", { class: "cases" }, cases.map((c) => h("li", { class: "case" },
      h("a", { href: `#/feedback/case/${c.case_id}`, text: c.text.slice(0, 80) }),
      h("div", {}, statusBadge(c.status, t), " ", deadlineBadge(c.deadline_status, t),
        h("span", { class: "muted", text: ` ${names.get(c.unit_id) || ""} · ${c.due ? t.fbDue(dateTime(c.due)) : ""}` }))))) : status(t.fbNone));
  };
  filters.addEventListener("change", () => load().catch((e) => list.replaceChildren(status(e.message, "error"))));
  const filing = grants(FILERS).length ? await walkIn(t, filters.elements.unit_id.value) : null;
  show(view, t.fbQueue, filing, filters, list);
  await load();
}

// A resident came to the office or called: the official writes the case down for their household.
async function walkIn(t, unitId) {
  const [categories, households] = await Promise.all([
    call(feedback("/public/categories")),
    call(`/feedback/api/v1/directory/units/${unitId}/households?limit=1000`).catch(() => []),
  ]);
  const offered = categories.filter((c) => !c.formal_procedure).map((c) => [c.code, categoryName(c)]);
  return actionForm(t.fbWalkIn, [
    select("channel", t.fbChannel, Object.entries(t.fbChannels)),
    // Someone of the unit whose household is not known (or a ward's office): the unit alone.
    select("household_id", t.household, [["", t.fbNoHousehold], ...households.map((hh) => [hh.household_id, hh.household_code])],
      { required: false }),
    select("category", t.fbCategory, choices(offered, t)),
    h("label", {}, h("span", { text: t.fbText }), h("textarea", { name: "text", required: true, rows: "4", maxlength: "4000" })),
    h("label", {}, h("span", { text: t.fbAddress }), h("input", { name: "address", maxlength: "300" })),
  ], async (data) => {
    const created = await call(feedback("/cases"), { method: "POST", body: {
      channel: data.get("channel"), category: data.get("category"), text: data.get("text"),
      address: data.get("address") || "", not_a_complaint: true,
      ...(data.get("household_id") ? { household_id: data.get("household_id") } : { unit_id: unitId }),
    } });
    location.hash = `#/feedback/case/${created.case_id}`;
  });
}
