// Announcements (communication): a household's notices, live, acknowledged even offline (the
// service worker keeps the acknowledgement until the connection returns); an official writes a
// notice after seeing how many households it reaches, and follows its delivery per unit.
import { call, session, until } from "../api.js";
import { dateTime, h, show, status } from "../dom.js";
import { fileButtons, sendFile } from "../files.js";
import { checkInPanel } from "./emergencies.js";
import { personalPanel } from "./outbound.js";

const api = (path) => `/communication/api/v1${path}`;
export const WRITERS = ["group_leader", "ward_official", "city_official"];
const READERS = ["group_leader", "area_police", "ward_official", "city_official"];
const TELLERS = ["group_leader", "ward_official"];

function grantsOf(roles) {
  return (session.me?.roles || []).filter((g) => roles.includes(g.role));
}
export const readsAnnouncements = () => grantsOf(READERS).length > 0;

function badges(t, n) {
  return [h("span", { class: `badge cat-${n.category}`, text: t.anCategories[n.category] }),
    n.priority === "urgent" ? h("span", { class: "badge urgent", text: t.anUrgent }) : null,
    n.heads_only ? h("span", { class: "badge", text: t.anHeadsBadge }) : null,
    ...(n.bands || []).map((b) => h("span", { class: "badge", text: t.anBands[b] }))];
}

// The household's feed, read with the tab's token; the service worker answers from its copy
// when offline and says so.
async function feedOf(household) {
  const headers = { "Accept-Language": session.lang, Authorization: `Bearer ${session.token}` };
  const response = await fetch(api(`/households/${household}/feed`), { headers });
  if (!response.ok) throw new Error(`${response.status}`);
  return { items: await response.json(), offline: response.headers.get("X-Tothon-Offline") === "1" };
}

// Server-Sent Events read with fetch (an EventSource cannot send the token): ``onFeed`` on each
// "feed" event; reconnects after a drop while the page is open.
function listen(household, view, onFeed) {
  const run = async () => {
    while (view.isConnected) {
      try {
        const response = await fetch(api(`/households/${household}/feed/events`),
          { headers: { Authorization: `Bearer ${session.token}`, Accept: "text/event-stream" } });
        if (!response.ok || !response.body) throw new Error(`${response.status}`);
        // Connected again: whatever waited offline goes now (the browser's "online" event is
        // not always seen, nor Background Sync available).
        navigator.serviceWorker?.controller?.postMessage("flush");
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        while (view.isConnected) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, "\n"); // events end with a blank line, CRLF or LF
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (/^event: feed$/m.test(block)) await onFeed();
          }
        }
        reader.cancel().catch(() => null);
      } catch (dropped) {
        // offline, or the server restarted: try again shortly
      }
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  };
  run();
}

export async function noticesView(view, { t }) {
  const household = session.me.household_id;
  show(view, t.anMine, status(t.loading));
  const list = h("ul", { class: "cases notices", "aria-live": "polite" });
  const note = h("p", { class: "muted" });
  const emergencies = checkInPanel(household, t); // open typhoons and floods: safe or need help?
  const personal = personalPanel(household, t); // the household's own: its cases, dues, receipts
  const render = async () => {
    emergencies.refresh();
    personal.refresh();
    let feed;
    try {
      feed = await feedOf(household);
    } catch (error) {
      note.textContent = t.anOfflineNone;
      return;
    }
    note.textContent = feed.offline ? t.anOfflineCopy : "";
    list.replaceChildren(...(feed.items.length ? feed.items.map((n) => noticeItem(n, household, t)) : [h("li", { text: t.anNone })]));
  };
  await render();
  show(view, t.anMine, note, emergencies.panel, list, personal.panel);
  listen(household, view, render);
  // What waited offline is tried again every few seconds while the page is open: the browser's
  // "online" event is not always seen, and a stream left open says nothing of the connection.
  const retry = setInterval(() => {
    if (!view.isConnected) { clearInterval(retry); return; }
    navigator.serviceWorker?.controller?.postMessage("flush");
  }, 5000);
  // Sent from the queue when the connection came back: the list as the server now has it.
  // (Read again a moment later too: the server records at once, its lists follow within a second.)
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data !== "flushed") return;
    for (const wait of [0, 1500, 4000]) setTimeout(() => { if (view.isConnected) render(); }, wait);
  });
}

