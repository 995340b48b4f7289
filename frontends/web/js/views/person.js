// A person's record: officials state a purpose first (and the read is logged); residents see
// their own household's members and manage their consent; ward officials may erase.
import { call, can, registry, session, until } from "../api.js";
import { calendarDay, dateTime, dayOf, h, input, select, show, status, today } from "../dom.js";

const FIELDS = ["full_name", "sex", "birth_date", "citizen_id", "phone", "ethnicity", "religion",
  "occupation", "health_status", "poverty_status", "residence_status"];

export async function personView(view, context, id) {
  const { t, L } = context;
  const own = session.me.household_id;
  if (own) {
    // Residents read their own household's members without stating a purpose.
    try {
      return render(view, context, await call(registry(`/persons/${id}`)));
    } catch (error) {
      if (error.status !== 403) throw error;
    }
  }
  const form = h("form", { class: "stack" },
    select("purpose", t.purpose, [["", t.choosePurpose], ...Object.keys(L.purposes)
      .filter((p) => !p.includes(" ")).map((p) => [p, L.purposes[p]])]),
    h("button", { type: "submit", text: t.show }),
    h("p", { class: "muted", text: t.logged }), h("p", { role: "alert", class: "error" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const purpose = new FormData(form).get("purpose");
    // A refusal (another unit's person, an erased record, a lost connection) is said on the page.
    try {
      render(view, context, await call(registry(`/persons/${id}?purpose=${encodeURIComponent(purpose)}`)));
    } catch (error) {
      form.querySelector(".error").textContent = error.status === 403 ? t.forbidden : error.message;
    }
  });
  show(view, t.person, form);
}

function render(view, context, person) {
  const { t, L } = context;
  const rows = FIELDS.map((field) => {
    const shown = person.disclosure[field];
    const value = person[field];
    let text = shown === "hidden" ? `(${t.hidden})` : value === null ? t.none : display(field, value, L);
    if (field === "residence_status" && person.residence_valid_until) {
      text += ` (${t.until(display("birth_date", person.residence_valid_until, L))})`;
    }
    return [h("dt", { text: L.fields[field] }), h("dd", { class: shown, text })];
  });
  const parts = [
    person.erased_on ? h("p", { role: "status", text: t.erasedNote }) : null,
    h("p", {}, h("a", { href: `#/household/${person.household_id}`, text: `${t.back}: ${t.household}` })),
    h("dl", { class: "fields", "aria-label": t.person }, rows.flat()),
  ];
  if (person.purpose) parts.push(h("p", { class: "muted", text: `${t.purpose}: ${L.purposes[person.purpose]}` }));
  if (!person.erased_on && session.me.household_id === person.household_id) parts.push(consentPart(view, context, person));
  parts.push(historyPart(context, person));
  const own = session.me.household_id === person.household_id;
  if (!person.erased_on && (own || can("corrections:propose"))) parts.push(correctionPart(context, person));
  if (!person.erased_on && can("presence:flag") && person.purpose) parts.push(flagPart(context, person));
  if (!person.erased_on && can("persons:erase")) parts.push(erasurePart(view, context, person));
  show(view, person.full_name || t.erased, ...parts);
}

function consentPart(view, context, person) {
  const { t } = context;
  const consent = person.consents.find((c) => c.purpose === "notifications_phone");
  const given = consent && !consent.withdrawn_at;
  const section = h("section", { "aria-label": t.consent }, h("h3", { text: t.consent }));
  const url = registry(`/persons/${person.person_id}`);
  const reload = async (done) => render(view, context, await until(() => call(url), (p) => done(
    p.consents.find((c) => c.purpose === "notifications_phone"))));
  if (given) {
    section.append(h("p", { text: t.consentGiven(dayOf(consent.given_at)) }),
      h("button", { type: "button", text: t.withdraw, onclick: async (event) => {
        event.target.disabled = true;
        try {
          await call(`${url}/consents/notifications_phone`, { method: "DELETE" });
          await reload((c) => c && c.withdrawn_at);
        } catch (error) {
          event.target.disabled = false;
          section.append(status(error.message, "error"));
        }
      } }));
    return section;
  }
  if (consent?.withdrawn_at) section.append(h("p", { text: t.consentWithdrawn(dayOf(consent.withdrawn_at)) }));
  const form = h("form", { class: "stack" }, input("phone", t.phone, { type: "tel", autocomplete: "tel" }),
    h("button", { type: "submit", text: t.give }), h("p", { role: "alert", class: "error" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await call(`${url}/consents`,
        { method: "POST", body: { purpose: "notifications_phone", phone: new FormData(form).get("phone") } });
      await reload((c) => c && !c.withdrawn_at);
    } catch (error) { form.querySelector(".error").textContent = error.message; }
  });
  section.append(form);
  return section;
}

function erasurePart(view, context, person) {
  const { t, L } = context;
  const form = h("form", { class: "stack danger" },
    select("reason", t.eraseReason, Object.entries(L.erasure)),
    h("button", { type: "submit", text: t.erase }), h("p", { role: "alert", class: "error" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!window.confirm(t.eraseConfirm)) return;
    try {
      const reason = new FormData(form).get("reason");
      form.replaceChildren(status(t.loading));
      await call(registry(`/persons/${person.person_id}/erasure`), { method: "POST", body: { reason } });
      const url = registry(`/persons/${person.person_id}?purpose=${person.purpose}`);
      render(view, context, await until(() => call(url), (p) => p.erased_on));
    } catch (error) { form.replaceChildren(status(error.message, "error")); }
  });
  return h("section", { "aria-label": t.erase }, h("h3", { text: t.erase }), form);
}

// Dates the Vietnamese way (day/month/year); codes by their names.
function display(field, value, L) {
  if (field === "birth_date") return calendarDay(value);
  return L.values[value] || value;
}

// A group leader's observation that this member does not really live here, for review.
function flagPart(context, person) {
  const { t } = context;
  const form = h("form", { class: "stack" },
    input("observed_on", t.observedOn, { type: "date", max: today(), value: today() }), input("note", t.note),
    h("button", { type: "submit", text: t.flag }), h("p", { role: "alert", class: "error" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await call(registry("/presence-flags"), { method: "POST", body: { household_id: person.household_id,
        person_id: person.person_id, kind: "registered_not_living", observed_on: data.get("observed_on"), note: data.get("note") } });
      form.replaceChildren(status(t.flagged));
    } catch (error) { form.querySelector(".error").textContent = error.message; }
  });
  return h("section", { "aria-label": t.flag }, h("h3", { text: `${t.flag}: ${context.L.flagKinds.registered_not_living}` }), form);
}

// What changed in the record, when and by whom — loaded on request (officials' reads are logged).
function historyPart(context, person) {
  const { t, L } = context;
  const list = h("ol", { id: "history", "aria-live": "polite" });
  const button = h("button", { type: "button", text: t.showHistory, onclick: async () => {
    button.hidden = true;
    list.replaceChildren(status(t.loading));
    try {
      const entries = await call(registry(`/persons/${person.person_id}/history`));
      list.replaceChildren(...entries.map((e) => h("li", { text:
        `${dateTime(e.at)} — ${L.events[e.event] || e.event}` +
        `${e.detail ? ` (${L.values[e.detail] || L.relationships[e.detail] || e.detail})` : ""} — ${e.actor_name}` })));
    } catch (error) { list.replaceChildren(h("li", { role: "alert", text: error.message })); }
  } });
  return h("section", { "aria-label": t.history }, h("h3", { text: t.history }), button, list);
}

// Propose a correction (a resident for their own household, a group leader in their group); a ward
// official decides it on the corrections page, and both steps stay in the record's history.
const CORRECTABLE = ["full_name", "sex", "birth_date", "citizen_id", "ethnicity", "religion", "occupation"];

function correctionPart(context, person) {
  const { t, L } = context;
  const form = h("form", { class: "stack" },
    select("field", t.fieldToCorrect, CORRECTABLE.map((f) => [f, L.fields[f]])),
    input("value", t.correctValue), input("reason", t.reason),
    h("button", { type: "submit", text: t.propose }), h("p", { role: "alert", class: "error" }));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    let value = String(data.get("value")).trim();
    const field = data.get("field");
    const parts = value.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
    if (field === "birth_date" && parts) value = `${parts[3]}-${parts[2].padStart(2, "0")}-${parts[1].padStart(2, "0")}`;
    if (field === "sex") value = { nam: "male", "nữ": "female", nu: "female" }[value.toLowerCase()] || value;
    try {
      await call(registry(`/persons/${person.person_id}/corrections`), { method: "POST",
        body: { changes: { [field]: value }, reason: data.get("reason") } });
      form.replaceChildren(status(t.proposedNote));
    } catch (error) { form.querySelector(".error").textContent = error.message; }
  });
  return h("section", { "aria-label": t.proposeCorrection }, h("h3", { text: t.proposeCorrection }), form);
}
