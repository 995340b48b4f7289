// A household's own funds page: what it owes to each levy (a voluntary fund only suggests, and
// says so), what it paid, a VietQR to pay the rest from any banking app, and its receipts.
import { call, session } from "../api.js";
import { calendarDay, dateTime, h, show, status } from "../dom.js";
import { funds, openPdf, svgOf, vnd } from "../funds_api.js";
import { kindBadge } from "./funds.js";

export async function myFundsView(view, { t }) {
  show(view, t.fuMine, status(t.loading));
  const mine = await call(funds(`/households/${session.me.household_id}`));
  const dues = mine.dues.map((d) => {
    const voluntary = d.fund_kind === "voluntary";
    const target = voluntary ? d.suggested : d.owed;
    const left = Math.max(0, target - d.paid);
    return h("li", { class: "case due" },
      h("strong", { text: d.fund_name }), " ", kindBadge(d.fund_kind, t),
      h("p", { class: "muted", text: `${calendarDay(d.period_from)} – ${calendarDay(d.period_to)}` }),
      voluntary ? h("p", { class: "note", text: t.fuVoluntaryNote }) : null,
      h("p", { text: voluntary ? t.fuSuggestedPaid(vnd(d.suggested), vnd(d.paid)) : t.fuOwedPaid(vnd(d.owed), vnd(d.paid)) }),
      left === 0 && target > 0 ? h("p", { class: "ok", text: t.fuSettled }) : null,
      d.qr ? h("figure", { class: "qr" }, svgOf(d.qr.svg),
        h("figcaption", { text: t.fuScan(vnd(left), d.reference) })) : null,
      h("p", { class: "muted", text: t.fuAnonymous(d.anonymous_code) }));
  });
  const receipts = mine.receipts.map((r) => h("li", { class: r.void ? "case void" : "case" },
    h("strong", { text: `${r.fund_name}: ${vnd(r.amount)}` }),
    h("span", { class: "muted", text: ` ${r.number} · ${t.fuMeans[r.means]} · ${dateTime(r.paid_at)}` }),
    r.void ? h("span", { class: "badge", text: t.fuVoid }) : null,
    h("p", { class: "muted", text: `${t.fuCheckCode}: ${r.code}` }),
    h("button", { type: "button", class: "small", text: t.fuPdf, onclick: () => openPdf(funds(`/receipts/${r.entry_id}.pdf`)).catch((e) => alert(e.message)) })));
  show(view, t.fuMine,
    h("p", { class: "muted", text: `${t.household}: ${mine.household_code}` }),
    h("section", { "aria-label": t.fuDues }, h("h3", { text: t.fuDues }),
      h("ul", { class: "cases" }, dues.length ? dues : [h("li", { text: t.fuNoDues })])),
    h("section", { "aria-label": t.fuReceipts }, h("h3", { text: t.fuReceipts }),
      h("ul", { class: "cases" }, receipts.length ? receipts : [h("li", { text: t.fuNoReceipts })])));
}