function noticeItem(n, household, t) {
  const done = h("p", { class: "ok", text: n.acknowledged_at ? t.anAcknowledged(dateTime(n.acknowledged_at)) : "" });
  const ack = n.requires_ack && !n.acknowledged_at && !n.retracted_reason
    ? h("button", { type: "button", text: t.anAcknowledge, onclick: async (event) => {
      event.target.disabled = true;
      try {
        const answer = await call(api(`/announcements/${n.announcement_id}/acknowledgements`),
          { method: "POST", body: { household_id: household } });
        done.className = answer && answer.queued ? "note" : "ok";
        done.textContent = answer && answer.queued ? t.anQueued : t.anAcknowledged(dateTime(new Date().toISOString()));
        event.target.remove();
      } catch (error) {
        event.target.disabled = false;
        done.textContent = error.message;
      }
    } }) : null;
  return h("li", { class: n.retracted_reason ? "case void" : "case" },
    h("strong", { text: n.title }), " ", ...badges(t, n),
    h("p", { class: "muted", text: dateTime(n.publish_at) }),
    n.retracted_reason ? h("p", { class: "error", text: t.anRetracted(n.retracted_reason) }) : h("p", { class: "notice-body", text: n.body }),
    n.retracted_reason ? null : files(n, t),
    n.requires_ack && !n.acknowledged_at && !n.retracted_reason ? h("p", { class: "note", text: t.anPleaseAck }) : null,
    ack, done);
}

// The photos and PDFs a notice carries, read with the tab's token.
export function files(n, t) {
  return fileButtons(n.attachment_ids, (a) => api(`/announcements/${n.announcement_id}/attachments/${a}`), t.anFile);
}

async function unitNames() {
  const units = await call(api("/directory/units")).catch(() => []);
  return Object.fromEntries(units.map((u) => [u.unit_id, u]));
}

export async function announcementsView(view, { t }) {
  show(view, t.anTitle, status(t.loading));
  const units = await unitNames();
  const grants = grantsOf(READERS);
  const writable = grantsOf(WRITERS);
  const sections = [];
  if (writable.length) sections.push(composeForm(view, t, writable, units));
  for (const grant of grants) {
    const written = await call(api(`/announcements?unit_id=${grant.unit_id}&limit=20`));
    sections.push(h("section", { "aria-label": t.anWrittenAt(units[grant.unit_id]?.name || "") },
      h("h3", { text: t.anWrittenAt(units[grant.unit_id]?.name || "") }),
      h("ul", { class: "cases" }, written.length ? written.map((n) => h("li", { class: "case" },
        h("a", { href: `#/announcements/${n.announcement_id}`, text: n.title }), " ", ...badges(t, n),
        h("p", { class: "muted", text: `${dateTime(n.publish_at)} · ${units[n.unit_id]?.name || ""}` }))) : [h("li", { text: t.anNone })])));
  }
  show(view, t.anTitle, ...sections);
}

function composeForm(view, t, writable, units) {
  const unit = h("select", { name: "unit_id", required: true },
    writable.map((g) => h("option", { value: g.unit_id, text: units[g.unit_id]?.name || g.unit_id })));
  const title = h("input", { name: "title", required: true, maxlength: "200" });
  const body = h("textarea", { name: "body", required: true, rows: "5", maxlength: "10000" });
  const category = h("select", { name: "category" }, Object.entries(t.anCategories).map(([v, text]) => h("option", { value: v, text })));
  category.value = "local_notice";
  const priority = h("select", { name: "priority" }, [["normal", t.anNormal], ["urgent", t.anUrgent]].map(([v, text]) => h("option", { value: v, text })));
  const reach = h("p", { class: "preview", "aria-live": "polite" });
  // Narrowing beyond the unit: households with members of some ages (the registry's counts), and
  // whether it is addressed to the heads of household.
  const bands = Object.entries(t.anBands).map(([value, text]) =>
    h("label", { class: "inline" }, h("input", { type: "checkbox", name: "bands", value }), " ", text));
  const heads = h("input", { type: "checkbox", name: "heads_only" });
  const chosen = () => bands.map((b) => b.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
  const preview = async () => {
    const query = new URLSearchParams([["unit_id", unit.value], ...chosen().map((b) => ["bands", b])]);
    const counted = await call(api(`/announcements/preview?${query}`)).catch(() => null);
    reach.textContent = counted ? t.anReach(counted.households) : "";
  };
  unit.addEventListener("change", preview);
  bands.forEach((b) => b.addEventListener("change", preview));
  preview();
  const attach = h("input", { type: "file", name: "files", multiple: true, accept: "image/*,application/pdf" });
  const error = h("p", { role: "alert", class: "error" });
  const form = h("form", { class: "stack", "aria-label": t.anWrite },
    h("label", {}, h("span", { text: t.anUnit }), unit),
    h("fieldset", {}, h("legend", { text: t.anBandsLegend }), ...bands),
    h("label", { class: "inline" }, heads, " ", t.anHeadsOnly), reach,
    h("label", {}, h("span", { text: t.anHeading }), title),
    h("label", {}, h("span", { text: t.anBody }), body),
    h("label", {}, h("span", { text: t.anCategory }), category),
    h("label", {}, h("span", { text: t.anPriority }), priority),
    h("label", {}, h("span", { text: t.anFiles }), attach),
    h("button", { type: "submit", text: t.anPublish }), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const attachmentIds = [];
      for (const file of attach.files) attachmentIds.push(await sendFile(api("/announcements/attachments"), file));
      const made = await call(api("/announcements"), { method: "POST", body: {
        attachment_ids: attachmentIds,
        unit_id: unit.value, title: title.value, body: body.value, category: category.value, priority: priority.value,
        bands: chosen(), heads_only: heads.checked } });
      location.hash = `#/announcements/${made.announcement_id}`;
    } catch (problem) {
      error.textContent = problem.message;
    }
  });
  return h("details", { open: true }, h("summary", { text: t.anWrite }), form);
}

