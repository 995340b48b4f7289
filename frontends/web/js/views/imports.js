// Import a commune's household spreadsheet (CSV or XLSX) into a group or village, following the
// job's progress; errors and notes come back row by row. The template and the list of columns
// come from the API, which reads the same column definitions as the import.
import { call, download, registry, session, upload } from "../api.js";
import { h, select, show, status } from "../dom.js";

export async function importView(view, { t }) {
  show(view, t.navImport, status(t.loading));
  const [allUnits, columns] = await Promise.all([
    call(registry("/units?serving=households:register")), call(registry("/imports/columns"))]);
  const units = allUnits.filter((u) => ["residential_group", "village"].includes(u.kind));
  const template = h("a", { href: registry("/imports/template"), id: "import-template", text: t.importTemplate });
  template.addEventListener("click", async (event) => {
    event.preventDefault();
    await download(registry("/imports/template"), "mau-nhap-ho-gia-dinh.xlsx");
  });
  const form = h("form", { class: "stack", "aria-label": t.navImport },
    select("unit_id", t.adminUnit, units.map((u) => [u.unit_id, u.name])),
    h("label", {}, h("span", { text: t.file }), h("input", { name: "file", type: "file", accept: ".csv,.xlsx", required: true })),
    h("p", { class: "muted", text: t.importHelp }), h("p", {}, template), columnHelp(t, columns),
    h("button", { type: "submit", text: t.startImport }), h("p", { role: "alert", class: "error" }));
  const own = session.me.roles.find((r) => units.some((u) => u.unit_id === r.unit_id));
  if (own) form.querySelector("select").value = own.unit_id;
  const progress = h("section", { id: "import-progress", "aria-live": "polite" });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = form.querySelector("input[type=file]").files[0];
    const unit = new FormData(form).get("unit_id");
    form.querySelector(".error").textContent = "";
    try {
      const query = new URLSearchParams({ unit_id: unit, filename: file.name });
      let job = await upload(registry(`/imports?${query}`), file);
      while (job.status === "running") {
        render(progress, t, job);
        await new Promise((resolve) => setTimeout(resolve, 500));
        job = await call(registry(`/imports/${job.import_id}`));
      }
      render(progress, t, job);
    } catch (error) { form.querySelector(".error").textContent = error.message; }
  });
  show(view, t.navImport, form, progress);
}

// Every column the import reads: its header, whether a row needs it, and how to fill it in.
function columnHelp(t, columns) {
  return h("details", { id: "import-columns" }, h("summary", { text: t.importColumns }),
    h("dl", {}, columns.flatMap((c) => [
      h("dt", { text: `${c.header} (${c.required ? t.importRequired : t.importOptional})` }),
      h("dd", { text: session.lang === "en" ? `${c.english}: ${c.note_en}` : c.note_vi })])));
}

function render(section, t, job) {
  const text = (e) => (session.lang === "en" && e.message_en) || e.message;
  section.replaceChildren(
    h("label", {}, h("span", { text: t.importProgress(job.processed_rows, job.total_rows) }),
      h("progress", { max: String(job.total_rows || 1), value: String(job.processed_rows) })),
    h("p", { id: "import-result", role: job.status === "running" ? null : "status",
      text: job.status === "running" ? t.loading : t.importDone(job) }),
    job.errors.length ? h("h3", { text: t.importErrors }) : null,
    job.errors.length ? h("ul", { id: "import-errors", class: "error" }, job.errors.map((e) => h("li", { text: text(e) }))) : null,
    job.notes && job.notes.length ? h("h3", { text: t.importNotes }) : null,
    job.notes && job.notes.length ? h("ul", { id: "import-notes" }, job.notes.map((e) => h("li", { text: text(e) }))) : null);
}
