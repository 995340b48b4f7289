// What needs doing, above an official's first screen: presence flags awaiting review, corrections
// awaiting a decision (named, as the corrections page names them) and the worklist's size and
// scores. The counts come from the worklist without names (limit=0), so they log no reads.
import { call, can, registry, session } from "../api.js";
import { h, status } from "../dom.js";

export function todoPanel({ t, L }) {
  const panel = h("section", { id: "todo", "aria-labelledby": "todo-h" },
    h("h3", { id: "todo-h", text: t.todo }), status(t.loading));
  fill(panel, t, L).catch((error) => panel.replaceChildren(h("h3", { id: "todo-h", text: t.todo }),
    h("p", { role: "alert", text: error.message })));
  return panel;
}

async function fill(panel, t, L) {
  const unitId = await ownUnit();
  if (!unitId) return panel.remove();
  const worklist = (extra = "") => call(registry(`/quality?unit_id=${unitId}&limit=0${extra}`));
  const [all, flags, corrections] = await Promise.all([
    worklist(), worklist("&rule=presence.open_flag"),
    can("corrections:decide") || can("corrections:propose")
      ? call(registry(`/corrections?unit_id=${unitId}&pending_only=true`)) : null,
  ]);
  const items = [h("li", {}, h("a", { href: "#/quality", text: t.todoFlags(flags.total) }))];
  if (corrections) {
    const names = corrections.slice(0, 5).map((c) => c.full_name ?? t.erased).join(", ");
    items.push(h("li", {}, h("a", { href: "#/corrections",
      text: can("corrections:decide") ? t.todoDecide(corrections.length) : t.todoPending(corrections.length) }),
    names ? h("span", { class: "muted", text: ` — ${names}${corrections.length > 5 ? "…" : ""}` }) : null));
  }
  items.push(h("li", {}, h("a", { href: "#/quality", text: t.todoFindings(all.total) })));
  const scores = Object.entries(all.scores.persons)
    .map(([d, v]) => `${L.dimensions[d]} ${Math.round(v * 100)}%`).join(" · ");
  panel.replaceChildren(h("h3", { id: "todo-h", text: t.todo }), h("ul", { class: "todo" }, items),
    h("p", { class: "muted", text: `${t.scores}: ${scores}` }));
}

// The unit of the official's own appointment where they read households (a group, a ward).
async function ownUnit() {
  const served = await call(registry("/units?serving=households:read"));
  const kinds = ["residential_group", "village", "ward", "commune", "special_zone"];
  const ours = served.filter((u) => kinds.includes(u.kind));
  return session.me.roles.find((r) => ours.some((u) => u.unit_id === r.unit_id))?.unit_id ?? ours[0]?.unit_id;
}
