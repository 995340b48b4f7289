// Role administration: the accounts serving a unit, opening accounts, appointing and revoking
// roles, resetting passwords. The registry decides who may do what where; this page only asks.
import { call, can, registry, session, until } from "../api.js";
import { dateTime, h, input, select, show, status } from "../dom.js";

export async function adminView(view, context) {
  const { t } = context;
  show(view, t.navAdmin, status(t.loading));
  const units = await call(registry("/units"));
  const state = { units, unitId: null, accounts: [], opened: [] };
  const message = h("p", { role: "status", id: "admin-status" });
  const listing = h("section", { "aria-labelledby": "accounts-h", "aria-live": "polite" });
  const forms = h("div", { class: "forms" });
  const unitName = (id) => units.find((u) => u.unit_id === id)?.name ?? id;
  const unitChoice = select("unit_id", t.adminUnit, units.map((u) => [u.unit_id, u.name]));
  // ``done`` says when the listing shows a change just made (the read model follows a moment later).
  const refresh = async (done = () => true) => {
    listing.replaceChildren(status(t.loading));
    try {
      state.accounts = await until(() => call(registry(`/accounts?unit_id=${state.unitId}`)), done);
    } catch (error) {
      listing.replaceChildren(h("p", { role: "alert", text: error.status === 403 ? t.forbidden : error.message }));
      state.accounts = [];
      return;
    }
    listing.replaceChildren(h("h3", { id: "accounts-h", text: t.accounts }), accountsTable(state, context, unitName, refresh, message));
    if (can("accounts:manage")) forms.replaceChildren(...manageForms(state, context, refresh, message));
  };
  unitChoice.querySelector("select").addEventListener("change", (event) => {
    state.unitId = event.target.value;
    refresh();
  });
  // Start at the unit of the caller's own (first) assignment: the one they most likely administer.
  state.unitId = session.me.roles[0]?.unit_id ?? units[0]?.unit_id;
  unitChoice.querySelector("select").value = state.unitId;
  show(view, t.navAdmin, unitChoice, message, listing, forms);
  if (state.unitId) await refresh();
}

function accountsTable(state, { t, L }, unitName, refresh, message) {
  if (!state.accounts.length) return h("p", { text: t.noAccounts });
  return h("table", { id: "accounts" },
    h("thead", {}, h("tr", {}, h("th", { text: t.name }), h("th", { text: t.roles }))),
    h("tbody", {}, state.accounts.map((account) => h("tr", {},
      h("td", {}, h("span", { text: account.display_name }), h("br"), h("small", { class: "muted", text: account.username }),
        account.locked_until ? h("p", { class: "error", text: t.locked(dateTime(account.locked_until)) }) : null),
      h("td", {}, h("ul", { class: "roles" }, account.roles.map((grant) => {
        const roleName = L.roles[grant.role] || grant.role;
        return h("li", {}, h("span", { text: `${roleName} — ${unitName(grant.unit_id)}` }),
          can("accounts:manage") ? h("button", { type: "button", class: "small", text: t.revoke,
            "aria-label": t.revokeOf(roleName, account.display_name),
            onclick: async () => {
              const reason = window.prompt(t.reason);
              if (reason === null) return;
              try {
                await call(registry(`/accounts/${account.account_id}/roles/${grant.role}/${grant.unit_id}?reason=${encodeURIComponent(reason)}`), { method: "DELETE" });
                message.textContent = t.revoked;
                await refresh((accounts) => !holds(accounts, account.account_id, grant.role, grant.unit_id));
              } catch (error) { message.textContent = error.message; }
            } }) : null);
      })))))));
}

function manageForms(state, { t, L }, refresh, message) {
  const accounts = [...state.accounts.map((a) => [a.account_id, `${a.display_name} (${a.username})`]),
    ...state.opened.map((a) => [a.id, a.label])];
  const submit = (form, action) => form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = form.querySelector(".error");
    error.textContent = "";
    try {
      const [text, done] = await action(new FormData(form));
      message.textContent = text;
      form.reset();
      await refresh(done);
    } catch (problem) { error.textContent = problem.message; }
  });
  const open = h("form", { class: "stack", "aria-labelledby": "open-h" }, h("h3", { id: "open-h", text: t.openAccount }),
    input("username", t.username, { autocomplete: "off", pattern: "[a-zA-Z0-9._\\-]{3,60}" }),
    input("display_name", t.displayName), input("password", t.password, { type: "password", autocomplete: "new-password", minlength: 10 }),
    h("button", { type: "submit", text: t.openAccount }), h("p", { role: "alert", class: "error" }));
  submit(open, async (data) => {
    const created = await call(registry("/accounts"), { method: "POST", body:
      { username: data.get("username"), display_name: data.get("display_name"), password: data.get("password") } });
    state.opened.push({ id: created.id, label: `${data.get("display_name")} (${data.get("username")})` });
    return [t.opened(data.get("username")), () => true];
  });
  const forms = [open];
  if (accounts.length && session.me.appoints.length) {
    const assign = h("form", { class: "stack", "aria-labelledby": "assign-h" }, h("h3", { id: "assign-h", text: t.assign }),
      select("account_id", t.account, accounts), select("role", t.role, session.me.appoints.map((r) => [r, L.roles[r] || r])),
      select("unit_id", t.adminUnit, state.units.map((u) => [u.unit_id, u.name])), input("reason", t.reason),
      h("button", { type: "submit", text: t.assign }), h("p", { role: "alert", class: "error" }));
    assign.querySelector("select[name=unit_id]").value = state.unitId;
    submit(assign, async (data) => {
      await call(registry(`/accounts/${data.get("account_id")}/roles`), { method: "POST", body:
        { role: data.get("role"), unit_id: data.get("unit_id"), reason: data.get("reason") } });
      state.opened = state.opened.filter((a) => a.id !== data.get("account_id"));
      return [t.assigned, (accounts) => holds(accounts, data.get("account_id"), data.get("role"), data.get("unit_id"))];
    });
    forms.push(assign);
  }
  if (state.accounts.length) {
    const reset = h("form", { class: "stack", "aria-labelledby": "reset-h" }, h("h3", { id: "reset-h", text: t.resetPassword }),
      select("account_id", t.account, state.accounts.map((a) => [a.account_id, `${a.display_name} (${a.username})`])),
      input("password", t.newPassword, { type: "password", autocomplete: "new-password", minlength: 10 }),
      h("button", { type: "submit", text: t.resetPassword }), h("p", { role: "alert", class: "error" }));
    submit(reset, async (data) => {
      await call(registry(`/accounts/${data.get("account_id")}/password`), { method: "PUT", body: { password: data.get("password") } });
      return [t.reset, () => true];
    });
    forms.push(reset);
  }
  return forms;
}

function holds(accounts, accountId, role, unitId) {
  return accounts.some((a) => a.account_id === accountId && a.roles.some((g) => g.role === role && g.unit_id === unitId));
}
