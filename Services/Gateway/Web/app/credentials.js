// The fields of credentials: the new-password pair every password form uses and the
// authenticator code, each checked before anything is sent.
import { field, showError } from "./ui.js";

export function passwordFields(name) {
  return [
    field({ name, label: "New password", type: "password", autocomplete: "new-password", minlength: 12,
            help: "At least 12 characters. A short sentence is easy to remember and hard to guess." }),
    field({ name: "confirm_password", label: "New password again", type: "password", autocomplete: "new-password" }),
  ];
}

/** The new password when both fields agree and it is long enough; otherwise shows why and returns null. */
export function checkNewPassword(form, name) {
  const password = form.elements[name].value;
  if (password.length < 12) return showError(form, { message: "Use at least 12 characters." }, name), null;
  if (password !== form.elements.confirm_password.value) {
    return showError(form, { message: "The two passwords are not the same." }, "confirm_password"), null;
  }
  return password;
}

/** The authenticator or recovery code typed in `form`'s `code` field, without spaces; null (with why shown) when empty. */
export function enteredCode(form) {
  const code = form.elements.code.value.replace(/\s/g, "");
  if (!code) showError(form, { message: "Enter the code." }, "code");
  return code || null;
}
