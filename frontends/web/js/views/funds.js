// The funds of the units an official serves: each fund's kind (always said), balance, levies with
// who owes and paid, cash recorded with a receipt to print, a bank statement matched, expenses
// proposed, approved by someone else and paid. The server decides every rule; these pages ask.
import { call, session, until, upload } from "../api.js";
import { actionForm, calendarDay, dateTime, h, input, select, show, status, today } from "../dom.js";
import { APPROVERS, evidenceItem, funds, grants, KEEPERS, openPdf, READERS, uploadEvidence, vnd } from "../funds_api.js";

const keeps = (unitId, units) => grants(KEEPERS).some((g) => unitId === g.unit_id || units.below(g.unit_id, unitId));
const approves = (unitId, units) => grants(APPROVERS).some((g) => unitId === g.unit_id || units.below(g.unit_id, unitId));

// The directory's units, and whether one is below another (a ward official keeps its groups').
async function directory() {
  const listed = await call("/funds/api/v1/directory/units");
  const byId = new Map(listed.map((u) => [u.unit_id, u]));
  return {
    name: (id) => byId.get(id)?.name || id,
    below(top, id) {
      for (let unit = byId.get(id); unit; unit = byId.get(unit.parent_id)) if (unit.unit_id === top) return true;
      return false;
    },
    listed,
  };
}

export function kindBadge(kind, t) {
  return h("span", { class: `badge kind-${kind}`, text: t.fuKind[kind] || kind });
}

export async function fundsView(view, { t }) {
  show(view, t.fuFunds, status(t.loading));
  const units = await directory();
  const mine = grants(READERS).map((g) => [g.unit_id, units.name(g.unit_id)]);
  const list = h("ul", { class: "cases", "aria-live": "polite" });
  const filters = h("form", { class: "filters", "aria-label": t.fbFilters }, select("unit_id", t.adminUnit, mine),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "include_below" }), h("span", { text: t.fbIncludeBelow })));
  const load = async () => {
    const unitId = filters.elements.unit_id.value;
    const below = filters.elements.include_below.checked ? "&include_below=true" : "";
    list.replaceChildren(status(t.loading));
    const listed = await call(funds(`?unit_id=${unitId}${below}`));
    list.replaceChildren(...(listed.length ? listed.map((f) => h("li", { class: "case" },
      h("a", { href: `#/funds/fund/${f.fund_id}`, text: f.name }), " ", kindBadge(f.kind, t),
      h("span", { class: "muted", text: ` ${units.name(f.unit_id)}` }))) : [h("li", { text: t.fuNoFunds })]));
  };
  filters.addEventListener("change", () => load().catch((e) => list.replaceChildren(status(e.message, "error"))));
  const unitId = () => filters.elements.unit_id.value;
  // A community fund cites the households' decision: a poll of the unit that passed (its result,
  // as funds learnt it, becomes the fund's resolution), or a meeting's minutes written below.
  const poll = h("select", { name: "poll_id" });
  const pollField = h("label", { hidden: true }, h("span", { text: t.fuPoll }), poll);
  const loadPolls = async () => {
    const closed = await call(`/communication/api/v1/polls?unit_id=${unitId()}`).catch(() => []);
    const passed = closed.filter((p) => p.passed && p.unit_id === unitId());
    poll.replaceChildren(h("option", { value: "", text: passed.length ? t.fuNoPoll : t.fuNoPassedPoll }),
      ...passed.map((p) => h("option", { value: p.poll_id,
        text: t.fuPollChoice(p.question, p.counts[p.winner], p.eligible, dateTime(p.closed_at)) })));
  };
  const kind = select("kind", t.fuKindLabel, Object.entries(t.fuKind));
  kind.querySelector("select").addEventListener("change", (event) => {
    pollField.hidden = event.target.value !== "community";
    if (!pollField.hidden) loadPolls();
  });
  filters.addEventListener("change", () => { if (!pollField.hidden) loadPolls(); });
  const opening = grants(KEEPERS).length ? actionForm(t.fuOpen, [
    input("name", t.fuName, { maxlength: "200" }),
    kind, pollField,
    h("label", {}, h("span", { text: t.fuResolution }), h("input", { name: "resolution", maxlength: "500" })),
    h("label", {}, h("span", { text: t.fuBankBin }), h("input", { name: "bank_bin", pattern: "\\d{6}", inputmode: "numeric" })),
    h("label", {}, h("span", { text: t.fuBankAccount }), h("input", { name: "account", pattern: "[0-9A-Za-z]{1,19}" })),
    h("label", {}, h("span", { text: t.fuBankHolder }), h("input", { name: "holder", maxlength: "200" })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "names_public" }), h("span", { text: t.fuNamesPublic })),
  ], async (data) => {
    const bank = data.get("bank_bin") ? { bank_bin: data.get("bank_bin"), account: data.get("account"), holder: data.get("holder") } : null;
    const made = await call(funds(), { method: "POST", body: {
      unit_id: unitId(), name: data.get("name"), kind: data.get("kind"), resolution: data.get("resolution") || "",
      bank, names_public: data.get("names_public") === "on",
      poll_id: data.get("kind") === "community" && data.get("poll_id") ? data.get("poll_id") : null,
    } });
    location.hash = `#/funds/fund/${made.fund_id}`;
  }) : null;
  show(view, t.fuFunds, filters, opening, list);
  await load();
}

