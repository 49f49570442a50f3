// The app's routes (routes.json, which the Gateway reads too) mapped to page modules:
// `pages/<page>.js` exports `render(main, params, query)`. Links inside the app
// change the page without a reload; the back button works.
import routes from "./routes.json" with { type: "json" };
import * as session from "./session.js";
import { renderNav } from "./nav.js";
import { h, problem } from "./ui.js";

const main = () => document.getElementById("main");
let rendering = 0;

function match(pathname) {
  const parts = pathname.split("/").filter(Boolean);
  for (const route of routes) {
    const pattern = route.path.split("/").filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params = {};
    if (pattern.every((segment, index) => segment.startsWith(":")
        ? ((params[segment.slice(1)] = decodeURIComponent(parts[index])), true)
        : segment === parts[index])) {
      return { route, params };
    }
  }
  return null;
}

/** Goes to `path` inside the app. */
export function navigate(path, { replace = false } = {}) {
  history[replace ? "replaceState" : "pushState"](null, "", path);
  return render();
}

async function render() {
  const ticket = ++rendering;
  const found = match(location.pathname);
  const query = new URLSearchParams(location.search);
  const signedIn = !!session.profile();
  if (found && !found.route.public && !signedIn) {
    return navigate("/login?next=" + encodeURIComponent(location.pathname + location.search), { replace: true });
  }
  if (found && found.route.path === "/login" && signedIn) return navigate(query.get("next") || "/", { replace: true });
  const profile = session.profile();
  // An account that must set up two-step sign-in does that before anything else.
  if (profile && profile.mfa.required && !profile.mfa.enabled && found && !found.route.public && found.route.page !== "security") {
    return navigate("/account/security", { replace: true });
  }
  const route = found ? found.route : { page: "not-found", title: "Page not found" };
  const allowed = !route.roles || route.roles.length === 0 || session.hasRole(...route.roles);
  const page = allowed ? route.page : "forbidden";
  renderNav(location.pathname);
  document.title = `${allowed ? route.title : "Not allowed"} · Muster`;
  const target = main();
  // aria-busy: assistive technology (and the browser tests) wait for the page to be drawn.
  target.setAttribute("aria-busy", "true");
  try {
    const module = await import(`./pages/${page}.js`);
    if (ticket !== rendering) return;
    target.replaceChildren();
    await module.render(target, found ? found.params : {}, query);
  } catch (error) {
    if (ticket !== rendering) return;
    target.replaceChildren(h("h1", { class: "h3" }, route.title || "Muster"), problem(error));
  }
  if (ticket === rendering) {
    target.setAttribute("aria-busy", "false");
    const heading = target.querySelector("h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }
}

/** Starts routing: the current URL now, then links and the back button. */
export function start() {
  window.addEventListener("popstate", render);
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || link.target
        || link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/") || url.pathname.startsWith("/assets/")) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
  session.onChange(() => {
    if (!session.profile()) navigate("/login", { replace: true });
  });
  return render();
}
