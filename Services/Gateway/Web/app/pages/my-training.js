// My training history, newest first, filtered by status; more on request.
import { get, withQuery } from "../api.js";
import { h, badge, date, hours, table, field, pageHeader } from "../ui.js";

export async function render(main, _params, query) {
  const status = query.get("status") || "";
  const filter = h("form", { class: "row g-2 align-items-end mb-3", role: "search" },
    h("div", { class: "col-12 col-sm-6 col-md-4" }, field({ name: "status", label: "Show", required: false, marked: false, value: status,
      options: [["", "All training"], ["approved", "Approved"], ["pending", "Waiting for approval"], ["rejected", "Rejected"]] })));
  filter.elements.status.addEventListener("change", () => {
    history.replaceState(null, "", withQuery("/training", { status: filter.elements.status.value }));
    load(null, true);
  });
  const list = h("div");
  const more = h("button", { type: "button", class: "btn btn-outline-primary d-none" }, "Show more");
  main.append(pageHeader("My training", h("a", { class: "btn btn-primary", href: "/training/submit" }, "Submit outside training")),
    filter, list, more);
  let rows = [], cursor = null;
  async function load(next, reset) {
    const page = await get(withQuery("/api/v1/me/training-records", { status: filter.elements.status.value, cursor: next, limit: 50 }));
    rows = reset ? page.items : rows.concat(page.items);
    cursor = page.next_cursor;
    list.replaceChildren(rows.length ? table(["Date", "Training", "Hours", "Status", "Notes"], rows.map((record) => [
      date(record.completed_on), record.title, hours(record.hours), badge(record.status),
      record.rejection_reason ? `Rejected: ${record.rejection_reason}` : record.notes || "",
    ]), "My training") : h("p", {}, "No training matches."));
    more.classList.toggle("d-none", !cursor);
  }
  more.addEventListener("click", () => load(cursor, false));
  await load(null, true);
}
