// An event's attendance grid: one row per person on the roster (outcome, hours,
// score), all of it completed in one request; a bad row is named next to it.
import { get, post, idempotencyKey } from "../api.js";
import { h, badge, date, hours, personName, showError, busy, notice, onSubmit } from "../ui.js";

const outcomes = [["completed", "Completed"], ["passed", "Passed"], ["failed", "Failed"], ["absent", "Absent"]];

export async function render(main, { id }) {
  const event = await get(`/api/v1/training-events/${encodeURIComponent(id)}`);
  const [course, people] = await Promise.all([
    get(`/api/v1/courses/${encodeURIComponent(event.course_id)}`).catch(() => ({ title: "Course" })),
    Promise.all(event.roster.map((row) => get(`/api/v1/personnel/${encodeURIComponent(row.person_id)}`).catch(() => null))),
  ]);
  const person = new Map(people.filter(Boolean).map((item) => [item.id, item]));
  const roster = event.roster.slice().sort((a, b) => personName(person.get(a.person_id)).localeCompare(personName(person.get(b.person_id))));
  const open = event.status !== "completed";
  const status = h("div", { "aria-live": "polite" });
  main.append(
    h("nav", { "aria-label": "breadcrumb" }, h("ol", { class: "breadcrumb" },
      h("li", { class: "breadcrumb-item" }, h("a", { href: "/events" }, "Training events")),
      h("li", { class: "breadcrumb-item active", "aria-current": "page" }, course.title))),
    h("h1", { class: "h3" }, `Attendance: ${course.title}`),
    h("p", {}, `${date(event.starts_on)}${event.ends_on !== event.starts_on ? " – " + date(event.ends_on) : ""}`,
      event.location ? ` · ${event.location}` : "", ` · ${roster.length} people · `, badge(event.status)),
    status);
  if (!roster.length) return main.append(h("p", {}, "No one is on this event's roster."));

  const rows = roster.map((row, index) => {
    const who = personName(person.get(row.person_id));
    const outcome = h("select", { class: "form-select form-select-sm", name: `outcome-${index}`, "aria-label": `Outcome for ${who}`, disabled: !open },
      outcomes.map(([value, text]) => h("option", { value, selected: (row.outcome || "completed") === value }, text)));
    const hoursInput = h("input", { class: "form-control form-control-sm", type: "number", min: "0", step: "0.25", inputmode: "decimal",
                                    name: `hours-${index}`, "aria-label": `Hours for ${who}`, value: row.hours ?? "", placeholder: hours(course.hours),
                                    disabled: !open });
    const score = h("input", { class: "form-control form-control-sm", type: "number", min: "0", max: "100", step: "any", inputmode: "decimal",
                               name: `score-${index}`, "aria-label": `Score for ${who}`, value: row.score ?? "", disabled: !open });
    const problem = h("div", { class: "small text-danger", id: `row-${index}-problem` });
    return { row, who, outcome, hoursInput, score, problem };
  });
  const allCompleted = h("button", { type: "button", class: "btn btn-outline-secondary btn-sm" }, "Mark everyone completed");
  allCompleted.addEventListener("click", () => rows.forEach((row) => { row.outcome.value = "completed"; }));
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Complete the event");
  const form = h("form", { novalidate: true },
    open ? h("div", { class: "mb-2" }, allCompleted) : null,
    h("div", { class: "table-responsive", tabindex: "0", role: "region", "aria-label": "Attendance" },
      h("table", { class: "table table-sm align-middle attendance" },
      h("caption", { class: "visually-hidden" }, "Attendance"),
      h("thead", {}, h("tr", {}, ["Person", "Outcome", "Hours", "Score"].map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, rows.map((item) => h("tr", {},
        h("th", { scope: "row", class: "fw-normal" }, item.who, item.problem),
        h("td", {}, item.outcome), h("td", {}, item.hoursInput), h("td", {}, item.score)))))),
    open ? h("div", { class: "form-actions" }, submit) : null);
  const key = idempotencyKey();
  onSubmit(form, async () => {
    rows.forEach((item) => { item.problem.textContent = ""; });
    const attendance = rows.map((item) => {
      const entry = { person_id: item.row.person_id, outcome: item.outcome.value };
      if (item.hoursInput.value !== "") entry.hours = Number(item.hoursInput.value);
      if (item.score.value !== "") entry.score = Number(item.score.value);
      return entry;
    });
    try {
      await busy(submit, "Completing…", () => post(`/api/v1/training-events/${encodeURIComponent(id)}/complete`, { attendance },
                                                    { headers: { "Idempotency-Key": key } }));
      main.replaceChildren();
      await render(main, { id });
      main.querySelector("[aria-live]").append(notice("The event is complete: everyone's training record is written."));
    } catch (error) {
      if (error.rows) {
        for (const bad of error.rows) {
          const item = rows[bad.row];
          if (item) {
            item.problem.textContent = bad.message;
            item.outcome.setAttribute("aria-describedby", item.problem.id);
          }
        }
        const first = error.rows.length && rows[error.rows[0].row];
        if (first) first.outcome.focus();
      }
      showError(form, error, null);
    }
  });
  main.append(form);
}
