// The link in a password reset email: a new password (and the authenticator code when the account has one).
import { post } from "../api.js";
import { h, field, showError, busy, notice, onSubmit } from "../ui.js";
import { passwordFields, checkNewPassword } from "../credentials.js";

export function render(main, _params, query) {
  const token = query.get("token") || "";
  main.append(h("h1", { class: "h3 mb-3" }, "Choose a new password"));
  if (!token) return main.append(notice("This link is incomplete. Open the link from the email again.", "danger"));
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Set the new password");
  const form = h("form", { novalidate: true, class: "col-12 col-md-8 col-lg-6" },
    ...passwordFields("new_password"),
    field({ name: "code", label: "Authenticator code", required: false, inputmode: "numeric", autocomplete: "one-time-code",
            help: "Only if you sign in with a code from an app." }),
    h("div", { class: "form-actions" }, submit));
  onSubmit(form, async () => {
    const password = checkNewPassword(form, "new_password");
    if (!password) return;
    const code = form.elements.code.value.replace(/\s/g, "");
    try {
      await busy(submit, "Saving…", () => post("/api/v1/auth/password-reset/confirm", { token, new_password: password, code: code || null }, { auth: false }));
      form.replaceWith(notice("Your password is changed."), h("a", { class: "btn btn-primary", href: "/login" }, "Sign in"));
    } catch (error) {
      if (error.code === "invalid_token") error.message = "This link has expired or was already used. Ask for a new one.";
      showError(form, error, error.code === "invalid_code" ? "code" : error.field === "new_password" ? "new_password" : null);
    }
  });
  main.append(form);
}
