// A page the signed-in user's roles do not open.
import { h } from "../ui.js";

export function render(main) {
  main.append(h("h1", { class: "h3" }, "Not allowed"),
    h("p", {}, "Your account does not have access to this page. If you need it, ask your agency's administrator."),
    h("a", { class: "btn btn-primary", href: "/" }, "Go to the home page"));
}