export async function fundView(view, { t }, fundId) {
  show(view, t.fuFund, status(t.loading));
  const [units, fund] = await Promise.all([directory(), until(() => call(funds(`/${fundId}`)).catch(() => null), Boolean)]);
  if (!fund) throw new Error(t.fuNotFound);
  const keeper = keeps(fund.unit_id, units);
  const approver = approves(fund.unit_id, units);
  const year = today().slice(0, 4);
  // Cash taken on this page adds to the balance shown at once (the server's figure follows it).
  let balance = fund.balance;
  const balanceShown = h("strong", { text: vnd(balance) });
  const received = (amount) => { balance += amount; balanceShown.textContent = vnd(balance); };
  const reportLink = h("a", { href: `funds.html?unit=${fund.unit_id}&from=${year}-01-01&to=${year}-12-31`, text: t.fuPublicReport });
  const header = h("div", { class: "fund-head" },
    h("p", {}, kindBadge(fund.kind, t), " ", h("span", { class: "muted", text: units.name(fund.unit_id) })),
    fund.kind === "voluntary" ? h("p", { class: "note", text: t.fuVoluntaryNote }) : null,
    fund.resolution ? h("p", { class: "muted", text: `${t.fuResolution}: ${fund.resolution}` }) : null,
    h("p", { class: "balance" }, h("span", { text: `${t.fuBalance}: ` }), balanceShown),
    h("p", {}, reportLink));
  const levies = h("section", { "aria-label": t.fuLevies }, h("h3", { text: t.fuLevies }),
    ...(fund.levies.length ? await Promise.all(fund.levies.map((levy) => levySection(fund, levy, keeper, t, received))) : [status(t.fuNoLevies)]));
  const announce = keeper ? actionForm(t.fuAnnounce, [
    select("basis", t.fuBasis, Object.entries(t.fuBases).filter(([b]) => fund.kind !== "voluntary" || b === "household")),
    input("amount", fund.kind === "voluntary" ? t.fuSuggested : t.fuRate, { type: "number", min: "1", step: "1", inputmode: "numeric" }),
    input("period_from", t.fuFrom, { type: "date", value: `${year}-01-01` }),
    input("period_to", t.fuTo, { type: "date", value: `${year}-12-31` }),
  ], async (data) => {
    const made = await call(funds(`/${fundId}/levies`), { method: "POST", body: {
      basis: data.get("basis"), amount: Number(data.get("amount")), period_from: data.get("period_from"), period_to: data.get("period_to"),
    } });
    alert(t.fuImposed(made.households));
    await fundView(view, { t }, fundId);
  }) : null;
  const statement = keeper
    ? statementForm(fund, t, () => fundView(view, { t }, fundId), await call(funds("/statement-banks")))
    : null;
  const matching = keeper ? await openLinesSection(fund, t, () => fundView(view, { t }, fundId)) : null;
  const expenses = await expensesSection(fund, keeper, approver, t, () => fundView(view, { t }, fundId));
  const receipts = await receiptsSection(fund, keeper, t, () => fundView(view, { t }, fundId));
  show(view, fund.name, header, announce, levies, statement, matching, expenses, receipts);
}

