// One person's file: details, submissions waiting for approval (approve or reject),
// training history, certifications, and recording training for them.
import { get, post, withQuery, idempotencyKey } from "../api.js";
import * as session from "../session.js";
import { h, badge, date, hours, table, field, showError, clearErrors, busy, values, today, personName, everyPage, notice, onSubmit } from "../ui.js";

export async function render(main, { id }) {
  const base = `/api/v1/personnel/${encodeURIComponent(id)}`;
  const [person, courses, types] = await Promise.all([
    get(base),
    get("/api/v1/courses").then((page) => page.items, () => []),
    get("/api/v1/certification-types").then((page) => page.items, () => []),
  ]);
  document.title = `${personName(person)} · Muster`;
  const status = h("div", { "aria-live": "polite" });
  const pending = h("section", { class: "mb-4", "aria-labelledby": "pending" });
  const history = h("section", { class: "mb-4", "aria-labelledby": "history" });
  const certifications = h("section", { class: "mb-4", "aria-labelledby": "certifications" });
  const writer = session.hasRole("coordinator");
  main.append(
    h("nav", { "aria-label": "breadcrumb" }, h("ol", { class: "breadcrumb" },
      h("li", { class: "breadcrumb-item" }, h("a", { href: "/roster" }, "Roster")),
      h("li", { class: "breadcrumb-item active", "aria-current": "page" }, personName(person)))),
    h("h1", { class: "h3" }, `${person.first_name} ${person.last_name}`),
    h("p", {}, [person.rank, person.badge_number && `Badge ${person.badge_number}`, person.email].filter(Boolean).join(" · "), " ", badge(person.status)),
    status, pending, history, certifications, writer ? recordForm(person, courses, status, reload) : null);

  async function reload() {
    const records = await everyPage((cursor) => get(withQuery(`${base}/training-records`, { cursor, limit: 200 })), 1000);
    drawPending(records.filter((record) => record.status === "pending"));
    history.replaceChildren(h("h2", { class: "h5", id: "history" }, "Training history"),
      records.length ? table(["Date", "Training", "Hours", "Outcome", "Status"], records.map((record) =>
        [date(record.completed_on), record.title, hours(record.hours), record.outcome || "—", badge(record.status)]), "Training history")
        : h("p", {}, "No training on file."));
  }

  function drawPending(items) {
    pending.replaceChildren(h("h2", { class: "h5", id: "pending" }, "Waiting for approval"));
    if (!items.length) return pending.append(h("p", {}, "Nothing waiting."));
    for (const record of items) pending.append(decisionCard(record));
  }

  function decisionCard(record) {
    const reason = h("form", { class: "mt-2", novalidate: true },
      field({ name: "reason", label: "Reason for rejecting", required: false, maxlength: 1000, help: "The officer sees this in the email." }));
    const approve = h("button", { type: "button", class: "btn btn-success" }, "Approve");
    const reject = h("button", { type: "button", class: "btn btn-outline-danger" }, "Reject");
    const decide = async (button, action, body) => {
      clearErrors(reason);
      try {
        await busy(button, action === "approve" ? "Approving…" : "Rejecting…",
          () => post(`/api/v1/training-records/${encodeURIComponent(record.id)}/${action}`, body));
        status.replaceChildren(notice(`“${record.title}” is ${action === "approve" ? "approved" : "rejected"}.`));
        await reload();
      } catch (error) {
        showError(reason, error, error.field === "reason" ? "reason" : null);
      }
    };
    approve.addEventListener("click", () => decide(approve, "approve", {}));
    reject.addEventListener("click", () => {
      const text = reason.elements.reason.value.trim();
      if (!text) return showError(reason, { message: "Say why, so the officer can correct it." }, "reason");
      decide(reject, "reject", { reason: text });
    });
    return h("div", { class: "card mb-2" }, h("div", { class: "card-body" },
      h("h3", { class: "h6 card-title" }, record.title),
      h("p", { class: "card-text mb-1" }, `${date(record.completed_on)} · ${hours(record.hours)}`),
      record.notes ? h("p", { class: "card-text small" }, record.notes) : null,
      writer ? h("div", {}, reason, h("div", { class: "d-flex gap-2" }, approve, reject)) : null));
  }

  const certificationList = await get(`${base}/certifications`).then((page) => page.items, () => []);
  const typeName = (typeID) => (types.find((type) => type.id === typeID) || {}).name || "Certification";
  certifications.append(h("h2", { class: "h5", id: "certifications" }, "Certifications"),
    certificationList.length ? table(["Certification", "Number", "Issued", "Expires", "Status"], certificationList.map((item) =>
      [typeName(item.type_id), item.number || "—", date(item.issued_on), date(item.expires_on), badge(item.status)]), "Certifications")
      : h("p", {}, "No certifications on file."));
  await reload();
}

function recordForm(person, courses, status, reload) {
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Record training");
  const form = h("form", { novalidate: true, class: "card card-body" },
    field({ name: "course_id", label: "Course", required: false, options: [["", "Not in the catalog"], ...courses.map((course) =>
      [course.id, `${course.code ? course.code + " · " : ""}${course.title} (${hours(course.hours)})`])] }),
    field({ name: "title", label: "Training", required: false, maxlength: 300, help: "Needed when the course is not in the catalog." }),
    h("div", { class: "row" },
      h("div", { class: "col-12 col-sm-4" }, field({ name: "completed_on", label: "Completed on", type: "date", max: today(), value: today() })),
      h("div", { class: "col-6 col-sm-4" }, field({ name: "hours", label: "Hours", type: "number", min: "0.25", step: "0.25", required: false,
                                                   help: "Blank: the course's hours." })),
      h("div", { class: "col-6 col-sm-4" }, field({ name: "outcome", label: "Outcome", value: "completed",
                                                   options: [["completed", "Completed"], ["passed", "Passed"], ["failed", "Failed"]] }))),
    h("div", { class: "form-actions" }, submit));
  let key = idempotencyKey();
  onSubmit(form, async () => {
    const input = values(form);
    if (!input.course_id && !input.title) return showError(form, { message: "Choose a course or enter the training's name." }, "title");
    if (!input.course_id && !input.hours) return showError(form, { message: "Enter the hours." }, "hours");
    if (!input.completed_on) return showError(form, { message: "Enter the date." }, "completed_on");
    const body = { person_id: person.id, completed_on: input.completed_on, outcome: input.outcome };
    if (input.course_id) body.course_id = input.course_id;
    if (input.title) body.title = input.title;
    if (input.hours) body.hours = Number(input.hours);
    try {
      const record = await busy(submit, "Recording…", () => post("/api/v1/training-records", body, { headers: { "Idempotency-Key": key } }));
      key = idempotencyKey();
      form.reset();
      form.elements.completed_on.value = today();
      status.replaceChildren(notice(`“${record.title}” is recorded for ${person.first_name} ${person.last_name}.`));
      await reload();
    } catch (error) {
      showError(form, error);
    }
  });
  return h("section", { "aria-labelledby": "record" }, h("h2", { class: "h5", id: "record" }, "Record training"), form);
}
