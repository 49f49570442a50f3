// The roster: search by name or badge, filter by unit and status; each person opens their file.
import { get, withQuery } from "../api.js";
import { h, badge, field, personName, pageHeader, problem } from "../ui.js";

export async function render(main, _params, query) {
  const units = await get("/api/v1/units").then((page) => page.items, () => []);
  const unitName = new Map(units.map((unit) => [unit.id, unit.name]));
  const form = h("form", { class: "row g-2 align-items-end mb-3", role: "search", "aria-label": "Roster" },
    h("div", { class: "col-12 col-md-5" }, field({ name: "q", label: "Search by name or badge", type: "search", required: false, marked: false,
                                                   value: query.get("q") || "", autocomplete: "off" })),
    h("div", { class: "col-6 col-md-4" }, field({ name: "unit_id", label: "Unit", required: false, marked: false, value: query.get("unit_id") || "",
      options: [["", "All units"], ...units.map((unit) => [unit.id, unit.name])] })),
    h("div", { class: "col-6 col-md-3" }, field({ name: "status", label: "Status", required: false, marked: false, value: query.get("status") ?? "active",
      options: [["", "Everyone"], ["active", "Active"], ["leave", "On leave"], ["separated", "Separated"]] })));
  const count = h("p", { class: "text-body-secondary", "aria-live": "polite" });
  const list = h("div");
  const more = h("button", { type: "button", class: "btn btn-outline-primary d-none" }, "Show more");
  main.append(pageHeader("Roster"), form, count, list, more);

  let rows = [], cursor = null, ticket = 0, timer = 0;
  const filters = () => ({ q: form.elements.q.value.trim(), unit_id: form.elements.unit_id.value, status: form.elements.status.value });
  async function load(next) {
    const mine = ++ticket;
    try {
      const page = await get(withQuery("/api/v1/personnel", { ...filters(), cursor: next, limit: 100 }));
      if (mine !== ticket) return;
      rows = next ? rows.concat(page.items) : page.items;
      cursor = page.next_cursor;
      draw();
    } catch (error) {
      if (mine === ticket) list.replaceChildren(problem(error));
    }
  }
  function draw() {
    count.textContent = `${rows.length}${cursor ? "+" : ""} ${rows.length === 1 ? "person" : "people"}`;
    list.replaceChildren(rows.length ? h("div", { class: "list-group" }, rows.map((person) =>
      h("a", { class: "list-group-item list-group-item-action d-flex flex-wrap justify-content-between gap-2", href: `/people/${person.id}` },
        h("span", {}, h("span", { class: "fw-semibold" }, personName(person)), person.rank ? ` · ${person.rank}` : ""),
        h("span", {}, unitName.get(person.unit_id) || "No unit", " ", badge(person.status))))) : h("p", {}, "No one matches."));
    more.classList.toggle("d-none", !cursor);
  }
  const changed = () => {
    history.replaceState(null, "", withQuery("/roster", filters()));
    load(null);
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); changed(); });
  form.elements.q.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(changed, 250); });
  form.elements.unit_id.addEventListener("change", changed);
  form.elements.status.addEventListener("change", changed);
  more.addEventListener("click", () => load(cursor));
  await load(null);
}