async function levySection(fund, levy, keeper, t, received) {
  const rows = await call(funds(`/${fund.fund_id}/levies/${levy.levy_id}/collection`));
  const voluntary = fund.kind === "voluntary";
  const counted = () => voluntary ? t.fuVoluntaryCollected(rows.filter((r) => r.paid > 0).length, rows.length)
    : t.fuCollected(rows.filter((r) => r.paid >= r.owed && r.owed > 0).length, rows.filter((r) => r.owed > 0).length);
  const summary = h("p", { text: counted() });
  // What was just taken shows at once in its row and the count (the figures read from the server
  // follow a moment later, once the books are projected).
  const taken = (household, amount) => {
    const r = rows.find((row) => row.household_id === household);
    r.paid += amount;
    table.querySelector(`td.paid[data-household="${household}"]`).textContent = vnd(r.paid);
    summary.textContent = counted();
    received(amount);
    if (!table.querySelector("input.round-pick")) round?.remove(); // nobody left to collect from
  };
  const table = h("table", { class: "collection" },
    h("thead", {}, h("tr", {}, [t.household, voluntary ? t.fuSuggested : t.fuOwed, t.fuPaid, ""].map((c) => h("th", { text: c })))),
    h("tbody", {}, rows.map((r) => {
      const left = Math.max(0, (voluntary ? levy.amount : r.owed) - r.paid);
      const cash = keeper && left > 0 ? h("button", { type: "button", class: "small", text: t.fuCash(vnd(left)), onclick: async (event) => {
        event.target.disabled = true;
        try {
          const receipt = await call(funds(`/${fund.fund_id}/payments`), { method: "POST", body: {
            household_id: r.household_id, amount: left, means: "cash", levy_id: levy.levy_id } });
          event.target.closest("tr").querySelector("input.round-pick")?.remove(); // paid: not in a round
          taken(r.household_id, receipt.amount);
          event.target.replaceWith(h("button", { type: "button", class: "small", text: t.fuPrint(receipt.number),
            onclick: () => openPdf(funds(`/receipts/${receipt.entry_id}.pdf`)).catch((e) => alert(e.message)) }));
        } catch (error) {
          event.target.disabled = false;
          alert(error.message);
        }
      } }) : null;
      const pick = cash ? h("input", { type: "checkbox", class: "round-pick", "aria-label": t.fuRoundPick(r.household_code),
        "data-household": r.household_id, "data-amount": String(left) }) : null;
      return h("tr", {}, h("td", {}, pick, " ", r.household_code),
        h("td", { text: voluntary ? vnd(levy.amount) : vnd(r.owed) }), h("td", { class: "paid", "data-household": r.household_id, text: vnd(r.paid) }), h("td", {}, cash));
    })));
  const round = keeper && rows.some((r) => Math.max(0, (voluntary ? levy.amount : r.owed) - r.paid) > 0)
    ? roundButton(fund, levy, table, t, taken) : null;
  return h("details", { open: true }, h("summary", { text: `${t.fuBases[levy.basis]} · ${vnd(levy.amount)} · ${calendarDay(levy.period_from)} – ${calendarDay(levy.period_to)}` }),
    summary, h("div", { class: "table-scroll" }, table), round);
}

// A collection round: the households ticked on the list paid what they had left, in cash, door
// to door or at a meeting; recorded in one go (all or none), each with its numbered receipt.
function roundButton(fund, levy, table, t, taken) {
  const said = h("p", { "aria-live": "polite" });
  const button = h("button", { type: "button", text: t.fuRound, onclick: async () => {
    const picked = [...table.querySelectorAll("input.round-pick:checked")];
    if (!picked.length) { said.textContent = t.fuRoundNone; return; }
    button.disabled = true;
    try {
      const receipts = await call(funds(`/${fund.fund_id}/payments/round`), { method: "POST", body: {
        payments: picked.map((box) => ({ household_id: box.dataset.household, amount: Number(box.dataset.amount),
          means: "cash", levy_id: levy.levy_id })) } });
      receipts.forEach((receipt, n) => {
        const row = picked[n].closest("tr");
        const household = picked[n].dataset.household;
        picked[n].remove();
        taken(household, receipt.amount);
        row.querySelector("td:last-child").replaceChildren(h("button", { type: "button", class: "small",
          text: t.fuPrint(receipt.number), onclick: () => openPdf(funds(`/receipts/${receipt.entry_id}.pdf`)).catch((e) => alert(e.message)) }));
      });
      said.textContent = t.fuRoundDone(receipts.length, vnd(receipts.reduce((sum, r) => sum + r.amount, 0)));
    } catch (error) {
      said.textContent = error.message;
    } finally {
      button.disabled = false;
    }
  } });
  return h("div", { class: "round" }, button, said);
}

