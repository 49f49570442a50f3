// The link in an invitation email: choose a password, then sign in.
import { post } from "../api.js";
import { h, showError, busy, notice, onSubmit } from "../ui.js";
import { passwordFields, checkNewPassword } from "../credentials.js";

export function render(main, _params, query) {
  const token = query.get("token") || "";
  main.append(h("h1", { class: "h3 mb-3" }, "Welcome to Muster"));
  if (!token) return main.append(notice("This link is incomplete. Open the link from your invitation email again.", "danger"));
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Set my password");
  const form = h("form", { novalidate: true, class: "col-12 col-md-8 col-lg-6" },
    h("p", {}, "Choose the password you will sign in with."),
    ...passwordFields("password"), h("div", { class: "form-actions" }, submit));
  onSubmit(form, async () => {
    const password = checkNewPassword(form, "password");
    if (!password) return;
    try {
      await busy(submit, "Saving…", () => post("/api/v1/auth/invitations/accept", { token, password }, { auth: false }));
      form.replaceWith(notice("Your account is ready."), h("a", { class: "btn btn-primary", href: "/login" }, "Sign in"));
    } catch (error) {
      if (error.code === "invalid_token") error.message = "This invitation has expired or was already used. Ask your administrator to send a new one.";
      showError(form, error, error.field === "password" ? "password" : null);
    }
  });
  main.append(form);
}
