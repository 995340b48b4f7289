// A resident's own household, and who among the officials viewed its data.
import { call, registry, session } from "../api.js";
import { h, show, status } from "../dom.js";
import { membersList } from "./household.js";

export async function meView(view, { t, L }) {
  show(view, t.navMe, status(t.loading));
  if (!session.me.household_id) return show(view, t.navMe, status(t.noHousehold));
  const [household, reads] = await Promise.all([
    call(registry(`/households/${session.me.household_id}`)),
    call(registry("/me/data-reads")),
  ]);
  const names = new Map(household.members.map((m) => [m.person_id, m.full_name]));
  const items = reads.map((r) => h("li", { text: t.read(r, r.person_id ? names.get(r.person_id) : null) }));
  if (!items.length) items.push(h("li", { text: t.noReads }));
  show(view, t.navMe,
    h("section", { "aria-labelledby": "mine-h" }, h("h3", { id: "mine-h", text: t.myHousehold }), membersList(household, t, L)),
    h("section", { id: "my-reads", "aria-labelledby": "reads-h" },
      h("h3", { id: "reads-h", text: t.whoViewed }), h("ul", { id: "reads", "aria-live": "polite" }, items)));
}
