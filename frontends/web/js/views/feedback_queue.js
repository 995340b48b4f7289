// An official's work queue: the cases at a unit they serve (with the units below, to oversee
// them), the soonest deadline first, each on time, due today or late.
import { call } from "../api.js";
import { dateTime, h, select, show, status } from "../dom.js";
import { feedback, grants, READERS } from "../feedback_api.js";
import { deadlineBadge, statusBadge } from "./feedback_cases.js";

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
  show(view, t.fbQueue, filters, list);
  await load();
}
