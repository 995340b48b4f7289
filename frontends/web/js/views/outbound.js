// Outbound delivery (communication): a household's personal notices (its feedback cases' steps,
// dues, receipts) on its notices page; where each member who consented in the register receives
// notifications (e-mail, SMS, Zalo); for city IT the SMS and Zalo gateways and the city's delivery
// log, for officials their units' delivery log.
import { call, registry, session } from "../api.js";
import { dateTime, h, show, status } from "../dom.js";

const api = (path) => `/communication/api/v1${path}`;
const MEANS = ["email", "sms", "zalo"];

// --- the household's own ---

export function personalPanel(household, t) {
  const list = h("ul", { class: "cases", "aria-label": t.obPersonal });
  const panel = h("section", { "aria-label": t.obPersonal }, h("h3", { text: t.obPersonal }), list,
    h("p", {}, h("a", { href: "#/contacts", text: t.obContactsLink })));
  const refresh = async () => {
    const items = await call(api(`/households/${household}/notifications?limit=20`)).catch(() => null);
    if (items === null) return;
    list.replaceChildren(...(items.length ? items.map((n) => h("li", { class: "case" },
      h("p", { text: n.text }), h("p", { class: "muted", text: dateTime(n.at) }))) : [h("li", { text: t.obNoPersonal })]));
  };
  return { panel, refresh };
}

export async function contactsView(view, { t }) {
  const household = session.me.household_id;
  show(view, t.obContacts, status(t.loading));
  const [members, consents, given] = await Promise.all([
    call(registry(`/households/${household}`)).then((x) => x.members).catch(() => []),
    call(api(`/households/${household}/consents`)),
    call(api(`/households/${household}/contacts`)),
  ]);
  const consenting = new Set(consents.filter((c) => c.consent).map((c) => c.person_id));
  const sections = members.map((m) => {
    if (!consenting.has(m.person_id)) {
      return h("section", { class: "case" }, h("h3", { text: m.full_name || "" }), h("p", { class: "muted", text: t.obNoConsent }));
    }
    const mine = given.filter((c) => c.person_id === m.person_id && c.address);
    return h("section", { class: "case", "aria-label": m.full_name || "" }, h("h3", { text: m.full_name || "" }),
      ...MEANS.map((means) => contactForm(household, m.person_id, means, mine.find((c) => c.means === means), t)));
  });
  show(view, t.obContacts, h("p", { class: "muted", text: t.obContactsWhy }),
    ...(sections.length ? sections : [h("p", { text: t.obNoMembers })]));
}

function contactForm(household, person, means, current, t) {
  const input = h("input", { name: `${means}-${person}`, value: current?.address || "", maxlength: "300",
    type: means === "email" ? "email" : "tel", placeholder: t.obPlaceholders[means] });
  const said = h("p", { role: "status" });
  const form = h("form", { class: "inline-form", "aria-label": `${t.obMeans[means]}` },
    h("label", {}, h("span", { text: t.obMeans[means] }), input),
    h("button", { type: "submit", class: "small", text: t.obSave }),
    current ? h("button", { type: "button", class: "small", text: t.obRemove, onclick: async () => {
      await call(api(`/households/${household}/contacts/${person}/${means}`), { method: "DELETE" })
        .then(() => { input.value = ""; said.textContent = t.obRemoved; }).catch((e) => { said.textContent = e.message; });
    } }) : null, said);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await call(api(`/households/${household}/contacts`), { method: "PUT", body: { person_id: person, means, address: input.value } });
      said.textContent = t.obSaved;
    } catch (error) {
      said.textContent = error.message;
    }
  });
  return form;
}

// --- officials and city IT ---

export const managesChannels = () => (session.me?.roles || []).some((g) => g.role === "city_it_admin");

function logTable(rows, t) {
  return h("div", { class: "table-scroll" }, h("table", { class: "collection" },
    h("thead", {}, h("tr", {}, [t.obWhen, t.obMeansCol, t.obStatus, t.obTries].map((c) => h("th", { text: c })))),
    h("tbody", {}, rows.length ? rows.map((d) => h("tr", {},
      h("td", { text: dateTime(d.queued_at) }), h("td", { text: t.obMeans[d.means] || d.means }),
      h("td", { class: `status-${d.status}`, text: t.obStatuses[d.status] || d.status }),
      h("td", { text: d.tries.map((x) => `${x.attempt}. ${t.obStatuses[x.outcome] || x.outcome}${x.error ? ` (${x.error})` : ""}`).join("; ") })))
      : [h("tr", {}, h("td", { colspan: "4", text: t.obNoDeliveries }))])));
}

export async function deliveriesView(view, { t }) {
  show(view, t.obLog, status(t.loading));
  const sections = [];
  if (managesChannels()) {
    sections.push(await gatewaysSection(t));
    sections.push(h("section", { "aria-label": t.obCityLog }, h("h3", { text: t.obCityLog }), logTable(await call(api("/deliveries")), t)));
  }
  for (const grant of (session.me?.roles || []).filter((g) => ["group_leader", "area_police", "ward_official", "city_official"].includes(g.role))) {
    const rows = await call(api(`/units/${grant.unit_id}/deliveries`)).catch(() => []);
    sections.push(h("section", { "aria-label": t.obUnitLog }, h("h3", { text: t.obUnitLog }), logTable(rows, t)));
  }
  show(view, t.obLog, ...sections);
}

async function gatewaysSection(t) {
  const configured = await call(api("/gateways")).catch(() => []);
  const forms = ["sms", "zalo"].map((means) => {
    const url = h("input", { name: `${means}-url`, type: "url", required: true, value: configured.find((g) => g.means === means)?.url || "", placeholder: "https://" });
    const secret = h("input", { name: `${means}-secret`, type: "password", required: true, minlength: "24", autocomplete: "new-password" });
    const said = h("p", { role: "status" });
    const form = h("form", { class: "stack", "aria-label": t.obGateway(t.obMeans[means]) },
      h("h4", { text: t.obGateway(t.obMeans[means]) }),
      h("label", {}, h("span", { text: t.obUrl }), url),
      h("label", {}, h("span", { text: t.obSecret }), secret),
      h("button", { type: "submit", text: t.obSave }), said);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await call(api(`/gateways/${means}`), { method: "PUT", body: { url: url.value, secret: secret.value } });
        secret.value = "";
        said.textContent = t.obSaved;
      } catch (error) {
        said.textContent = error.message;
      }
    });
    return form;
  });
  return h("section", { "aria-label": t.obGateways }, h("h3", { text: t.obGateways }), h("p", { class: "muted", text: t.obGatewaysWhy }), ...forms);
}
