// The resident pages' service worker: in a village the connection drops, so the pages keep working
// without it. The page itself and a household's notices are kept from their last answer; an
// acknowledgement or an emergency check-in made while offline is kept in order and sent once the
// connection returns (the page asks when it sees it back; Background Sync asks too where the
// browser has it). Nothing else is queued: a form the server must answer at once still fails.
const SHELL = "tothon-shell-v1";
const ANSWERS = "tothon-answers-v1";
const QUEUE_DB = "tothon-queue";
// The writes worth keeping for later: a household saying it read a notice, or that it is safe.
const QUEUED = [/\/communication\/api\/v1\/.*acknowledg/, /\/communication\/api\/v1\/.*check-?ins?$/];
// The reads a resident's page needs offline: who is signed in, the household's notices.
const KEPT = [/\/registry\/api\/v1\/auth\/me$/, /\/communication\/api\/v1\/households\/[\w-]+\/(feed|notices|emergencies)$/,
  /\/communication\/api\/v1\/emergencies/];

self.addEventListener("install", (event) => { event.waitUntil(self.skipWaiting()); });
self.addEventListener("activate", (event) => { event.waitUntil(self.clients.claim().then(flush)); });

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (request.method === "GET" && url.pathname.startsWith("/web/")) {
    event.respondWith(shell(request));
  } else if (request.method === "GET" && KEPT.some((p) => p.test(url.pathname))) {
    event.respondWith(networkFirst(request));
  } else if (request.method === "POST" && QUEUED.some((p) => p.test(url.pathname))) {
    event.respondWith(sendOrQueue(request));
  }
});

self.addEventListener("message", (event) => {
  if (event.data === "flush") event.waitUntil(flush());
  // Signed out: what the last person saw is not left for the next one on a shared phone.
  if (event.data === "forget") event.waitUntil(caches.delete(ANSWERS));
});
self.addEventListener("sync", (event) => { if (event.tag === "tothon-queue") event.waitUntil(flush()); });

// The page's files: the cached copy at once, refreshed behind it.
async function shell(request) {
  const cache = await caches.open(SHELL);
  const cached = await cache.match(request);
  const fresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  }).catch(() => cached || Response.error());
  return cached || fresh;
}

async function networkFirst(request) {
  const cache = await caches.open(ANSWERS);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (offline) {
    const cached = await cache.match(request);
    if (cached) {
      const headers = new Headers(cached.headers);
      headers.set("X-Tothon-Offline", "1"); // the page says the list is as last seen
      return new Response(cached.body, { status: cached.status, headers });
    }
    throw offline;
  }
}

async function sendOrQueue(request) {
  const kept = { url: request.url, method: request.method, body: await request.clone().text(),
    headers: [...request.headers.entries()], at: Date.now() };
  try {
    return await fetch(request);
  } catch (offline) {
    await put(kept);
    if (self.registration.sync) self.registration.sync.register("tothon-queue").catch(() => null);
    return new Response(JSON.stringify({ queued: true }), {
      status: 202, headers: { "Content-Type": "application/json", "X-Tothon-Queued": "1" } });
  }
}

// Sends what was kept, oldest first; stops at the first that cannot reach the server. An answer
// of any kind (a refusal too: acknowledged already, the emergency over) ends its wait.
let flushing = null;
function flush() {
  flushing = flushing || (async () => {
    try {
      const waiting = await all();
      if (!waiting.length) return;
      for (const item of waiting) {
        try {
          await fetch(item.url, { method: item.method, headers: new Headers(item.headers), body: item.body });
        } catch (offline) {
          return;
        }
        await remove(item.id);
      }
      for (const client of await self.clients.matchAll()) client.postMessage("flushed");
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

function db() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(QUEUE_DB, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("writes", { keyPath: "id", autoIncrement: true });
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
}

async function withStore(mode, work) {
  const base = await db();
  return new Promise((resolve, reject) => {
    const tx = base.transaction("writes", mode);
    const result = work(tx.objectStore("writes"));
    tx.oncomplete = () => resolve(result.result);
    tx.onerror = () => reject(tx.error);
  });
}

const put = (item) => withStore("readwrite", (store) => store.add(item));
const all = () => withStore("readonly", (store) => store.getAll());
const remove = (id) => withStore("readwrite", (store) => store.delete(id));
