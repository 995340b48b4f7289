// Photos and PDFs the communication service keeps for notices and messages: sent as a form's file
// field, and read back with the tab's token (a plain link would go without it and be refused).
import { session } from "./api.js";
import { h } from "./dom.js";

function headers() {
  return { Authorization: `Bearer ${session.token}`, "Accept-Language": session.lang };
}

// A photo or PDF sent to an upload route; its id to cite in the notice or message.
export async function sendFile(url, file) {
  const form = new FormData();
  form.append("file", file);
  const response = await fetch(url, { method: "POST", body: form, headers: headers() });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.detail || answer.title || `${response.status}`);
  return answer.attachment_id;
}

// One button per file: fetched when asked, then shown (a photo) or offered for saving (a PDF).
// `urlOf(id)` names the route that reads a file; `label(n)` the n-th file's name.
export function fileButtons(ids, urlOf, label) {
  if (!ids || !ids.length) return null;
  return h("div", { class: "actions files" }, ...ids.map((id, i) => {
    const button = h("button", { type: "button", class: "small", text: label(i + 1), onclick: async () => {
      button.disabled = true;
      const response = await fetch(urlOf(id), { headers: headers() });
      if (!response.ok) { button.disabled = false; return; }
      const blob = await response.blob();
      const link = URL.createObjectURL(blob);
      button.replaceWith(blob.type.startsWith("image/")
        ? h("a", { href: link, target: "_blank" }, h("img", { src: link, alt: label(i + 1), class: "notice-photo" }))
        : h("a", { href: link, download: `tep-${i + 1}.pdf`, text: label(i + 1) }));
    } });
    return button;
  }));
}
