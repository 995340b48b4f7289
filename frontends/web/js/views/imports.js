// Import a commune's household spreadsheet (CSV or XLSX) into a group or village, following the
// job's progress; errors come back row by row in Vietnamese.
import { call, registry, session, upload } from "../api.js";
import { h, select, show, status } from "../dom.js";

export async function importView(view, { t }) {
  show(view, t.navImport, status(t.loading));
  const units = (await call(registry("/units?serving=households:register")))
    .filter((u) => ["residential_group", "village"].includes(u.kind));
  const form = h("form", { class: "stack", "aria-label": t.navImport },
    select("unit_id", t.adminUnit, units.map((u) => [u.unit_id, u.name])),
    h("label", {}, h("span", { text: t.file }), h("input", { name: "file", type: "file", accept: ".csv,.xlsx", required: true })),
    h("p", { class: "muted", text: t.importHelp }),
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

function render(section, t, job) {
  section.replaceChildren(
    h("label", {}, h("span", { text: t.importProgress(job.processed_rows, job.total_rows) }),
      h("progress", { max: String(job.total_rows || 1), value: String(job.processed_rows) })),
    h("p", { id: "import-result", role: job.status === "running" ? null : "status",
      text: job.status === "running" ? t.loading : t.importDone(job) }),
    job.errors.length ? h("ul", { id: "import-errors", class: "error" }, job.errors.map((e) => h("li", { text: e.message }))) : null);
}
