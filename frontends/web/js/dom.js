// Building the page from data without ever parsing data as HTML.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "text") element.textContent = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined));
  return element;
}

// A view's heading takes the focus, so screen readers announce the new page.
export function show(view, heading, ...content) {
  const title = h("h2", { tabindex: "-1", text: heading });
  view.replaceChildren(title, ...content.filter((c) => c !== null && c !== undefined));
  title.focus();
}

export function status(text, kind = "status") {
  return h("p", { role: kind === "error" ? "alert" : "status", class: kind, text });
}

export function select(name, label, options, attributes = {}) {
  return h("label", {}, h("span", { text: label }),
    h("select", { name, required: true, ...attributes },
      options.map(([value, text]) => h("option", { value, text }))));
}

export function input(name, label, attributes = {}) {
  return h("label", {}, h("span", { text: label }), h("input", { name, required: true, ...attributes }));
}

// Times are Vietnam's whatever the browser's zone (a laptop set to another zone, a phone abroad):
// the register's days are Vietnam's days, and the server refuses a date in Vietnam's future.
const VIETNAM = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});

function inVietnam(instant) {
  return Object.fromEntries(VIETNAM.formatToParts(instant).map((part) => [part.type, part.value]));
}

// Today's date in Vietnam, as an ISO date for inputs and the API (toISOString() gives the UTC day:
// in Vietnam, before 7 in the morning, that is still yesterday).
export function today() {
  const { year, month, day } = inVietnam(new Date());
  return `${year}-${month}-${day}`;
}

// An instant from the API (ISO with its offset) as Vietnam's dd/mm/yyyy HH:mm.
export function dateTime(iso) {
  const { year, month, day, hour, minute } = inVietnam(new Date(iso));
  return `${day}/${month}/${year} ${hour}:${minute}`;
}

// A calendar date from the API (yyyy-mm-dd, no time of day) as Vietnam writes it, dd/mm/yyyy.
export function calendarDay(isoDate) {
  return /^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? isoDate.split("-").reverse().join("/") : isoDate;
}

// The day of an instant in Vietnam, dd/mm/yyyy.
export function dayOf(iso) {
  return dateTime(iso).slice(0, 10);
}

// A change behind a summary line: the form, its button (disabled while the change is sent), and
// the refusal in words if the API refuses it.
export function actionForm(title, fields, submit, ...after) {
  const element = h("form", { class: "stack", "aria-label": title }, ...fields,
    h("button", { type: "submit", text: title }), h("p", { role: "alert", class: "error" }));
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = element.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await submit(new FormData(element));
    } catch (error) {
      element.querySelector(".error").textContent = error.message;
    } finally {
      button.disabled = false;
    }
  });
  return h("details", {}, h("summary", { text: title }), element, ...after);
}
