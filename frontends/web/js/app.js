// The shell: sign-in, navigation by what the account may do, and a hash router over the views.
// A thin view over the services' public APIs: no business rules here.
import { call, can, registry, session, setToken } from "./api.js";
import { LABELS, TEXT } from "./i18n.js";
import { h, status } from "./dom.js";
import { adminView } from "./views/admin.js";
import { auditView } from "./views/audit.js";
import { correctionsView } from "./views/corrections.js";
import { householdView } from "./views/household.js";
import { householdsView } from "./views/households.js";
import { importView } from "./views/imports.js";
import { meView } from "./views/me.js";
import { personView } from "./views/person.js";
import { qualityView } from "./views/quality.js";
import { todoPanel } from "./views/todo.js";
import { unitsView } from "./views/units.js";
import { caseView, myCasesView } from "./views/feedback_cases.js";
import { queueView } from "./views/feedback_queue.js";
import { feedbackNewView } from "./views/feedback_submit.js";
import { grants, READERS } from "./feedback_api.js";
import { fundsView, fundView } from "./views/funds.js";
import { myFundsView } from "./views/funds_mine.js";
import { grants as fundGrants, READERS as FUND_READERS } from "./funds_api.js";
import { conversationsView, conversationView } from "./views/conversations.js";
import { announcementsView, deliveryView, noticesView, readsAnnouncements } from "./views/announcements.js";
import { boardView, emergenciesView, managesEmergencies } from "./views/emergencies.js";
import { contactsView, deliveriesView, managesChannels } from "./views/outbound.js";
import { pollsView, seesPolls } from "./views/polls.js";

const view = document.getElementById("view");
const context = () => ({ t: TEXT[session.lang], L: LABELS[session.lang] });

