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
