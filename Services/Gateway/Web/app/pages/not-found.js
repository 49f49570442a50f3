// A path that is none of the app's pages.
import { h } from "../ui.js";

export function render(main) {
  main.append(h("h1", { class: "h3" }, "Page not found"),
    h("p", {}, "There is no page at this address. It may have moved."),
    h("a", { class: "btn btn-primary", href: "/" }, "Go to the home page"));
}