const ROUTES = [
  { pattern: /^#\/households$/, render: householdsView, href: "#/households", nav: "navHouseholds", allowed: () => can("households:read") },
  { pattern: /^#\/household\/([\w-]+)$/, render: householdView },
  { pattern: /^#\/person\/([\w-]+)$/, render: personView },
  { pattern: /^#\/quality$/, render: qualityView, href: "#/quality", nav: "navQuality", allowed: () => can("households:read") },
  { pattern: /^#\/corrections$/, render: correctionsView, href: "#/corrections", nav: "navCorrections", allowed: () => can("corrections:decide") || can("corrections:propose") },
  { pattern: /^#\/import$/, render: importView, href: "#/import", nav: "navImport", allowed: () => can("households:register") },
  { pattern: /^#\/me$/, render: meView, href: "#/me", nav: "navMe", allowed: () => Boolean(session.me.household_id) },
  // Feedback: the registry's /auth/me lists the registry's permissions only, so these go by the
  // roles (the officials who read cases) and by the household binding (residents file online).
  { pattern: /^#\/feedback\/new$/, render: feedbackNewView, href: "#/feedback/new", nav: "navFbNew", allowed: () => Boolean(session.me.household_id) },
  { pattern: /^#\/feedback\/mine$/, render: myCasesView, href: "#/feedback/mine", nav: "navFbMine", allowed: () => Boolean(session.me.household_id) },
  { pattern: /^#\/feedback\/queue$/, render: queueView, href: "#/feedback/queue", nav: "navFbQueue", allowed: () => grants(READERS).length > 0 },
  { pattern: /^#\/feedback\/case\/([\w-]+)$/, render: caseView },
  // Funds, like feedback, by the roles that read a unit's funds and by the household binding.
  { pattern: /^#\/funds$/, render: fundsView, href: "#/funds", nav: "navFunds", allowed: () => fundGrants(FUND_READERS).length > 0 },
  { pattern: /^#\/funds\/fund\/([\w-]+)$/, render: fundView },
  { pattern: /^#\/funds\/mine$/, render: myFundsView, href: "#/funds/mine", nav: "navFundsMine", allowed: () => Boolean(session.me.household_id) },
  // Announcements: a household's notices; the officials who write them or follow their delivery.
  { pattern: /^#\/notices$/, render: noticesView, href: "#/notices", nav: "navNotices", allowed: () => Boolean(session.me.household_id) },
  { pattern: /^#\/announcements$/, render: announcementsView, href: "#/announcements", nav: "navAnnouncements", allowed: readsAnnouncements },
  { pattern: /^#\/announcements\/([\w-]+)$/, render: deliveryView },
  // Emergencies: the officials who declare them and watch who is safe (households answer on their notices page).
  { pattern: /^#\/emergencies$/, render: emergenciesView, href: "#/emergencies", nav: "navEmergencies", allowed: managesEmergencies },
  { pattern: /^#\/emergencies\/([\w-]+)(?:\?.*)?$/, render: boardView },
  // Household decisions: a household votes; officials announce meetings and open polls.
  { pattern: /^#\/polls$/, render: pollsView, href: "#/polls", nav: "navPolls", allowed: seesPolls },
  // Outbound delivery: where a household's members receive notifications; the delivery log.
  { pattern: /^#\/contacts$/, render: contactsView, href: "#/contacts", nav: "navContacts", allowed: () => Boolean(session.me.household_id) },
  // Conversations: every resident (their household) and the officials who talk with residents.
  { pattern: /^#\/conversations$/, render: conversationsView, href: "#/conversations", nav: "navConversations",
    allowed: () => Boolean(session.me.household_id) || (session.me.roles || []).some((g) => ["group_leader", "area_police", "ward_official", "city_official"].includes(g.role)) },
  { pattern: /^#\/conversations\/([\w-]+)$/, render: conversationView },
  { pattern: /^#\/admin$/, render: adminView, href: "#/admin", nav: "navAdmin", allowed: () => can("roles:read") },
  { pattern: /^#\/units(?:\/([\w-]+))?(?:\?.*)?$/, render: unitsView, href: "#/units", nav: "navUnits", allowed: () => can("units:read") && !session.me.household_id },
  // The delivery log: city IT's gateways and the city's log, officials their units' log.
  { pattern: /^#\/deliveries$/, render: deliveriesView, href: "#/deliveries", nav: "navDeliveries",
    allowed: () => managesChannels() || readsAnnouncements() },
  { pattern: /^#\/audit$/, render: auditView, href: "#/audit", nav: "navAudit", allowed: () => can("access-log:read") },
];

function applyLanguage() {
  const { t } = context();
  document.documentElement.lang = session.lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t[el.dataset.i18n]; });
  document.getElementById("lang").textContent = t.other;
  document.getElementById("nav").setAttribute("aria-label", t.nav);
}

function renderNav() {
  const { t, L } = context();
  const me = session.me;
  document.getElementById("who").textContent =
    `${me.name} (${me.roles.map((r) => L.roles[r.role] || r.role).join(", ")})`;
  const links = ROUTES.filter((r) => r.nav && r.allowed()).map((r) =>
    h("li", {}, h("a", { href: r.href, text: t[r.nav], "aria-current": location.hash === r.href ? "page" : null })));
  document.getElementById("nav-links").replaceChildren(...links);
}

async function route() {
  if (!session.me) return;
  renderNav();
  const first = ROUTES.find((r) => r.nav && r.allowed());
  const target = ROUTES.find((r) => r.pattern.test(location.hash) && (!r.allowed || r.allowed()));
  if (!target) {
    if (first) location.hash = first.href;
    else view.replaceChildren();
    return;
  }
  const [, id] = location.hash.match(target.pattern);
  // Each visit renders into a page of its own: a slow answer for a page already left lands in a
  // detached element instead of over the current one.
  const page = h("div");
  view.replaceChildren(page);
  // An official's first screen starts with what needs doing (a resident's and an administrator's
  // first screens are their household and the accounts).
  const todo = document.getElementById("todo-slot");
  todo.replaceChildren(target === first && can("households:read") ? todoPanel(context()) : "");
  try {
    await target.render(page, context(), id);
  } catch (error) {
    page.replaceChildren(status(error.message, "error"));
  }
}

function signedOut() {
  setToken(null);
  navigator.serviceWorker?.controller?.postMessage("forget");
  session.me = null;
  document.getElementById("sign-in").hidden = false;
  document.getElementById("shell").hidden = true;
  view.replaceChildren();
}
session.onSignedOut = signedOut;

async function signedIn() {
  session.me = await call(registry("/auth/me"));
  document.getElementById("sign-in").hidden = true;
  document.getElementById("shell").hidden = false;
  await route();
}

document.getElementById("sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const error = document.getElementById("sign-in-error");
  try {
    const started = await call(registry("/auth/sign-in"), { method: "POST",
      body: { username: form.get("username"), password: form.get("password") } });
    setToken(started.access_token);
    error.textContent = "";
    event.target.reset();
    await signedIn();
  } catch (problem) {
    error.textContent = problem.message;
  }
});

document.getElementById("sign-out").addEventListener("click", async () => {
  await call(registry("/auth/sign-out"), { method: "POST" }).catch(() => null);
  signedOut();
});

document.getElementById("lang").addEventListener("click", () => {
  session.lang = session.lang === "vi" ? "en" : "vi";
  localStorage.setItem("lang", session.lang);
  applyLanguage();
  route();
});

// Offline (sw.js): the pages and a household's notices stay readable, acknowledgements and
// check-ins wait for the connection; the page tells the worker when it is back.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/web/sw.js", { scope: "/web/" }).catch(() => null);
  window.addEventListener("online", () => navigator.serviceWorker.controller?.postMessage("flush"));
}

window.addEventListener("hashchange", route);
applyLanguage();
if (session.token) signedIn().catch(signedOut);