// A notice just written reaches the read model a moment later: "not found" is asked again.
async function written(id) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call(api(`/announcements/${id}`));
    } catch (error) {
      if (error.status !== 404 || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

// A notice's delivery: per unit, how many households it reaches and how many read and
// acknowledged it (bars to compare at a glance), and for a group's leader who has not yet.
export async function deliveryView(view, { t }, id) {
  show(view, t.anTitle, status(t.loading));
  const notice = await written(id);
  const stats = await call(api(`/announcements/${id}/statistics`));
  const rows = stats.map((s) => h("tr", {},
    h("th", { scope: "row", text: s.unit_name }),
    h("td", {}, bar(s.acknowledged, s.reached, t.anAckShare(s.acknowledged, s.reached))),
    h("td", { text: String(s.read) }), h("td", { text: String(s.offline) })));
  const table = h("table", { class: "collection delivery" },
    h("thead", {}, h("tr", {}, [t.anUnit, t.anAckCol, t.anReadCol, t.anOfflineCol].map((c) => h("th", { text: c })))),
    h("tbody", {}, rows));
  const pending = [];
  for (const grant of grantsOf(TELLERS)) {
    const left = await call(api(`/announcements/${id}/pending?unit_id=${grant.unit_id}`)).catch(() => []);
    if (!left.length && grant.role !== "group_leader") continue;
    // The whole list at once, after a round with the loudspeaker.
    const all = left.length ? h("button", { type: "button", class: "small", text: t.anAllLoudspeaker, onclick: async (event) => {
      event.target.disabled = true;
      await call(api(`/announcements/${id}/acknowledgements/batch`), { method: "POST",
        body: { household_ids: left.slice(0, 500).map((p) => p.household_id), means: "loudspeaker" } })
        .then(() => until(() => call(api(`/announcements/${id}/pending?unit_id=${grant.unit_id}`)), (rest) => rest.length === 0))
        .then(() => deliveryView(view, { t }, id))
        .catch((e) => { event.target.disabled = false; alert(e.message); });
    } }) : null;
    pending.push(h("section", { "aria-label": t.anPending },
      h("h3", { text: t.anPending }), all,
      h("ul", { class: "cases" }, left.length ? left.map((p) => h("li", { class: "case" },
        h("strong", { text: p.household_code }), " ",
        ...["in_person", "loudspeaker"].map((means) => h("button", { type: "button", class: "small", text: t.anTold[means], onclick: async (event) => {
          event.target.disabled = true;
          await call(api(`/announcements/${id}/acknowledgements`), { method: "POST", body: { household_id: p.household_id, means } })
            .then(() => event.target.closest("li").replaceChildren(h("span", { text: `${p.household_code}: ${t.anTold[means]}` })))
            .catch((e) => { event.target.disabled = false; alert(e.message); });
        } })))) : [h("li", { class: "ok", text: t.anAllTold })])));
  }
  show(view, notice.title, ...badges(t, notice),
    h("p", { class: "notice-body", text: notice.body }),
    files(notice, t),
    notice.retracted_reason ? h("p", { class: "error", text: t.anRetracted(notice.retracted_reason) }) : null,
    loudspeaker(id, t),
    h("section", { "aria-label": t.anDelivery }, h("h3", { text: t.anDelivery }), h("div", { class: "table-scroll" }, table)),
    ...pending,
    h("p", {}, h("a", { href: "#/announcements", text: t.anBack })));
}

function bar(part, whole, label) {
  const share = whole ? Math.round((100 * part) / whole) : 0;
  return h("div", { class: "bar", role: "img", "aria-label": label },
    h("span", { class: "fill", style: `width: ${share}%` }), h("span", { class: "label", text: label }));
}

// The notice read aloud (MP3, made on the server in Vietnamese) for the village loudspeaker:
// fetched with the tab's token, then played here or saved.
function loudspeaker(id, t) {
  const place = h("div", { class: "loudspeaker" });
  const button = h("button", { type: "button", class: "small", text: t.anAudio, onclick: async () => {
    button.disabled = true;
    try {
      const response = await fetch(api(`/announcements/${id}/audio.mp3`),
        { headers: { Authorization: `Bearer ${session.token}`, "Accept-Language": session.lang } });
      if (!response.ok) throw new Error((await response.json().catch(() => ({}))).detail || `${response.status}`);
      const link = URL.createObjectURL(await response.blob());
      place.replaceChildren(h("audio", { controls: true, src: link, "aria-label": t.anAudio }),
        h("a", { href: link, download: `thong-bao-${id}.mp3`, text: t.anAudioSave }));
    } catch (error) {
      place.replaceChildren(h("p", { class: "error", text: error.message }));
    }
  } });
  place.append(button);
  return place;
}
