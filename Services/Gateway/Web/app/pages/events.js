// Training events, newest first; each opens its attendance grid.
import { get, withQuery } from "../api.js";
import { h, badge, date, table, pageHeader } from "../ui.js";

export async function render(main) {
  const [events, courses] = await Promise.all([
    get(withQuery("/api/v1/training-events", { limit: 100 })),
    get("/api/v1/courses").then((page) => page.items, () => []),
  ]);
  const title = (id) => (courses.find((course) => course.id === id) || {}).title || "Course";
  main.append(pageHeader("Training events"),
    events.items.length ? table(["Dates", "Course", "Location", "People", "Status"], events.items.map((event) => [
      h("a", { href: `/events/${event.id}` }, event.starts_on === event.ends_on ? date(event.starts_on) : `${date(event.starts_on)} – ${date(event.ends_on)}`),
      title(event.course_id), event.location || "—", String((event.roster || []).length), badge(event.status),
    ]), "Training events") : h("p", {}, "No training events yet."));
}
