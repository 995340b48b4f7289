// The public page of outcomes and figures: no sign-in, nothing personal (the API gives none).
// Charts are drawn as SVG here: people would rather look at a year of cases than read it.
import { session } from "./api.js";
import { dateTime, h, status } from "./dom.js";
import { feedback } from "./feedback_api.js";
import { TEXT } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const t = () => TEXT[session.lang];

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

async function get(path) {
  const response = await fetch(feedback(path), { headers: { "Accept-Language": session.lang } });
  if (!response.ok) throw new Error(`${response.status}`);
  return response.json();
}

// Received, resolved and late cases per month, as grouped bars.
export function monthChart(months, text) {
  const series = [["received", "#2f6f9f"], ["resolved", "#3c8c4c"], ["late", "#c0392b"]];
  const top = Math.max(1, ...months.flatMap((m) => series.map(([key]) => m[key])));
  const width = 320, height = 160, slot = width / Math.max(1, months.length), bar = Math.max(2, slot / 4);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 20}`, role: "img", "aria-label": text.fbChartMonths, class: "chart" });
  months.forEach((m, i) => {
    series.forEach(([key, colour], j) => {
      const tall = (m[key] / top) * height;
      const rect = svg("rect", { x: i * slot + j * bar + 2, y: height - tall, width: bar - 1, height: tall, fill: colour });
      rect.append(svg("title", {}, `${m.month} ${text.fbFigure[key]}: ${m[key]}`));
      chart.append(rect);
    });
    chart.append(svg("text", { x: i * slot + 2, y: height + 14, "font-size": "9" }, m.month.slice(5)));
  });
  const legend = h("p", { class: "legend" }, series.map(([key, colour]) =>
    h("span", {}, h("span", { class: "swatch", style: `background:${colour}` }), ` ${text.fbFigure[key]} `)));
  return h("figure", {}, chart, legend);
}

// A share as a bar out of 100 %.
function shareBar(label, share) {
  const percent = share === null ? 0 : Math.round(share * 100);
  return h("div", { class: "share" }, h("span", { text: `${label}: ${share === null ? "—" : `${percent} %`}` }),
    h("div", { class: "bar", role: "img", "aria-label": `${label} ${percent} %` }, h("div", { style: `width:${percent}%` })));
}

// Every month of the period, those without cases as zeros: a gap in the bars is a quiet month.
function everyMonth(months, first, last) {
  const known = new Map(months.map((m) => [m.month, m]));
  const all = [];
  for (let [year, month] = first.split("-").map(Number); `${year}-${String(month).padStart(2, "0")}` <= last;) {
    const key = `${year}-${String(month).padStart(2, "0")}`;
    all.push(known.get(key) || { month: key, received: 0, resolved: 0, late: 0 });
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
  return all;
}

function figuresOf(figures, text, first, last) {
  const totals = figures.totals;
  return h("div", {},
    h("ul", { class: "totals" }, ["received", "resolved", "late", "escalated", "reopened"].map((key) =>
      h("li", {}, h("strong", { text: String(totals[key]) }), ` ${text.fbFigure[key]}`))),
    shareBar(text.fbHandledAtGroup, figures.handled_at_group_share),
    shareBar(text.fbOnTime, figures.on_time_share),
    h("p", { text: text.fbMeanRating(figures.mean_rating) }),
    monthChart(everyMonth(figures.months, first, last), text));
}

function outcome(o, text, categories) {
  return h("li", { class: "case" },
    h("strong", { text: categories.get(o.category) || o.category }),
    h("span", { class: "muted", text: ` — ${dateTime(o.submitted_at)} → ${o.resolved_at ? dateTime(o.resolved_at) : ""}` }),
    h("p", { text: o.answer || "" }),
    o.evidence.length ? h("img", { src: feedback(`/public/evidence/${o.evidence[0]}/thumbnail`), alt: text.fbEvidence, loading: "lazy" }) : null,
    o.rating ? h("p", { text: text.fbRated(o.rating) }) : null,
    o.public_name ? h("p", { class: "muted", text: text.fbBy(o.public_name) }) : null);
}

function lastTwelveMonths() {
  const now = new Date();
  const month = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
  return [month(new Date(now.getFullYear(), now.getMonth() - 11, 1)), month(now)];
}

async function render() {
  const text = t();
  document.documentElement.lang = session.lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = text[el.dataset.i18n]; });
  document.getElementById("lang").textContent = text.other;
  const unit = document.getElementById("public-unit").value;
  if (!unit) return;
  const [first, last] = lastTwelveMonths();
  const figures = document.getElementById("figures");
  const list = document.getElementById("outcome-list");
  figures.replaceChildren(status(text.loading));
  try {
    const [stats, outcomes, categories] = await Promise.all([
      get(`/public/statistics?unit_id=${unit}&first=${first}&last=${last}`),
      get(`/public/outcomes?unit_id=${unit}`),
      get("/public/categories"),
    ]);
    const names = new Map(categories.map((c) => [c.code, session.lang === "en" ? c.name_en : c.name_vi]));
    figures.replaceChildren(figuresOf(stats, text, first, last));
    list.replaceChildren(...(outcomes.length ? outcomes.map((o) => outcome(o, text, names)) : [h("li", { text: text.fbNone })]));
  } catch (error) {
    figures.replaceChildren(status(error.message, "error"));
  }
}

async function start() {
  const units = await get("/public/units");
  const choice = document.getElementById("public-unit");
  // Wards and the city first (their figures add up their groups), then groups and villages.
  const order = { province: 0, ward: 1, commune: 1, special_zone: 1, residential_group: 2, village: 2 };
  units.sort((a, b) => (order[a.kind] ?? 3) - (order[b.kind] ?? 3) || a.name.localeCompare(b.name, "vi"));
  choice.replaceChildren(...units.map((u) => h("option", { value: u.unit_id, text: u.name })));
  const wanted = new URLSearchParams(location.search).get("unit");
  if (wanted) choice.value = wanted;
  choice.addEventListener("change", render);
  document.getElementById("lang").addEventListener("click", () => {
    session.lang = session.lang === "vi" ? "en" : "vi";
    localStorage.setItem("lang", session.lang);
    render();
  });
  await render();
}

start();
