// My sessions: every device signed in as me, each one endable; sign out everywhere.
import { get, del } from "../api.js";
import * as session from "../session.js";
import { h, table, dateTime, problem, busy, pageHeader } from "../ui.js";

export async function render(main) {
  const status = h("div", { "aria-live": "polite" });
  const list = h("div");
  const everywhere = h("button", { type: "button", class: "btn btn-outline-danger" }, "Sign out everywhere");
  everywhere.addEventListener("click", async () => {
    try {
      await busy(everywhere, "Signing out…", () => session.signOutEverywhere());
    } catch (error) {
      status.replaceChildren(problem(error));
    }
  });
  main.append(pageHeader("My sessions", everywhere),
    h("p", {}, "Every browser and app signed in to your account. End any you do not recognise, then change your password."),
    status, list,
    h("p", {}, h("a", { href: "/account/password" }, "Change password")));

  async function load() {
    const sessions = await get("/api/v1/me/sessions");
    list.replaceChildren(table(["Device", "Signed in", "Last used", "Address", ""], sessions.items.map((item) => [
      h("span", {}, item.user_agent ? describeAgent(item.user_agent) : "Unknown device",
        item.current ? h("span", { class: "badge text-bg-primary ms-2" }, "This device") : null),
      dateTime(item.created_at), dateTime(item.last_used_at), item.client_address || "—",
      item.current ? "" : endButton(item),
    ]), "Your sessions"));
  }

  function endButton(item) {
    const button = h("button", { type: "button", class: "btn btn-sm btn-outline-secondary",
                                 "aria-label": `End the session from ${dateTime(item.created_at)}` }, "End");
    button.addEventListener("click", async () => {
      try {
        await busy(button, "Ending…", () => del(`/api/v1/me/sessions/${encodeURIComponent(item.id)}`));
        await load();
      } catch (error) {
        status.replaceChildren(problem(error));
      }
    });
    return button;
  }

  await load();
}

/** "Chrome on Linux" from a user agent, good enough to recognise one's own devices. */
function describeAgent(agent) {
  const browser = /Edg\//.test(agent) ? "Edge" : /Firefox\//.test(agent) ? "Firefox" : /Chrom(e|ium)\//.test(agent) ? "Chrome"
    : /Safari\//.test(agent) ? "Safari" : /curl|python/i.test(agent) ? "A program" : "A browser";
  const system = /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS" : /Windows/.test(agent) ? "Windows"
    : /Mac OS X/.test(agent) ? "macOS" : /Linux/.test(agent) ? "Linux" : null;
  return system ? `${browser} on ${system}` : browser;
}
