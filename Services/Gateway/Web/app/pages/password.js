// Change password: the current one, then the new one twice.
import { post } from "../api.js";
import { h, field, showError, clearErrors, busy, notice, pageHeader } from "../ui.js";

export function render(main) {
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Change password");
  const form = h("form", { novalidate: true, class: "col-12 col-md-8 col-lg-6" },
    field({ name: "current_password", label: "Current password", type: "password", autocomplete: "current-password" }),
    field({ name: "new_password", label: "New password", type: "password", autocomplete: "new-password", minlength: 12,
            help: "At least 12 characters. A short sentence is easy to remember and hard to guess." }),
    field({ name: "confirm_password", label: "New password again", type: "password", autocomplete: "new-password" }),
    h("div", { class: "form-actions" }, submit));
  const status = h("div");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    status.replaceChildren();
    const current = form.elements.current_password.value, next = form.elements.new_password.value;
    if (!current) return showError(form, { message: "Enter your current password." }, "current_password");
    if (next.length < 12) return showError(form, { message: "Use at least 12 characters." }, "new_password");
    if (next !== form.elements.confirm_password.value) {
      return showError(form, { message: "The two new passwords are not the same." }, "confirm_password");
    }
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
