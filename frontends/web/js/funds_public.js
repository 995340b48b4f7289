// The public accounts of a group's funds and the receipt check: no sign-in, nothing private (the
// API shows payers by name only where the group chose it, exemptions never). Income and spending
// are drawn as bars per month: people would rather look at a year of money than read it.
import { session } from "./api.js";
import { calendarDay, dateTime, h, status } from "./dom.js";
import { evidenceItem, funds, vnd } from "./funds_api.js";
import { TEXT } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const t = () => TEXT[session.lang];

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

async function get(url) {
  const response = await fetch(url, { headers: { "Accept-Language": session.lang } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || body.title || `${response.status}`);
  return body;
}

// Income and spending per month of the period, side by side.
function moneyChart(fund, months, text) {
  const series = [["income_by_month", "#3c8c4c", text.fuIncome], ["spending_by_month", "#c0392b", text.fuSpending]];
  const top = Math.max(1, ...months.flatMap((m) => series.map(([key]) => fund[key][m] || 0)));
  const width = 320, height = 140, slot = width / Math.max(1, months.length), bar = Math.max(2, slot / 3);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 20}`, role: "img", "aria-label": text.fuChart(fund.name), class: "chart" });
  months.forEach((m, i) => {
    series.forEach(([key, colour, label], j) => {
      const value = fund[key][m] || 0;
      const tall = (value / top) * height;
      const rect = svg("rect", { x: i * slot + j * bar + 2, y: height - tall, width: bar - 1, height: tall, fill: colour });
      rect.append(svg("title", {}, `${m} ${label}: ${vnd(value)}`));
      chart.append(rect);
    });
    chart.append(svg("text", { x: i * slot + 2, y: height + 14, "font-size": "9" }, m.slice(5)));
  });
  const legend = h("p", { class: "legend" }, series.map(([, colour, label]) =>
    h("span", {}, h("span", { class: "swatch", style: `background:${colour}` }), ` ${label} `)));
  return h("figure", {}, chart, legend);
}

function monthsBetween(from, to) {
  const months = [];
  for (let [year, month] = from.split("-").map(Number); `${year}-${String(month).padStart(2, "0")}` <= to.slice(0, 7);) {
    months.push(`${year}-${String(month).padStart(2, "0")}`);
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return months.slice(-24);
}

function progress(label, done, all) {
  const percent = all ? Math.round((done / all) * 100) : 0;
  return h("div", { class: "share" }, h("span", { text: `${label}: ${done}/${all} (${percent} %)` }),
    h("div", { class: "bar", role: "img", "aria-label": `${label} ${percent} %` }, h("div", { style: `width:${percent}%` })));
}

function evidence(item, text) {
  return evidenceItem(item, text.fuEvidenceFile, h);
}

function fundCard(fund, months, text) {
  return h("article", { class: "fund" },
    h("h3", {}, fund.name, " ", h("span", { class: `badge kind-${fund.kind}`, text: text.fuKind[fund.kind] })),
    fund.kind === "voluntary" ? h("p", { class: "note", text: text.fuVoluntaryNote }) : null,
    fund.resolution ? h("p", { class: "muted", text: `${text.fuResolution}: ${fund.resolution}` }) : null,
    h("ul", { class: "totals" },
      h("li", {}, h("strong", { text: vnd(fund.income) }), ` ${text.fuIncome}`),
      h("li", {}, h("strong", { text: vnd(fund.spending) }), ` ${text.fuSpending}`),
      h("li", {}, h("strong", { text: vnd(fund.balance) }), ` ${text.fuBalanceEnd}`)),
    moneyChart(fund, months, text),
    ...fund.levies.map((levy) => progress(text.fuLevyProgress(calendarDay(levy.period_from), calendarDay(levy.period_to), vnd(levy.paid), vnd(levy.owed)), levy.settled, levy.households)),
    fund.expenses.length ? h("div", {}, h("h4", { text: text.fuExpenses }), h("ul", { class: "cases" }, fund.expenses.map((e) => h("li", { class: "case" },
      h("strong", { text: `${vnd(e.amount)} — ${e.purpose}` }), h("span", { class: "muted", text: ` ${dateTime(e.paid_at)}` }),
      h("p", {}, `${text.fuEvidence}: `, ...e.evidence.map((item) => evidence(item, text))))))) : null,
    fund.payers.length ? h("details", {}, h("summary", { text: fund.names_public ? text.fuPayersNamed(fund.payers.length) : text.fuPayersAnonymous(fund.payers.length) }),
      h("ul", {}, fund.payers.map((p) => h("li", { text: `${p.who}: ${vnd(p.amount)}` })))) : null);
}

async function renderReport() {
  const text = t();
  const unit = document.getElementById("report-unit").value;
  const from = document.getElementById("report-from").value;
  const to = document.getElementById("report-to").value;
  const target = document.getElementById("report");
  if (!unit || !from || !to) return;
  target.replaceChildren(status(text.loading));
  try {
    const query = `from=${from}&to=${to}`;
    const report = await get(funds(`/public/reports/${unit}?${query}`));
    const months = monthsBetween(from, to);
    target.replaceChildren(
      h("p", { class: "actions" },
        h("a", { href: funds(`/public/reports/${unit}.csv?${query}`), text: text.fuCsv, download: "" }), " ",
        h("a", { href: funds(`/public/reports/${unit}.pdf?${query}`), text: text.fuPdfReport, target: "_blank" })),
      ...(report.funds.length ? report.funds.map((f) => fundCard(f, months, text)) : [status(text.fuNoFunds)]));
  } catch (error) {
    target.replaceChildren(status(error.message, "error"));
  }
}

async function check(code) {
  const text = t();
  const result = document.getElementById("check-result");
  result.replaceChildren(status(text.loading));
  try {
    const found = await get(funds(`/public/receipts/${encodeURIComponent(code)}`));
    result.replaceChildren(h("div", { class: found.void ? "receipt void" : "receipt" },
      h("p", { class: found.void ? "error" : "ok", text: found.void ? text.fuReceiptVoid : text.fuReceiptGenuine }),
      h("p", { text: `${found.fund_name} · ${text.fuKind[found.fund_kind]}` }),
      h("p", { text: `${text.fuNumber}: ${found.number} · ${vnd(found.amount)} · ${text.fuMeans[found.means]} · ${dateTime(found.paid_at)}` })));
  } catch (error) {
    result.replaceChildren(status(error.message, "error"));
  }
}

function translate() {
  const text = t();
  document.documentElement.lang = session.lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = text[el.dataset.i18n]; });
  document.getElementById("lang").textContent = text.other;
}

async function start() {
  translate();
  const params = new URLSearchParams(location.search);
  const year = new Date().getFullYear();
  document.getElementById("report-from").value = params.get("from") || `${year}-01-01`;
  document.getElementById("report-to").value = params.get("to") || `${year}-12-31`;
  const units = await get("/feedback/api/v1/feedback/public/units");
  const order = { residential_group: 0, village: 0, ward: 1, commune: 1, special_zone: 1, province: 2 };
  units.sort((a, b) => (order[a.kind] ?? 3) - (order[b.kind] ?? 3) || a.name.localeCompare(b.name, "vi"));
  const choice = document.getElementById("report-unit");
  choice.replaceChildren(...units.map((u) => h("option", { value: u.unit_id, text: u.name })));
  if (params.get("unit")) choice.value = params.get("unit");
  document.getElementById("report-filters").addEventListener("change", renderReport);
  document.getElementById("check-form").addEventListener("submit", (event) => {
    event.preventDefault();
    check(document.getElementById("check-code").value.trim());
  });
  document.getElementById("lang").addEventListener("click", () => {
    session.lang = session.lang === "vi" ? "en" : "vi";
    localStorage.setItem("lang", session.lang);
    translate();
    renderReport();
  });
  // A receipt's QR code leads here with its code.
  const code = new URLSearchParams(location.hash.slice(1)).get("receipt");
  if (code) {
    document.getElementById("check-code").value = code;
    await check(code);
  }
  await renderReport();
}

start();
