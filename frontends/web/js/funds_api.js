// The funds service's API as the pages use it: its paths, the roles that keep or read funds
// (the registry's /auth/me lists the registry's permissions only), money and kinds in words.
import { session } from "./api.js";

export const funds = (path = "") => `/funds/api/v1/funds${path}`;

export const READERS = ["group_leader", "ward_official", "city_official"];
export const KEEPERS = ["group_leader", "ward_official"];
export const APPROVERS = ["group_leader", "ward_official"];

export function grants(roles) {
  return (session.me?.roles || []).filter((g) => roles.includes(g.role));
}

// Whole đồng, grouped the Vietnamese way: 1.500.000 ₫.
export function vnd(amount) {
  return `${new Intl.NumberFormat("vi-VN").format(amount)} ₫`;
}

// A PDF from the API (receipts), opened with this tab's token in a new tab.
export async function openPdf(url) {
  const headers = { "Accept-Language": session.lang };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  const response = await fetch(url, { headers });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail || problem.title || `${response.status}`);
  }
  const link = URL.createObjectURL(await response.blob());
  window.open(link, "_blank");
  setTimeout(() => URL.revokeObjectURL(link), 60000);
}

// An SVG the API made (a VietQR): parsed as SVG, never as HTML, and only its own elements kept.
export function svgOf(text) {
  // An inline SVG (as segno writes it for HTML) names no namespace: an XML parser needs it.
  const xml = text.includes("xmlns=") ? text : text.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"');
  const parsed = new DOMParser().parseFromString(xml, "image/svg+xml").documentElement;
  if (parsed.nodeName !== "svg" || parsed.querySelector("script, foreignObject")) return document.createElement("span");
  return document.importNode(parsed, true);
}

// A photo or PDF of an invoice, sent as a form's file; the id an expense cites comes back.
export async function uploadEvidence(file) {
  const headers = { "Accept-Language": session.lang };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  const form = new FormData();
  form.append("file", file);
  const response = await fetch(funds("/evidence"), { method: "POST", headers, body: form });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || body.title || `${response.status}`);
  return body.attachment_id;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A piece of evidence: an uploaded file's link, or the document's reference as written.
export function evidenceItem(item, label, h) {
  return UUID.test(item) ? h("a", { href: funds(`/evidence/${item}`), text: label, target: "_blank" }) : h("span", { text: item });
}
