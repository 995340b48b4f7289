// The services' public APIs, with the bearer token of this tab and problem details as errors.
export const session = {
  token: sessionStorage.getItem("token"),
  lang: localStorage.getItem("lang") || "vi",
  me: null,
  onSignedOut: () => {},
};

export function setToken(token) {
  session.token = token;
  if (token) sessionStorage.setItem("token", token); else sessionStorage.removeItem("token");
}

export async function call(url, options = {}) {
  const response = await send(url, options);
  return response.status === 204 ? null : response.json();
}

// A page of a list, and how many there are in all (the X-Total-Count header).
export async function callPage(url) {
  const response = await send(url);
  return { items: await response.json(), total: Number(response.headers.get("X-Total-Count") || 0) };
}

async function send(url, { method = "GET", body } = {}) {
  const headers = { "Accept-Language": session.lang };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && session.token) session.onSignedOut();
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    const fields = (problem.errors || []).map((e) => `${e.field}: ${e.message}`).join("; ");
    const error = new Error([problem.detail || problem.title || `${response.status}`, fields].filter(Boolean).join(" — "));
    error.status = response.status;
    error.problem = problem; // its fields too (the open case a submission repeats, the law it reads like)
    throw error;
  }
  return response;
}

export const registry = (path) => `/registry/api/v1${path}`;

// A file as the request body (spreadsheets for import), answered like any other call.
export async function upload(url, file) {
  const headers = { "Accept-Language": session.lang, "Content-Type": "application/octet-stream" };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  const response = await fetch(url, { method: "POST", headers, body: file });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    // A file refused at a row, or for columns it lacks, says which.
    const rows = (problem.errors || []).map((e) => (session.lang === "en" && e.message_en) || e.message);
    const missing = problem.missing ? [problem.missing.join(", ")] : [];
    if (problem.columns) missing.push(problem.columns.join(", ")); // the columns a file should not have
    const error = new Error([problem.detail || problem.title || `${response.status}`, ...rows, ...missing].join(" — "));
    error.status = response.status;
    throw error;
  }
  return response.json();
}

// A file from the API (exports): fetched with this tab's token, then saved by the browser.
export async function download(url, filename) {
  const headers = { "Accept-Language": session.lang };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  const response = await fetch(url, { headers });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail || problem.title || `${response.status}`);
  }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  // How many rows lack a value the server could not read (the file is still whole otherwise).
  return Number(response.headers.get("X-Export-Incomplete-Rows") || 0);
}

export function can(permission) {
  return Boolean(session.me && session.me.permissions.includes(permission));
}

// Read models follow the event store a moment later: after a command, read again until the
// change shows (or give up after a few seconds and show what there is).
export async function until(read, done, { tries = 25, pause = 200 } = {}) {
  let value = await read();
  for (let i = 1; i < tries && !done(value); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    value = await read();
  }
  return value;
}
