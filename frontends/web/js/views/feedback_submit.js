// A resident files feedback: category, words, place, a photo taken on the phone, and whether the
// position and their name may be shared. A repeat of an open case and a text that reads like a
// complaint are answered with what to do, and sent again only when the resident says so.
import { call, session } from "../api.js";
import { h, input, select, show, status } from "../dom.js";
import { feedback, uploadPhoto } from "../feedback_api.js";
import { choices } from "../forms.js";

export const categoryName = (c) => (session.lang === "en" ? c.name_en : c.name_vi);

export async function feedbackNewView(view, { t }) {
  show(view, t.fbNew, status(t.loading));
  const categories = await call(feedback("/public/categories"));
  const formal = categories.filter((c) => c.formal_procedure).map(categoryName);
  const offered = categories.filter((c) => !c.formal_procedure).map((c) => [c.code, categoryName(c)]);
  const outcome = h("div", { id: "feedback-outcome", "aria-live": "polite" });
  const form = h("form", { class: "stack", id: "feedback-form", "aria-label": t.fbNew },
    select("category", t.fbCategory, choices(offered, t)),
    h("label", {}, h("span", { text: t.fbText }), h("textarea", { name: "text", required: true, maxlength: "4000", rows: "5" })),
    input("address", t.fbAddress, { required: false, maxlength: "300" }),
    h("label", {}, h("span", { text: t.fbPhoto }),
      h("input", { type: "file", name: "photo", accept: "image/*,application/pdf", capture: "environment" })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "share_position" }), h("span", { text: t.fbSharePosition })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "name_public" }), h("span", { text: t.fbNamePublic })),
    h("button", { type: "submit", text: t.fbSend }), outcome);
  let sent = null; // what was sent last: sent again, as it was, when the resident confirms
  const send = async (extra) => {
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      sent = { ...(sent || await prepare(form, t, outcome)), ...extra };
      outcome.replaceChildren(status(t.fbSending));
      const created = await call(feedback("/cases"), { method: "POST", body: sent });
      location.hash = `#/feedback/case/${created.case_id}`;
    } catch (error) {
      outcome.replaceChildren(...answerTo(error, t, send));
    } finally {
      button.disabled = false;
    }
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); sent = null; send({}); });
  show(view, t.fbNew, form, h("p", { class: "muted", text: t.fbFormalNote(formal.join(", ")) }));
}

// The body of a submission: the photo uploaded first (its progress shown), the position asked
// of the phone only when the resident ticked it.
async function prepare(form, t, outcome) {
  const data = new FormData(form);
  const share = data.get("share_position") === "on";
  const body = { category: data.get("category"), text: data.get("text"), address: data.get("address") || "",
    name_public: data.get("name_public") === "on", share_position: share, attachments: [] };
  const photo = form.querySelector("input[name=photo]").files[0];
  if (photo) {
    outcome.replaceChildren(status(t.fbUploading));
    body.attachments = [(await uploadPhoto(photo, share)).sha256];
  }
  if (share && navigator.geolocation) {
    const position = await new Promise((resolve) => navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }), () => resolve(null), { timeout: 10000 }));
    if (position) body.position = position;
  }
  return body;
}

// A refusal as the resident can act on it: the open case it repeats, the procedure it belongs
// to, or the reason in words.
function answerTo(error, t, send) {
  const problem = error.problem || {};
  if (error.status === 409 && problem.case_id) {
    return [status(error.message, "error"), h("p", {}, h("a", { href: `#/feedback/case/${problem.case_id}`, text: t.fbSeeOpen })),
      h("button", { type: "button", text: t.fbAnotherMatter, onclick: () => send({ not_a_repeat: true }) })];
  }
  if (error.status === 422 && problem.procedure) {
    return [status(error.message, "error"), h("p", { text: t.fbLaw(problem.law) }),
      h("button", { type: "button", text: t.fbOnlyFeedback, onclick: () => send({ not_a_complaint: true }) })];
  }
  return [status(error.message, "error")];
}
