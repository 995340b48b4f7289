// The audit of officials' reads of personal data in a unit, newest first, page by page.
import { call, registry, session } from "../api.js";
import { h, select, show, status } from "../dom.js";
import { purposeName, when } from "../i18n.js";

const PAGE = 50;

export async function auditView(view, { t }) {
  show(view, t.navAudit, status(t.loading));
  const units = await call(registry("/units"));
  const list = h("ol", { id: "audit", class: "audit", "aria-live": "polite" });
  const more = h("button", { type: "button", text: t.more, hidden: true });
  let unitId = session.me.roles.find((r) => r.role === "ward_official" || r.role === "city_official")?.unit_id
    ?? units[0]?.unit_id;
  let oldest = null;
  const load = async (fresh) => {
    if (fresh) { list.replaceChildren(); oldest = null; }
    const query = `/access-log?unit_id=${unitId}&limit=${PAGE}${oldest ? `&before=${oldest}` : ""}`;
    try {
      const reads = await call(registry(query));
      list.append(...reads.map((r) => h("li", {},
        h("span", { text: `${when(r.read_at)} — ${r.reader_name}` }),
        h("br"), h("small", { class: "muted", text:
          `${t.household} ${r.household_code}${r.person_id ? ` · ${t.member}` : ""} · ${purposeName(session.lang, r.purpose)} · ${r.fields}` }))));
      if (fresh && !reads.length) list.append(h("li", { text: t.noAudit }));
      oldest = reads.length ? reads[reads.length - 1].read_id : oldest;
      more.hidden = reads.length < PAGE;
    } catch (error) {
      list.replaceChildren(h("li", { role: "alert", text: error.status === 403 ? t.forbidden : error.message }));
      more.hidden = true;
    }
  };
  const unitChoice = select("unit_id", t.adminUnit, units.map((u) => [u.unit_id, u.name]));
  unitChoice.querySelector("select").value = unitId;
  unitChoice.querySelector("select").addEventListener("change", (event) => { unitId = event.target.value; load(true); });
  more.addEventListener("click", () => load(false));
  show(view, t.navAudit, h("p", { class: "muted", text: t.auditIntro }), unitChoice, list, more);
  await load(true);
}
