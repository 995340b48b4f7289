// One household: its members, and the changes of its life for those who keep the register —
// a birth or someone moving in, a member leaving, a new head, members splitting off into a
// household of their own, and a check against reality.
import { call, can, registry, session, until } from "../api.js";
import { actionForm, h, input, select, show, status, today } from "../dom.js";
import { choices } from "../forms.js";

export async function householdView(view, context, id) {
  const { t } = context;
  show(view, t.household, status(t.loading));
  const household = await call(registry(`/households/${id}`));
  const parts = [membersList(household, context.t, context.L)];
  if (can("households:register")) parts.push(changes(view, context, household));
  if (can("accounts:manage") && session.me.appoints.includes("resident")) parts.push(residentAccount(context, household));
  show(view, `${t.household} ${household.code}`, ...parts);
}

export function membersList(household, t, L) {
  return h("ul", { class: "members", "aria-label": t.members },
    household.members.map((m) => h("li", {},
      m.erased ? h("span", { text: t.erased }) : h("a", { href: `#/person/${m.person_id}`, text: m.full_name }),
      h("span", { class: "muted", text: ` — ${L.relationships[m.relationship] || m.relationship}` }))));
}

function changes(view, context, household) {
  const { t } = context;
  // After a change, read again until the read model shows it, then draw the page anew.
  const done = async (changed) => {
    const url = registry(`/households/${household.household_id}`);
    await until(() => call(url), changed);
    await householdView(view, context, household.household_id);
  };
  return h("section", { id: "changes", "aria-label": t.changes }, h("h3", { text: t.changes }),
    joinForm(context, household, done), leaveForm(context, household, done), headForm(context, household, done),
    splitForm(context, household), verifyForm(context, household));
}

// Every change of a household says that it is recorded with who made it.
const form = (title, fields, submit, t) => actionForm(title, fields, submit, h("p", { class: "muted", text: t.changeLogged }));

const others = (household) => household.members.filter((m) => m.relationship !== "head");
const nameOf = (m, t) => m.full_name ?? t.erased;

function joinForm({ t, L }, household, done) {
  // No relationship preset: a newborn is not always a child of the head.
  const relationships = choices(Object.entries(L.relationships).filter(([code]) => code !== "head"), t);
  return form(t.join, [
    select("reason", t.joinReason, Object.entries(L.joinReasons)),
    input("full_name", L.fields.full_name),
    select("relationship", t.relationship, relationships),
    select("sex", L.fields.sex, [["male", L.values.male], ["female", L.values.female]]),
    input("birth_date", L.fields.birth_date, { type: "date", max: today(), required: false }),
    input("on", t.on, { type: "date", max: today(), value: today() }),
  ], async (data) => {
    const member = { full_name: data.get("full_name"), relationship: data.get("relationship"), sex: data.get("sex") };
    if (data.get("birth_date")) member.birth_date = data.get("birth_date");
    await call(registry(`/households/${household.household_id}/members`), { method: "POST",
      body: { member, reason: data.get("reason"), on: data.get("on") } });
    await done((hh) => hh.member_count > household.member_count);
  }, t);
}

function leaveForm({ t, L }, household, done) {
  return form(t.leave, [
    select("person_id", t.member, others(household).map((m) => [m.person_id, nameOf(m, t)])),
    select("reason", t.leaveReason, Object.entries(L.leaveReasons)),
    input("on", t.on, { type: "date", max: today(), value: today() }),
  ], async (data) => {
    await call(registry(`/households/${household.household_id}/members/${data.get("person_id")}/departure`),
      { method: "POST", body: { reason: data.get("reason"), on: data.get("on") } });
    await done((hh) => hh.member_count < household.member_count);
  }, t);
}

