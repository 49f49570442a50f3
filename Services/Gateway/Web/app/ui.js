// Small DOM helpers shared by the pages: elements built from data (never HTML
// strings, so nothing a user typed can become markup), form fields with their
// error text beside them, and the usual formatting.

/** `h("a", {href: "/x", class: "btn"}, "Go")`: props starting with `on` are listeners; `null` children are skipped. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (name === "value") element.value = value;
    else if (name === "checked") element.checked = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

let fieldCount = 0;

/**
 * A labelled input with its help and error text: `field({name: "email", label: "Email", type: "email"})`.
 * `options` makes a select (`[[value, label], …]`); `type: "textarea"` a text area; `marked: false` leaves out
 * "(optional)" (filters, where every field is).
 */
export function field({ name, label, type = "text", help, options, value, required = true, marked = true, ...attributes }) {
  const id = `f-${name}-${++fieldCount}`;
  const described = [help ? id + "-help" : null, id + "-error"].filter(Boolean).join(" ");
  const common = { id, name, class: options ? "form-select" : "form-control", "aria-describedby": described, required, ...attributes };
  let control;
  if (options) {
    control = h("select", common, options.map(([optionValue, text]) => h("option", { value: optionValue, selected: optionValue === value }, text)));
  } else if (type === "textarea") {
    control = h("textarea", { ...common, rows: 3 }, value || "");
  } else {
    control = h("input", { ...common, type, value });
  }
  return h("div", { class: "mb-3" },
    h("label", { class: "form-label", for: id }, label, required || !marked ? null : h("span", { class: "text-muted" }, " (optional)")),
    control,
    help ? h("div", { class: "form-text", id: id + "-help" }, help) : null,
    h("div", { class: "invalid-feedback", id: id + "-error" }));
}

/** Runs `handler` when `form` is submitted, instead of the browser's navigation, with the last errors cleared. */
export function onSubmit(form, handler) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    handler();
  });
}

/** Removes the error texts a previous submit showed. */
export function clearErrors(form) {
  for (const control of form.querySelectorAll(".is-invalid")) {
    control.classList.remove("is-invalid");
    control.removeAttribute("aria-invalid");
  }
  for (const alert of form.querySelectorAll(".form-problem")) alert.remove();
}

/** Shows `error` next to the field it concerns (focused), or above the buttons when it concerns none. */
export function showError(form, error, fieldName = error.field) {
  const control = fieldName && form.elements.namedItem(fieldName);
  if (control && control.classList) {
    control.classList.add("is-invalid");
    control.setAttribute("aria-invalid", "true");
    const feedback = document.getElementById(control.id + "-error");
    if (feedback) feedback.textContent = error.message;
    control.focus();
    return;
  }
  const alert = h("div", { class: "alert alert-danger form-problem", role: "alert" }, error.message);
  const actions = form.querySelector(".form-actions");
  form.insertBefore(alert, actions || null);
}

/** Runs `action` with `button` disabled and saying what happens, then restores it. */
export async function busy(button, text, action) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = text;
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

/** A form's named values as an object (empty strings left out). */
export function values(form) {
  const result = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string" && value.trim() !== "") result[name] = value.trim();
  }
  return result;
}

/** A message for a failed load, in words. */
export function problem(error) {
  return h("div", { class: "alert alert-danger", role: "alert" }, error && error.message ? error.message : "Something went wrong. Try again.");
}

export function notice(text, kind = "success") {
  return h("div", { class: `alert alert-${kind}`, role: kind === "danger" ? "alert" : "status" }, text);
}

export function pageHeader(title, ...actions) {
  return h("div", { class: "d-flex flex-wrap align-items-center justify-content-between gap-2 mb-3" },
    h("h1", { class: "h3 mb-0" }, title), actions.length ? h("div", { class: "d-flex gap-2" }, actions) : null);
}

const dateFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** `2026-03-01` → "Mar 1, 2026" (a calendar date, not shifted by time zone). */
export function date(text) {
  if (!text) return "—";
  const [year, month, day] = text.split("-").map(Number);
  return dateFormat.format(new Date(year, month - 1, day));
}

export function dateTime(text) {
  return text ? timeFormat.format(new Date(text)) : "—";
}

/** Today in the browser's calendar, `YYYY-MM-DD`. */
export function today() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

export function hours(value) {
  return value === null || value === undefined ? "—" : `${Number(value).toLocaleString(undefined, { maximumFractionDigits: 2 })} h`;
}

const badges = {
  approved: ["Approved", "text-bg-success"], pending: ["Waiting for approval", "text-bg-warning"], rejected: ["Rejected", "text-bg-danger"],
  voided: ["Void", "text-bg-secondary"], active: ["Active", "text-bg-success"], leave: ["On leave", "text-bg-warning"],
  separated: ["Separated", "text-bg-secondary"], invited: ["Invited", "text-bg-info"], deactivated: ["Deactivated", "text-bg-secondary"],
  completed: ["Completed", "text-bg-success"], passed: ["Passed", "text-bg-success"], failed: ["Failed", "text-bg-danger"],
  absent: ["Absent", "text-bg-secondary"], scheduled: ["Scheduled", "text-bg-info"], expired: ["Expired", "text-bg-danger"],
  expiring: ["Expires soon", "text-bg-warning"], current: ["Current", "text-bg-success"],
};

/** A coloured badge with the status in words. */
export function badge(status) {
  const [text, style] = badges[status] || [status, "text-bg-light"];
  return h("span", { class: `badge ${style}` }, text);
}

/** A responsive table: `table(["Name", "Date"], rows.map((row) => [row.name, date(row.date)]))`. */
export function table(headings, rows, caption) {
  // Focusable, so a table wider than a phone scrolls by keyboard too.
  return h("div", { class: "table-responsive", tabindex: "0", role: "region", "aria-label": caption || headings.join(", ") },
    h("table", { class: "table table-sm align-middle" },
      caption ? h("caption", { class: "visually-hidden" }, caption) : null,
      h("thead", {}, h("tr", {}, headings.map((heading) => h("th", { scope: "col" }, heading)))),
      h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell) => h("td", {}, cell)))))));
}

/** Every page of a cursor-paged list (`{items, next_cursor}`), up to `limit` items. */
export async function everyPage(load, limit = 2000) {
  const items = [];
  let cursor = null;
  do {
    const page = await load(cursor);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < limit);
  return items;
}

/** A person's name as staff read it: "Officer, Olive (B-1042)". */
export function personName(person) {
  if (!person) return "Unknown person";
  return `${person.last_name}, ${person.first_name}${person.badge_number ? ` (${person.badge_number})` : ""}`;
}
