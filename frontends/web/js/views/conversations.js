// Conversations (communication): a household with its group leader or the area police officer,
// a group's moderated channel, a unit's officials among themselves. The list says what is unread;
// an open conversation asks for what is new every few seconds while it is on screen.
import { call, session } from "../api.js";
import { dateTime, h, show, status } from "../dom.js";
import { fileButtons, sendFile } from "../files.js";

const conversations = (path = "") => `/communication/api/v1/conversations${path}`;
const POLL_MS = 3000;
// The roles that talk with residents or among officials (the registry's /auth/me lists only its
// own permissions, so the page goes by the roles).
const OFFICIALS = ["group_leader", "area_police", "ward_official", "city_official"];

function kindName(t, conversation) {
  return t.cvKinds[conversation.kind] || conversation.kind;
}

async function unitNames() {
  // Officials read the directory's units; a resident needs no names (their own group is implied).
  if (session.me.household_id) return {};
  const units = await call("/communication/api/v1/directory/units").catch(() => []);
  return Object.fromEntries(units.map((u) => [u.unit_id, u.name]));
}

export async function conversationsView(view, { t }) {
  show(view, t.cvTitle, status(t.loading));
  const [mine, names] = await Promise.all([call(conversations("?limit=100")), unitNames()]);
  const open = async (body) => {
    try {
      const made = await call(conversations(), { method: "POST", body });
      location.hash = `#/conversations/${made.conversation_id}`;
    } catch (error) {
      said.textContent = error.message;
    }
  };
  const said = h("p", { role: "alert", class: "error" });
  const starts = [];
  if (session.me.household_id) {
    starts.push(h("button", { type: "button", text: t.cvWithLeader, onclick: () => open({ kind: "resident-leader" }) }));
    starts.push(h("button", { type: "button", text: t.cvWithPolice, onclick: () => open({ kind: "resident-police" }) }));
    starts.push(h("button", { type: "button", text: t.cvGroupChannel, onclick: () => open({ kind: "group-channel" }) }));
  }
  for (const grant of (session.me.roles || []).filter((g) => OFFICIALS.includes(g.role))) {
    const unit = names[grant.unit_id] || "";
    starts.push(h("button", { type: "button", text: t.cvOfficialsOf(unit), onclick: () => open({ kind: "officials", unit_id: grant.unit_id }) }));
    if (grant.role === "group_leader") {
      starts.push(h("button", { type: "button", text: t.cvChannelOf(unit), onclick: () => open({ kind: "group-channel", unit_id: grant.unit_id }) }));
    }
  }
  const items = mine.map((c) => h("li", { class: "case" },
    h("a", { href: `#/conversations/${c.conversation_id}`, text: `${kindName(t, c)}${names[c.unit_id] ? ` · ${names[c.unit_id]}` : ""}` }),
    c.unread ? h("span", { class: "badge unread", text: t.cvUnread(c.unread) }) : null,
    h("p", { class: "muted", text: c.last_at ? t.cvLast(dateTime(c.last_at)) : t.cvEmpty })));
  show(view, t.cvTitle,
    h("div", { class: "actions" }, ...starts), said,
    h("ul", { class: "cases" }, items.length ? items : [h("li", { text: t.cvNone })]));
}

// A conversation just opened reaches the lists a moment later (its read model is projected from
// its events): a "not found" then is asked again for a few seconds.
async function opened(id) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call(conversations(`/${id}`));
    } catch (error) {
      if (error.status !== 404 || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export async function conversationView(view, { t }, id) {
  show(view, t.cvTitle, status(t.loading));
  const conversation = await opened(id);
  const list = h("ol", { class: "messages", "aria-live": "polite" });
  let last = 0;
  const append = (messages) => {
    for (const m of messages) {
      if (m.seq <= last) continue;
      last = m.seq;
      const mineToo = m.author_account === session.me.account_id;
      const hide = conversation.moderator && !m.hidden
        ? h("button", { type: "button", class: "small", text: t.cvHide, onclick: async () => {
          const reason = prompt(t.cvHideWhy);
          if (!reason) return;
          await call(conversations(`/${id}/messages/${m.message_id}/hide`), { method: "POST", body: { reason } })
            .then(() => { item.replaceChildren(h("em", { text: t.cvHidden(reason) })); })
            .catch((e) => alert(e.message));
        } }) : null;
      const item = h("li", { class: mineToo ? "message mine" : "message" },
        m.hidden ? h("em", { text: m.hidden_notice }) : h("p", { text: m.text }),
        fileButtons(m.attachment_ids, (a) => conversations(`/${id}/attachments/${a}`), (n) => `${t.cvFile} ${n}`),
        h("span", { class: "muted", text: ` ${dateTime(m.posted_at)} · ${m.author_household ? t.household : t.cvOfficial}` }), hide);
      list.append(item);
    }
  };
  const first = await call(conversations(`/${id}/messages?limit=50`));
  append(first.messages);
  const read = () => (last ? call(conversations(`/${id}/read`), { method: "POST", body: { up_to: last } }).catch(() => null) : null);
  await read();
  const text = h("textarea", { name: "text", required: true, maxlength: "2000", rows: "3", "aria-label": t.cvMessage });
  const attach = h("input", { type: "file", name: "files", multiple: true, accept: "image/*,application/pdf" });
  const error = h("p", { role: "alert", class: "error" });
  const send = h("button", { type: "submit", text: t.cvSend });
  const form = h("form", { class: "stack", "aria-label": t.cvSend }, text,
    h("label", {}, h("span", { text: t.cvFiles }), attach), send, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    send.disabled = true;
    try {
      const attachmentIds = [];
      for (const file of attach.files) attachmentIds.push(await sendFile(conversations("/attachments"), file));
      const posted = await call(conversations(`/${id}/messages`), { method: "POST",
        body: { text: text.value, attachment_ids: attachmentIds } });
      append([posted]);
      text.value = "";
      attach.value = "";
      error.textContent = "";
      await read();
    } catch (problem) {
      error.textContent = problem.message;
    } finally {
      send.disabled = false;
    }
  });
  show(view, kindName(t, conversation),
    conversation.moderator ? h("p", { class: "muted", text: t.cvModerator }) : null,
    list, form, h("p", {}, h("a", { href: "#/conversations", text: t.cvBack })));
  // New messages while the page is open; it stops once the page is left.
  const timer = setInterval(async () => {
    if (!view.isConnected) { clearInterval(timer); return; }
    const news = await call(conversations(`/${id}/messages?after=${last}`)).catch(() => null);
    if (news && news.messages.length) {
      append(news.messages);
      await read();
    }
  }, POLL_MS);
}
