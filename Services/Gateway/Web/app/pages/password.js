// Change password: the current one, then the new one twice.
import { post } from "../api.js";
import { h, field, showError, busy, notice, pageHeader, onSubmit } from "../ui.js";
import { passwordFields, checkNewPassword } from "../credentials.js";

export function render(main) {
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Change password");
  const form = h("form", { novalidate: true, class: "col-12 col-md-8 col-lg-6" },
    field({ name: "current_password", label: "Current password", type: "password", autocomplete: "current-password" }),
    ...passwordFields("new_password"),
    h("div", { class: "form-actions" }, submit));
  const status = h("div");
  onSubmit(form, async () => {
    status.replaceChildren();
    const current = form.elements.current_password.value;
    if (!current) return showError(form, { message: "Enter your current password." }, "current_password");
    const next = checkNewPassword(form, "new_password");
    if (!next) return;
    try {
      await busy(submit, "Changing…", () => post("/api/v1/me/password", { current_password: current, new_password: next }));
      form.reset();
      status.replaceChildren(notice("Your password is changed. Use the new one next time you sign in."));
    } catch (error) {
      showError(form, error);
    }
  });
  main.append(pageHeader("Change password"), status, form,
    h("p", { class: "mt-3" }, h("a", { href: "/account/sessions" }, "Where am I signed in?")));
}
