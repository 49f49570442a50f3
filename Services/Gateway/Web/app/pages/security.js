// Security: two-step sign-in with an authenticator app (QR code, then a code, then the
// recovery codes shown once), and the ways to the sessions and password pages.
import { get, post } from "../api.js";
import * as session from "../session.js";
import { enteredCode } from "../credentials.js";
import { qrCode } from "../qr.js";
import { h, field, showError, busy, notice, pageHeader, onSubmit } from "../ui.js";

export async function render(main) {
  const me = await get("/api/v1/me");
  const body = h("div", { class: "col-12 col-lg-8" });
  main.append(pageHeader("Security"), body,
    h("ul", { class: "mt-4" }, h("li", {}, h("a", { href: "/account/sessions" }, "Where am I signed in?")),
      h("li", {}, h("a", { href: "/account/password" }, "Change password"))));
  if (me.mfa.enabled) {
    body.append(notice("Two-step sign-in is on: you sign in with your password and a code from your authenticator app."));
    return;
  }
  if (me.mfa.required) body.append(notice("Your agency requires two-step sign-in for your role. Set it up to continue.", "warning"));
  body.append(h("p", {}, "Two-step sign-in asks for a code from an app on your phone (such as Google Authenticator, Microsoft Authenticator or FreeOTP) "
    + "after your password, so a stolen password alone cannot open your account."));
  passwordStep(body, me);
}

function passwordStep(body, me) {
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Set up two-step sign-in");
  const form = h("form", { novalidate: true },
    field({ name: "password", label: "Your password", type: "password", autocomplete: "current-password", help: "To confirm it is you." }),
    h("div", { class: "form-actions" }, submit));
  onSubmit(form, async () => {
    if (!form.elements.password.value) return showError(form, { message: "Enter your password." }, "password");
    try {
      const enrollment = await busy(submit, "Starting…", () => post("/api/v1/me/mfa/totp", { password: form.elements.password.value }));
      await scanStep(body, enrollment, me);
    } catch (error) {
      showError(form, error, error.code === "reauthentication_failed" ? "password" : error.field);
    }
  });
  body.append(form);
}

async function scanStep(body, enrollment, me) {
  const grouped = enrollment.secret.replace(/(.{4})/g, "$1 ").trim();
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Turn on two-step sign-in");
  const form = h("form", { novalidate: true },
    field({ name: "code", label: "Code from the app", inputmode: "numeric", autocomplete: "one-time-code", maxlength: 10 }),
    h("div", { class: "form-actions" }, submit));
  let picture;
  try {
    picture = await qrCode(enrollment.otpauth_uri, "QR code to scan with your authenticator app");
  } catch (error) {
    picture = notice(error.message, "warning");
  }
  body.replaceChildren(
    h("ol", {},
      h("li", {}, "Open your authenticator app and scan this code."),
      h("li", {}, "Or, if you cannot scan, add an account by hand with this key: ", h("code", { class: "secret" }, grouped)),
      h("li", {}, "Enter the 6-digit code the app shows.")),
    h("div", { class: "mb-3" }, picture), form);
  onSubmit(form, async () => {
    const code = enteredCode(form);
    if (!code) return;
    try {
      const answer = await busy(submit, "Checking…", () => post("/api/v1/me/mfa/totp/confirm", { code }));
      recoveryStep(body, answer.recovery_codes, me);
    } catch (error) {
      showError(form, error, "code");
    }
  });
  form.elements.code.focus();
}

function recoveryStep(body, codes, me) {
  const done = h("button", { type: "button", class: "btn btn-primary" }, me.mfa.required ? "I have saved them: sign in again" : "I have saved them");
  done.addEventListener("click", async () => {
    // A session opened only to enrol stays limited to that: a full one needs a sign-in with the new code.
    if (me.mfa.required) await session.signOut();
    else location.assign("/account/security");
  });
  body.replaceChildren(notice("Two-step sign-in is on."),
    h("h2", { class: "h5" }, "Your recovery codes"),
    h("p", {}, "If you lose your phone, each of these codes signs you in once. Write them down or print them now: they are not shown again."),
    h("ul", { class: "list-unstyled recovery-codes" }, codes.map((code) => h("li", {}, h("code", {}, code)))),
    done);
  done.focus();
}
