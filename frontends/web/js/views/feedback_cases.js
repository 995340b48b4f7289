// A resident's cases, and a case's page: where it stands against its deadline, its photos, the
// answer with its evidence, the timeline (internal notes marked, for officials only), and the
// steps the reader may take — the resident confirms and rates or reopens; the handling
// official accepts, replies, escalates, returns, resolves with evidence.
import { call, session, until } from "../api.js";
import { actionForm, dateTime, h, input, select, show, status } from "../dom.js";
import { allows, feedback, grants, HANDLERS, photoUrl, READERS, uploadPhoto } from "../feedback_api.js";

export async function myCasesView(view, { t }) {
  show(view, t.fbMine, status(t.loading));
  const cases = await call(feedback("/cases/mine"));
  const items = cases.map((c) => h("li", { class: "case" },
    h("a", { href: `#/feedback/case/${c.case_id}`, text: c.text.slice(0, 80) }), " ",
    statusBadge(c.status, t), " ", deadlineBadge(c.deadline_status, t),
    h("span", { class: "muted", text: ` — ${dateTime(c.submitted_at)}` })));
  show(view, t.fbMine, h("p", {}, h("a", { href: "#/feedback/new", text: t.fbNew })),
    items.length ? h("ul", { class: "cases", id: "my-cases" }, items) : status(t.fbNone));
}

export function statusBadge(code, t) {
  return h("span", { class: `badge status-${code}`, text: t.fbStatus[code] || code });
}

export function deadlineBadge(code, t) {
  return code ? h("span", { class: `badge deadline-${code}`, text: t.fbDeadline[code] }) : null;
}

async function photos(shas, label) {
  const urls = await Promise.all(shas.map((sha) => photoUrl(sha)));
  return h("div", { class: "photos", "aria-label": label },
    urls.filter(Boolean).map((url) => h("img", { src: url, alt: label, loading: "lazy" })));
}

export async function caseView(view, context, id) {
  const { t } = context;
  show(view, t.fbCase, status(t.loading));
  // A case just filed shows at once (it is read from its events); its timeline follows a moment later.
  const [item, timeline] = await Promise.all([call(feedback(`/cases/${id}`)),
    until(() => call(feedback(`/cases/${id}/timeline`)), (steps) => steps.length > 0)]);
  const official = grants(READERS).length > 0;
  const parts = [
    h("p", {}, statusBadge(item.status, t), " ", deadlineBadge(item.deadline_status, t),
      h("span", { class: "muted", text: ` ${t.fbLevel[item.level]}` })),
    h("p", { class: "case-text", text: item.text }),
    item.address ? h("p", { class: "muted", text: `${t.fbAddress}: ${item.address}` }) : null,
    item.due ? h("p", { text: t.fbDue(dateTime(item.due)) }) : null,
    item.attachments.length ? await photos(item.attachments, t.fbPhotos) : null,
  ];
  if (item.answer) {
    parts.push(h("section", { class: "answer", "aria-label": t.fbAnswer }, h("h3", { text: t.fbAnswer }),
      h("p", { text: item.answer }), await photos(item.evidence, t.fbEvidence),
      item.rating ? h("p", { text: t.fbRated(item.rating) }) : null));
  }
  parts.push(timelineList(timeline, t));
  const refresh = async (versions) => {
    // The timeline is a read model: wait until it shows the step just taken.
    await until(() => call(feedback(`/cases/${id}/timeline`)), (steps) => steps.length > versions);
    await caseView(view, context, id);
  };
  if (!official && allows("close", item.status)) parts.push(residentAnswer(item, t, () => refresh(timeline.length)));
  if (official) parts.push(handling(item, context, await neighbours(item), () => refresh(timeline.length)));
  show(view, t.fbCase, ...parts.filter(Boolean));
}

function timelineList(steps, t) {
  return h("section", { "aria-labelledby": "timeline-h" }, h("h3", { id: "timeline-h", text: t.fbTimeline }),
    h("ol", { class: "timeline", id: "timeline" }, steps.map((s) => h("li", { class: s.public ? "" : "internal" },
      h("strong", { text: t.fbStep[s.step] || s.step }), h("span", { class: "muted", text: ` ${dateTime(s.at)}` }),
      s.public ? null : h("span", { class: "badge internal", text: t.fbInternal }),
      s.reason ? h("p", { text: s.reason === "deadline_passed" ? t.fbDeadlinePassed : s.reason }) : null,
      s.text ? h("p", { text: s.text }) : null))));
}

