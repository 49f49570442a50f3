// Submit outside training with a photo or PDF of the certificate: the record is
// created pending, then the file attached to it; a coordinator approves it.
import { post, request, idempotencyKey } from "../api.js";
import { navigate } from "../router.js";
import { h, field, showError, busy, values, today, pageHeader, notice, onSubmit } from "../ui.js";

const maximumBytes = 10 * 1024 * 1024;
const accepted = ["image/jpeg", "image/png", "application/pdf"];

export function render(main) {
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Submit for approval");
  const preview = h("div", { class: "mb-3" });
  const form = h("form", { novalidate: true, class: "col-12 col-lg-8" },
    field({ name: "title", label: "Training", maxlength: 300, help: "The course's name as on the certificate." }),
    h("div", { class: "row" },
      h("div", { class: "col-12 col-sm-6" }, field({ name: "completed_on", label: "Completed on", type: "date", max: today() })),
      h("div", { class: "col-12 col-sm-6" }, field({ name: "hours", label: "Hours", type: "number", min: "0.25", step: "0.25", inputmode: "decimal" }))),
    field({ name: "notes", label: "Notes", type: "textarea", required: false, maxlength: 4000, help: "Provider, location, anything your coordinator should know." }),
    field({ name: "file", label: "Certificate (photo or PDF)", type: "file", accept: accepted.join(","),
            help: "A photo of the certificate (JPEG or PNG) or a PDF, at most 10 MB." }),
    preview,
    h("div", { class: "form-actions d-flex gap-2" }, submit, h("a", { class: "btn btn-outline-secondary", href: "/training" }, "Cancel")));
  form.elements.file.addEventListener("change", () => showPreview(form.elements.file.files[0], preview));
  // Once the record exists, a retry only attaches the file again.
  let created = null;
  const key = idempotencyKey();
  onSubmit(form, async () => {
    const input = values(form);
    const file = form.elements.file.files[0];
    if (!input.title) return showError(form, { message: "Enter the training's name." }, "title");
    if (!input.completed_on) return showError(form, { message: "Enter the date you completed it." }, "completed_on");
    if (input.completed_on > today()) return showError(form, { message: "The date cannot be in the future." }, "completed_on");
    if (!(Number(input.hours) > 0)) return showError(form, { message: "Enter the hours, e.g. 4 or 2.5." }, "hours");
    if (!file) return showError(form, { message: "Attach a photo or PDF of the certificate." }, "file");
    if (!accepted.includes(file.type)) return showError(form, { message: "Attach a photo (JPEG or PNG) or a PDF." }, "file");
    if (file.size > maximumBytes) return showError(form, { message: "The file is too large. Attach one of at most 10 MB." }, "file");
    try {
      await busy(submit, "Submitting…", async () => {
        created = created || await post("/api/v1/me/training-records",
          { title: input.title, completed_on: input.completed_on, hours: Number(input.hours), notes: input.notes },
          { headers: { "Idempotency-Key": key } });
        await request("PUT", `/api/v1/training-records/${encodeURIComponent(created.id)}/attachments`, {
          body: file,
          headers: { "Content-Type": file.type, "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
                     "Idempotency-Key": key + "-file" },
        });
      });
      await navigate("/training?status=pending");
      document.getElementById("main").prepend(notice("Your training is submitted. It shows as waiting until your coordinator approves it."));
    } catch (error) {
      if (created && !error.field) error.field = "file";
      if (created) error.message = `The training is saved, but the file was not attached: ${error.message}`;
      showError(form, error);
    }
  });
  main.append(pageHeader("Submit outside training"),
    h("p", {}, "Training you took outside the agency counts once your coordinator approves it."), form);
}

function showPreview(file, target) {
  target.replaceChildren();
  if (!file || !file.type.startsWith("image/")) return;
  const url = URL.createObjectURL(file);
  const image = h("img", { src: url, alt: "Preview of the attached certificate", class: "img-thumbnail preview" });
  image.addEventListener("load", () => URL.revokeObjectURL(url));
  target.append(image);
}
