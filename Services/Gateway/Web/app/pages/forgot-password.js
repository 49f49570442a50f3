// Ask for a password reset email.
import { post } from "../api.js";
import { h, field, showError, busy, values, notice, onSubmit } from "../ui.js";

export function render(main) {
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Email me a link");
  const form = h("form", { novalidate: true, class: "col-12 col-md-8 col-lg-6" },
    h("p", {}, "Enter your agency and email. If they match an account, we email a link to choose a new password."),
    field({ name: "agency", label: "Agency", value: localStorage.getItem("muster.agency") || "", autocapitalize: "none" }),
    field({ name: "email", label: "Email", type: "email", autocomplete: "username" }),
    h("div", { class: "form-actions" }, submit));
  onSubmit(form, async () => {
    const input = values(form);
    if (!input.agency) return showError(form, { message: "Enter your agency." }, "agency");
    if (!input.email) return showError(form, { message: "Enter your email address." }, "email");
    try {
      await busy(submit, "Sending…", () => post("/api/v1/auth/password-reset", { agency: input.agency.toLowerCase(), email: input.email }, { auth: false }));
      form.replaceWith(notice("If the account exists, the email is on its way. The link works for a short time only."));
    } catch (error) {
      showError(form, error);
    }
  });
  main.append(h("h1", { class: "h3 mb-3" }, "Forgot your password?"), form, h("p", { class: "mt-3" }, h("a", { href: "/login" }, "Back to sign in")));
}