function residentAnswer(item, t, done) {
  const stars = h("fieldset", { class: "stars" }, h("legend", { text: t.fbRate }),
    [1, 2, 3, 4, 5].map((n) => h("label", {}, h("input", { type: "radio", name: "rating", value: String(n), required: true }),
      h("span", { text: "★".repeat(n) }))));
  return h("section", { id: "resident-answer", "aria-label": t.fbYourAnswer },
    actionForm(t.fbConfirm, [stars], async (data) => {
      await call(feedback(`/cases/${item.case_id}/close`), { method: "POST", body: { rating: Number(data.get("rating")) } });
      await done();
    }),
    actionForm(t.fbReopen, [input("reason", t.fbReopenReason)], async (data) => {
      await call(feedback(`/cases/${item.case_id}/reopen`), { method: "POST", body: { reason: data.get("reason") } });
      await done();
    }));
}

// What returning and merging choose from: the units right below the case's unit, and the other
// open cases at its unit.
async function neighbours(item) {
  const [units, queue] = await Promise.all([
    item.level === "group" ? [] : call("/feedback/api/v1/directory/units").catch(() => []),
    call(feedback(`/queue?unit_id=${item.unit_id}`)).catch(() => []),
  ]);
  return {
    below: units.filter((u) => u.parent_id === item.unit_id).map((u) => [u.unit_id, u.name]),
    others: queue.filter((c) => c.case_id !== item.case_id).map((c) => [c.case_id, c.text.slice(0, 60)]),
  };
}

// The handling unit's steps, those the case's state allows, for the role of its level (the
// server checks the unit too and says so if it refuses).
function handling(item, { t }, { below, others }, done) {
  const handles = grants([HANDLERS[item.level]]).length > 0;
  const post = (step, body) => call(feedback(`/cases/${item.case_id}/${step}`), { method: "POST", body });
  const step = (name, title, fields, body) => (allows(name, item.status)
    ? actionForm(title, fields, async (data) => { await post(name, await body(data)); await done(); }) : null);
  const reason = () => input("reason", t.fbReason);
  const forms = handles ? [
    step("accept", t.fbAccept, [], () => ({})),
    step("start", t.fbStart, [], () => ({})),
    step("assign", t.fbAssignMe, [], () => ({ official: session.me.account_id })),
    step("replies", t.fbReply, [textArea("text", t.fbReplyText)], (d) => ({ text: d.get("text") })),
    step("resolve", t.fbResolve, [textArea("answer", t.fbAnswerText), fileInput("evidence", t.fbEvidencePhoto)],
      async (d) => ({ answer: d.get("answer"), evidence: [(await uploadPhoto(d.get("evidence"), false)).sha256] })),
    step("escalate", t.fbEscalate, [reason()], (d) => ({ reason: d.get("reason") })),
    below.length ? step("return", t.fbReturn, [select("unit_id", t.fbReturnTo, below), reason()],
      (d) => ({ unit_id: d.get("unit_id"), reason: d.get("reason") })) : null,
    step("reject", t.fbReject, [reason()], (d) => ({ reason: d.get("reason") })),
    others.length ? step("merge", t.fbMerge, [select("into", t.fbMergeInto, others), reason()],
      (d) => ({ into: d.get("into"), reason: d.get("reason") })) : null,
  ] : [h("p", { class: "muted", text: t.fbNotYourLevel })];
  const note = actionForm(t.fbNote, [textArea("text", t.fbNoteText)], async (data) => {
    await post("notes", { text: data.get("text") });
    await done();
  });
  return h("section", { id: "handling", "aria-label": t.fbHandling }, h("h3", { text: t.fbHandling }),
    ...forms.filter(Boolean), handles ? note : null);
}

function textArea(name, label) {
  return h("label", {}, h("span", { text: label }), h("textarea", { name, required: true, rows: "3", maxlength: "4000" }));
}

function fileInput(name, label) {
  return h("label", {}, h("span", { text: label }),
    h("input", { type: "file", name, required: true, accept: "image/*,application/pdf", capture: "environment" }));
}
