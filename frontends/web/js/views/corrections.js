// Corrections with maker-checker: what residents and group leaders proposed in a unit, and the
// ward official's decision with its reason; decided ones stay visible with both steps.
import { call, can, registry, session, until } from "../api.js";
import { dateTime, h, input, select, show, status } from "../dom.js";

export async function correctionsView(view, context) {
  const { t } = context;
  show(view, t.navCorrections, status(t.loading));
  const units = await call(registry("/units?serving=households:read"));
  const ours = units.filter((u) => ["residential_group", "village", "ward", "commune", "special_zone"].includes(u.kind));
  const body = h("div", { "aria-live": "polite" });
  const choice = select("unit_id", t.adminUnit, ours.map((u) => [u.unit_id, u.name]));
  const decided = h("label", {}, h("input", { type: "checkbox", name: "decided" }), h("span", { text: t.showDecided }));
  const load = () => render(body, context, choice.querySelector("select").value, decided.querySelector("input").checked);
  choice.querySelector("select").addEventListener("change", load);
  decided.querySelector("input").addEventListener("change", load);
  const start = session.me.roles.find((r) => ours.some((u) => u.unit_id === r.unit_id))?.unit_id ?? ours[0]?.unit_id;
  choice.querySelector("select").value = start;
  show(view, t.navCorrections, choice, decided, body);
  await load();
}

async function render(body, context, unitId, withDecided) {
  const { t, L } = context;
  body.replaceChildren(status(t.loading));
  const url = registry(`/corrections?unit_id=${unitId}&pending_only=${!withDecided}`);
  let list;
  try {
    list = await call(url);
  } catch (error) {
    body.replaceChildren(h("p", { role: "alert", text: error.status === 403 ? t.forbidden : error.message }));
    return;
  }
  if (!list.length) return body.replaceChildren(h("p", { text: t.noCorrections }));
  body.replaceChildren(h("ul", { id: "corrections", class: "members" }, list.map((c) => {
    const item = h("li", {},
      h("a", { href: `#/person/${c.person_id}`, text: c.full_name ?? t.erased }),
      h("ul", {}, Object.entries(c.changes ?? {}).map(([field, value]) =>
        h("li", { text: `${L.fields[field] || field}: ${L.values[value] || value}` }))),
      h("p", { class: "muted", text: t.proposed(L.roles[c.proposer_role] || c.proposer_role, dateTime(c.proposed_at), c.reason ?? "") }));
    if (c.decision) {
      item.append(h("p", { class: "decision", text: t.decided(L.correctionDecisions[c.decision] || c.decision, dateTime(c.decided_at), c.decision_reason ?? "") }));
    } else if (can("corrections:decide")) {
      const form = h("form", { class: "stack", "aria-label": t.decide },
        select("approve", t.decision, [["true", t.approve], ["false", t.reject]]), input("reason", t.reason),
        h("button", { type: "submit", text: t.decide }), h("p", { role: "alert", class: "error" }));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        try {
          await call(registry(`/corrections/${c.correction_id}/decision`), { method: "POST",
            body: { approve: data.get("approve") === "true", reason: data.get("reason") } });
          await until(() => call(url), (rows) => !rows.some((r) => r.correction_id === c.correction_id && !r.decision));
          await render(body, context, unitId, withDecided);
        } catch (error) { form.querySelector(".error").textContent = error.message; }
      });
      item.append(form);
    }
    return item;
  })));
}