// A new head, and every other member's relationship restated to them.
function headForm({ t, L }, household, done) {
  // Each relationship to the new head is chosen, not preset: "spouse of the old head" is no guess.
  const relationships = choices(Object.entries(L.relationships).filter(([code]) => code !== "head"), t);
  const restated = h("div", { class: "stack" });
  const head = select("person_id", t.newHead, others(household).map((m) => [m.person_id, nameOf(m, t)]));
  const draw = () => {
    const chosen = head.querySelector("select").value;
    restated.replaceChildren(...household.members.filter((m) => m.person_id !== chosen).map((m) =>
      select(`rel-${m.person_id}`, t.relationTo(nameOf(m, t)), relationships)));
  };
  head.querySelector("select").addEventListener("change", draw);
  draw();
  return form(t.changeHead, [head, restated, input("on", t.on, { type: "date", max: today(), value: today() })],
    async (data) => {
      const chosen = data.get("person_id");
      const body = { person_id: chosen, on: data.get("on"), relationships: Object.fromEntries(household.members
        .filter((m) => m.person_id !== chosen).map((m) => [m.person_id, data.get(`rel-${m.person_id}`)])) };
      await call(registry(`/households/${household.household_id}/head`), { method: "PUT", body });
      await done((hh) => hh.members.some((m) => m.person_id === chosen && m.relationship === "head"));
    }, t);
}

// Members forming a household of their own (tách hộ): who goes, who heads it, its code.
function splitForm({ t, L }, household) {
  const relationships = Object.entries(L.relationships).filter(([code]) => code !== "head");
  const choices = others(household).map((m) => h("fieldset", { class: "stack" }, h("legend", { text: nameOf(m, t) }),
    select(`role-${m.person_id}`, t.inNewHousehold, [["stay", t.stays], ["head", L.relationships.head], ...relationships])));
  return form(t.split, [input("code", t.newCode, { pattern: "[0-9A-Za-z./\\-]{1,40}" }), ...choices,
    input("on", t.on, { type: "date", max: today(), value: today() })], async (data) => {
    const going = others(household).map((m) => [m.person_id, data.get(`role-${m.person_id}`)]).filter(([, r]) => r !== "stay");
    const heads = going.filter(([, r]) => r === "head");
    if (heads.length !== 1) throw new Error(t.oneHead);
    const body = { code: data.get("code"), head_person_id: heads[0][0], on: data.get("on"),
      relationships: Object.fromEntries(going.filter(([, r]) => r !== "head")) };
    const created = await call(registry(`/households/${household.household_id}/split`), { method: "POST", body });
    await until(() => call(registry(`/households/${created.id}`)).catch(() => null), Boolean);
    location.hash = `#/household/${created.id}`;  // the new household's page
  }, t);
}

function verifyForm({ t }, household) {
  return form(t.verify, [input("on", t.on, { type: "date", max: today(), value: today() })], async (data) => {
    await call(registry(`/households/${household.household_id}/verification`), { method: "POST", body: { on: data.get("on") } });
    document.getElementById("changes").append(status(t.verified));
  }, t);
}

// The household's own account: opened here, bound to this household and given the resident role
// over its unit, by an official who administers accounts there (the registry checks both). The
// resident then sees the household's data and who viewed it.
function residentAccount({ t }, household) {
  const outcome = h("p", { role: "status" });
  const section = h("section", { id: "resident-account", "aria-labelledby": "resident-account-h" },
    h("h3", { id: "resident-account-h", text: t.householdAccount }), outcome);
  section.append(actionForm(t.residentAccount, [
    input("username", t.username, { autocomplete: "off", pattern: "[a-zA-Z0-9._\\-]{3,60}" }),
    input("display_name", t.displayName),
    input("password", t.password, { type: "password", autocomplete: "new-password", minlength: 10 }),
  ], async (data) => {
    const created = await call(registry("/accounts"), { method: "POST", body: { username: data.get("username"),
      display_name: data.get("display_name"), password: data.get("password"), household_id: household.household_id } });
    await call(registry(`/accounts/${created.id}/roles`), { method: "POST",
      body: { role: "resident", unit_id: household.unit_id, reason: t.residentAccountReason(household.code) } });
    section.querySelector("form").reset();
    outcome.textContent = t.residentAccountOpened(data.get("username"));
  }, h("p", { class: "muted", text: t.residentAccountNote })));
  return section;
}
