// Home: the officer's status at a glance (certifications, hours this year, what waits
// for approval), recent training, and for staff the way to their daily work.
import { get, withQuery } from "../api.js";
import * as session from "../session.js";
import { h, badge, date, hours, table, problem, everyPage } from "../ui.js";

const soonDays = 90;

export async function render(main) {
  const profile = session.profile();
  main.append(h("h1", { class: "h3 mb-3" }, `Hello, ${profile.name.split(" ")[0]}`));
  if (session.hasRole("coordinator", "supervisor", "agency_admin", "auditor")) main.append(staffShortcuts());
  let person;
  try {
    person = await get("/api/v1/me/person");
  } catch (error) {
    if (error.status === 404) {
      if (!session.hasRole("coordinator", "supervisor", "agency_admin", "auditor")) {
        main.append(h("p", {}, "Your login is not linked to a person on your agency's roster yet. Ask your training coordinator to link it."));
      }
      return;
    }
    main.append(problem(error));
    return;
  }
  const [records, certifications, types] = await Promise.all([
    everyPage((cursor) => get(withQuery("/api/v1/me/training-records", { limit: 200, cursor, from: `${new Date().getFullYear() - 1}-01-01` })), 1000),
    get(`/api/v1/personnel/${encodeURIComponent(person.id)}/certifications`).then((page) => page.items, () => []),
    get("/api/v1/certification-types").then((page) => page.items, () => []),
  ]);
  main.append(glance(records, certifications, types), recent(records));
}

function staffShortcuts() {
  const links = [["/roster", "Roster", "Find a person, record training, approve submissions.", ["coordinator", "supervisor", "agency_admin", "auditor"]],
                 ["/events", "Training events", "Take attendance for a class.", ["coordinator"]],
                 ["/admin/users", "Users", "Invite people and manage their access.", ["agency_admin"]]];
  return h("div", { class: "row g-3 mb-4" }, links.filter(([, , , roles]) => session.hasRole(...roles)).map(([href, title, text]) =>
    h("div", { class: "col-12 col-md-4" },
      h("a", { class: "card h-100 text-decoration-none", href },
        h("div", { class: "card-body" }, h("h2", { class: "h5 card-title" }, title), h("p", { class: "card-text text-body" }, text))))));
}

function certificationState(certification) {
  if (!certification.expires_on) return "current";
  const days = (new Date(certification.expires_on + "T00:00:00") - new Date()) / 86_400_000;
  return days < 0 ? "expired" : days <= soonDays ? "expiring" : "current";
}

function glance(records, certifications, types) {
  const year = String(new Date().getFullYear());
  const thisYear = records.filter((record) => record.status === "approved" && record.completed_on.startsWith(year));
  const total = thisYear.reduce((sum, record) => sum + Number(record.hours || 0), 0);
  const pending = records.filter((record) => record.status === "pending").length;
  const live = certifications.filter((certification) => certification.status !== "voided" && certification.status !== "superseded");
  const states = live.map(certificationState);
  const overall = states.includes("expired") ? ["danger", "Action needed: a certification has expired."]
    : states.includes("expiring") ? ["warning", `A certification expires within ${soonDays} days.`]
    : ["success", "Your certifications are up to date."];
  const typeName = (id) => (types.find((type) => type.id === id) || {}).name || "Certification";
  return h("section", { class: "mb-4", "aria-labelledby": "glance" },
    h("h2", { class: "h5", id: "glance" }, "At a glance"),
    h("div", { class: `alert alert-${overall[0]}`, role: "status" }, overall[1]),
    h("div", { class: "row g-3" },
      tile("Training hours this year", hours(total), `${thisYear.length} approved records in ${year}`),
      tile("Waiting for approval", String(pending), pending ? "Your coordinator will review them." : "Nothing waiting."),
      tile("Certifications", String(live.length), live.length ? `${states.filter((state) => state !== "current").length} need attention` : "None on file")),
    live.length ? h("ul", { class: "list-group mt-3" }, live.map((certification) =>
      h("li", { class: "list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2" },
        h("span", {}, typeName(certification.type_id), certification.number ? ` · ${certification.number}` : ""),
        h("span", {}, certification.expires_on ? `Expires ${date(certification.expires_on)} ` : "No expiry ", badge(certificationState(certification)))))) : null,
    h("div", { class: "mt-3" }, h("a", { class: "btn btn-primary", href: "/training/submit" }, "Submit outside training")));
}

function tile(title, value, text) {
  return h("div", { class: "col-12 col-md-4" },
    h("div", { class: "card h-100" }, h("div", { class: "card-body" },
      h("h3", { class: "h6 card-title text-body-secondary" }, title),
      h("p", { class: "display-6 mb-1" }, value),
      h("p", { class: "card-text small mb-0" }, text))));
}

function recent(records) {
  const latest = records.slice(0, 5);
  return h("section", { "aria-labelledby": "recent" },
    h("h2", { class: "h5", id: "recent" }, "Recent training"),
    latest.length ? table(["Date", "Training", "Hours", "Status"], latest.map((record) =>
      [date(record.completed_on), record.title, hours(record.hours), badge(record.status)]), "Recent training")
      : h("p", {}, "No training on file yet."),
    h("a", { href: "/training" }, "All my training"));
}
