// The feedback service's API as the pages use it: its paths, photos sent raw and shown from
// blob URLs (an <img src> would send no token), and the workflow table the pages mirror.
import { session } from "./api.js";

export const feedback = (path) => `/feedback/api/v1/feedback${path}`;

// Which step each state allows (services/feedback/tothon_feedback/domain/workflow.py); the page
// offers these, and the server still decides.
const OPEN = ["submitted", "accepted", "in_progress"];
export const ALLOWED = {
  accept: ["submitted"], start: ["accepted"], resolve: ["accepted", "in_progress"],
  close: ["resolved"], reopen: ["resolved"],
  escalate: OPEN, return: OPEN, reject: OPEN, merge: OPEN, assign: OPEN, replies: OPEN,
};
export const allows = (step, status) => ALLOWED[step].includes(status);

// Officials of the levels that handle cases, the role a case's level needs.
export const HANDLERS = { group: "group_leader", ward: "ward_official", city: "city_official" };
export const READERS = ["group_leader", "area_police", "ward_official", "city_official"];

export function grants(roles) {
  return (session.me?.roles || []).filter((g) => roles.includes(g.role));
}

// A photo taken on the phone (or a PDF), sent as the body; its reference (sha256) comes back.
export async function uploadPhoto(file, shareLocation) {
  const headers = { "Accept-Language": session.lang, "Content-Type": file.type || "application/octet-stream" };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  const response = await fetch(`${feedback("/attachments")}?share_location=${shareLocation}`,
    { method: "POST", headers, body: file });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || body.title || `${response.status}`);
  return body;
}

// A case's photo (or its thumbnail) as a blob URL, fetched with this tab's token.
export async function photoUrl(sha, thumbnail = true) {
  const headers = {};
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  const response = await fetch(feedback(`/attachments/${sha}${thumbnail ? "/thumbnail" : ""}`), { headers });
  if (!response.ok) return null;
  return URL.createObjectURL(await response.blob());
}
