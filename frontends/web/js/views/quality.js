// A unit's data-quality worklist (đúng, đủ, sạch, sống), and the open ghost-resident flags with
// their review for the ward and the area police.
import { call, can, registry, session, until } from "../api.js";
import { h, input, select, show, status } from "../dom.js";

export async function qualityView(view, context) {
  const { t } = context;
  show(view, t.navQuality, status(t.loading));
  const units = await call(registry("/units?serving=households:read"));
  const ours = units.filter((u) => ["residential_group", "village", "ward", "commune"].includes(u.kind));
  const body = h("div", { "aria-live": "polite" });
  const choice = select("unit_id", t.adminUnit, ours.map((u) => [u.unit_id, u.name]));
  const load = (unitId) => render(body, context, unitId);
  choice.querySelector("select").addEventListener("change", (event) => load(event.target.value));
  const start = session.me.roles.find((r) => ours.some((u) => u.unit_id === r.unit_id))?.unit_id ?? ours[0]?.unit_id;
  choice.querySelector("select").value = start;
  show(view, t.navQuality, choice, body);
  await load(start);
}

async function render(body, context, unitId) {
  const { t, L } = context;
  body.replaceChildren(status(t.loading));
  let result, flags;
  try {
    [result, flags] = await Promise.all([
      call(registry(`/quality?unit_id=${unitId}`)),
      call(registry(`/presence-flags?unit_id=${unitId}`)),
    ]);
  } catch (error) {
    body.replaceChildren(h("p", { role: "alert", text: error.status === 403 ? t.forbidden : error.message }));
    return;
  }
  const scores = h("dl", { class: "fields", id: "scores", "aria-label": t.scores },
    Object.entries(result.scores).flatMap(([dimension, value]) => [
      h("dt", { text: L.dimensions[dimension] }), h("dd", { text: `${Math.round(value * 100)} %` })]));
  const findings = h("ul", { id: "findings", class: "members" }, result.findings.map((f) => h("li", {},
    f.person_id ? h("a", { href: `#/person/${f.person_id}`, text: f.full_name ?? t.erased })
      : h("a", { href: `#/household/${f.household_id}`, text: `${t.household} ${f.household_code}` }),
    h("span", { class: "muted", text: ` — ${t.household} ${f.household_code}: ${L.findings[f.code] || f.code}` }))));
  if (!result.findings.length) findings.append(h("li", { text: t.noFindings }));
  body.replaceChildren(
    h("p", { text: t.counted(result.people, result.households) }), scores,
    h("h3", { text: t.findingsTitle }), findings,
    h("h3", { text: t.flagsTitle }), flagList(body, context, unitId, flags));
}

function flagList(body, context, unitId, flags) {
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
          await render(body, context, unitId);
        } catch (error) { form.querySelector(".error").textContent = error.message; }
      });
      item.append(form);
    }
    return item;
  }));
}
