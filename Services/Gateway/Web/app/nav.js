// The top bar: the links the signed-in user's roles open, and their account menu.
import routes from "./routes.json" with { type: "json" };
import * as session from "./session.js";
import { h } from "./ui.js";

// Routes shown in the bar, in order (the others are reached from pages).
const shown = ["/", "/training", "/roster", "/events", "/admin/users"];

export function renderNav(current) {
  const header = document.getElementById("top");
  const profile = session.profile();
  if (!profile) {
    header.replaceChildren(h("nav", { class: "navbar navbar-dark bg-dark", "aria-label": "Muster" },
      h("div", { class: "container" }, h("a", { class: "navbar-brand", href: "/" }, "Muster"))));
    return;
  }
  const links = routes.filter((route) => shown.includes(route.path)
    && (!route.roles || route.roles.length === 0 || session.hasRole(...route.roles)));
  const item = (route) => h("li", { class: "nav-item" },
    h("a", { class: "nav-link" + (current === route.path ? " active" : ""), href: route.path,
             "aria-current": current === route.path ? "page" : null }, route.title));
  const signOut = h("button", { type: "button", class: "btn btn-outline-light btn-sm", onclick: () => session.signOut() }, "Sign out");
  header.replaceChildren(
    h("nav", { class: "navbar navbar-expand-md navbar-dark bg-dark", "aria-label": "Main" },
      h("div", { class: "container" },
        h("a", { class: "navbar-brand", href: "/" }, "Muster"),
        h("button", { class: "navbar-toggler", type: "button", "data-bs-toggle": "collapse", "data-bs-target": "#nav-links",
                      "aria-controls": "nav-links", "aria-expanded": "false", "aria-label": "Menu" },
          h("span", { class: "navbar-toggler-icon" })),
        h("div", { class: "collapse navbar-collapse", id: "nav-links" },
          h("ul", { class: "navbar-nav me-auto" }, links.map(item)),
          h("ul", { class: "navbar-nav align-items-md-center gap-md-2" },
            h("li", { class: "nav-item" }, h("a", { class: "nav-link" + (current.startsWith("/account/") ? " active" : ""),
                                                   href: "/account/security", "aria-label": `${profile.name}: security and sessions` },
                                                profile.name)),
            h("li", { class: "nav-item py-2 py-md-0" }, signOut))))));
}