// A bank statement: the file as exported by the bank, its columns named once per bank; the lines
// carrying a payment reference are recorded, the others listed for matching by hand.
// The result stays on screen (its lines to match); the page is read again when asked.
function statementForm(fund, t, reload, banks) {
  const result = h("div", { "aria-live": "polite" });
  return actionForm(t.fuStatement, [
    select("bank", t.fuBank, banks.map((b) => [b, t.fuBanks[b] || b])),
    h("label", {}, h("span", { text: t.fuStatementFile }), h("input", { type: "file", name: "file", required: true,
      accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" })),
  ], async (data) => {
    const file = data.get("file");
    result.replaceChildren(status(t.fuMatching));
    const query = new URLSearchParams({ bank: data.get("bank"), filename: file.name });
    const matched = await upload(funds(`/${fund.fund_id}/statements?${query}`), file);
    result.replaceChildren(h("p", { text: t.fuMatched(matched.paid.length, matched.unmatched.length, matched.already_paid) }),
      matched.unmatched.length ? h("ul", {}, matched.unmatched.map((line) => h("li", {
        text: `${line.booked_on} · ${vnd(line.amount)} · ${line.description}` }))) : null);
  }, result, h("button", { type: "button", class: "small", text: t.fuRefresh, onclick: reload }));
}

// Statement lines no reference matched: the keeper says whose transfer each was (and for which
// levy); it is paid in then, once.
async function openLinesSection(fund, t, reload) {
  const lines = await call(funds(`/${fund.fund_id}/statement-lines`));
  if (!lines.length) return null;
  const households = await call(`/funds/api/v1/directory/units/${fund.unit_id}/households?limit=1000`).catch(() => []);
  const choices = households.map((hh) => [hh.household_id, hh.household_code]);
  const levies = [["", t.fuNoLevy], ...fund.levies.map((l) => [l.levy_id, `${t.fuBases[l.basis]} · ${calendarDay(l.period_from)} – ${calendarDay(l.period_to)}`])];
  return h("section", { "aria-label": t.fuOpenLines }, h("h3", { text: t.fuOpenLines }),
    h("ul", { class: "cases" }, lines.map((line) => h("li", { class: "case" },
      h("strong", { text: `${vnd(line.amount)} · ${line.booked_on}` }), h("p", { class: "muted", text: line.description }),
      actionForm(t.fuMatch, [select("household_id", t.household, choices), select("levy_id", t.fuLevy, levies, { required: false })],
        async (data) => {
          await call(funds(`/${fund.fund_id}/statements/${line.statement_id}/matches`), { method: "POST", body: {
            key: line.key, household_id: data.get("household_id"), levy_id: data.get("levy_id") || null } });
          await until(() => call(funds(`/${fund.fund_id}/statement-lines`)), (left) => !left.some((l) => l.key === line.key));
          await reload();
        })))));
}

async function expensesSection(fund, keeper, approver, t, reload) {
  const list = () => call(funds(`/${fund.fund_id}/expenses`));
  const listed = await list();
  // The list is a read model a moment behind the change just made: wait until it shows it.
  const shown = (made) => until(list, (rows) => rows.some((e) => e.expense_id === made.expense_id
    && e.status === made.status && e.approvers.length === made.approvers.length));
  const me = session.me?.account_id;
  const act = (expense, step, body, label) => h("button", { type: "button", class: "small", text: label, onclick: async () => {
    const sent = typeof body === "function" ? body() : body;
    if (sent === null) return; // a reason asked for and not given
    try {
      await shown(await call(funds(`/expenses/${expense.expense_id}/${step}`), { method: "POST", body: sent }));
      await reload();
    } catch (error) {
      alert(error.message);
    }
  } });
  const items = listed.map((e) => h("li", { class: "case" },
    h("strong", { text: `${vnd(e.amount)} — ${e.purpose}` }),
    h("div", {}, h("span", { class: `badge expense-${e.status}`, text: t.fuExpenseStatus[e.status] || e.status }),
      h("span", { class: "muted", text: ` ${t.fuApprovals(e.approvers.length, e.approvals_needed)} · ${dateTime(e.proposed_at)}` })),
    h("p", { class: "muted" }, `${t.fuEvidence}: `, ...e.evidence.map((item) => evidenceItem(item, t.fuEvidenceFile, h))),
    e.reason ? h("p", { text: `${t.fbReason}: ${e.reason}` }) : null,
    h("div", { class: "actions" },
      approver && e.status === "proposed" && e.proposer !== me && !e.approvers.includes(me) ? act(e, "approval", undefined, t.fuApprove) : null,
      approver && e.status === "proposed" && e.proposer !== me ? act(e, "rejection", () => {
        const reason = prompt(t.fuRejectReason);
        return reason ? { reason } : null;
      }, t.fuReject) : null,
      keeper && e.status === "approved" ? act(e, "payment", { means: "cash" }, t.fuPayCash) : null,
      keeper && e.status === "approved" ? act(e, "payment", { means: "bank" }, t.fuPayBank) : null)));
  const propose = keeper ? actionForm(t.fuPropose, [
    input("amount", t.fuAmount, { type: "number", min: "1", step: "1", inputmode: "numeric" }),
    input("purpose", t.fuPurpose, { maxlength: "1000" }),
    h("label", {}, h("span", { text: t.fuEvidenceRef }), h("input", { name: "evidence", maxlength: "200" })),
    h("label", {}, h("span", { text: t.fuEvidencePhoto }), h("input", { type: "file", name: "photo", accept: "image/*,application/pdf", capture: "environment" })),
  ], async (data) => {
    const evidence = [data.get("evidence")].filter(Boolean);
    const photo = data.get("photo");
    if (photo && photo.size) evidence.push(await uploadEvidence(photo));
    if (!evidence.length) throw new Error(t.fuEvidenceNeeded);
    await shown(await call(funds(`/${fund.fund_id}/expenses`), { method: "POST", body: {
      amount: Number(data.get("amount")), purpose: data.get("purpose"), evidence } }));
    await reload();
  }) : null;
  return h("section", { "aria-label": t.fuExpenses }, h("h3", { text: t.fuExpenses }), propose,
    h("ul", { class: "cases" }, items.length ? items : [h("li", { text: t.fuNoExpenses })]));
}

async function receiptsSection(fund, keeper, t, reload) {
  const listed = await call(funds(`/${fund.fund_id}/receipts?limit=50`));
  return h("section", { "aria-label": t.fuReceipts }, h("h3", { text: t.fuReceipts }),
    h("ul", { class: "cases" }, listed.length ? listed.map((r) => h("li", { class: r.void ? "case void" : "case" },
      h("strong", { text: `${r.number} · ${vnd(r.amount)}` }),
      h("span", { class: "muted", text: ` ${r.household_code || ""} · ${t.fuMeans[r.means]} · ${dateTime(r.paid_at)}` }),
      r.void ? h("span", { class: "badge", text: t.fuVoid }) : null,
      h("div", { class: "actions" },
        h("button", { type: "button", class: "small", text: t.fuPdf, onclick: () => openPdf(funds(`/receipts/${r.entry_id}.pdf`)).catch((e) => alert(e.message)) }),
        keeper && !r.void ? h("button", { type: "button", class: "small", text: t.fuReverse, onclick: async () => {
          const reason = prompt(t.fuReverseReason);
          if (!reason) return;
          try {
            await call(funds(`/${fund.fund_id}/entries/${r.entry_id}/reversal`), { method: "POST", body: { reason } });
            await reload();
          } catch (error) {
            alert(error.message);
          }
        } }) : null))) : [h("li", { text: t.fuNoReceipts })]));
}
