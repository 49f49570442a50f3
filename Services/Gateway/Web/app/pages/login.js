// Sign in: agency, email and password, then the authenticator code when the account has one.
import * as session from "../session.js";
import { enteredCode } from "../credentials.js";
import { navigate } from "../router.js";
import { h, field, showError, busy, values, onSubmit } from "../ui.js";

const lastAgency = "muster.agency";

export function render(main, _params, query) {
  const next = safeNext(query.get("next"));
  const card = h("div", { class: "card-body" });
  main.append(h("div", { class: "row justify-content-center" },
    h("div", { class: "col-12 col-sm-10 col-md-7 col-lg-5" },
      h("h1", { class: "h3 mb-3" }, "Sign in to Muster"),
      h("div", { class: "card shadow-sm" }, card))));
  passwordStep(card, next);
}

/** Only a path inside the app: `next` must not send the user to another site. */
function safeNext(next) {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

function passwordStep(card, next) {
  const submit = h("button", { type: "submit", class: "btn btn-primary w-100" }, "Sign in");
  const form = h("form", { novalidate: true },
    field({ name: "agency", label: "Agency", autocomplete: "organization", help: "Your agency's short name, e.g. metro-pd.",
            value: localStorage.getItem(lastAgency) || "", autocapitalize: "none", spellcheck: "false" }),
    field({ name: "email", label: "Email", type: "email", autocomplete: "username" }),
    field({ name: "password", label: "Password", type: "password", autocomplete: "current-password" }),
    h("div", { class: "form-actions" }, submit),
    h("p", { class: "mt-3 mb-0 text-center" }, h("a", { href: "/forgot-password" }, "Forgot your password?")));
  onSubmit(form, async () => {
    const { agency, email, password } = values(form);
    for (const [name, value, text] of [["agency", agency, "Enter your agency."], ["email", email, "Enter your email address."],
                                       ["password", password, "Enter your password."]]) {
      if (!value) return showError(form, { message: text }, name);
    }
    try {
      const outcome = await busy(submit, "Signing in…", () => session.signIn(agency.toLowerCase(), email, form.elements.password.value));
      localStorage.setItem(lastAgency, agency.toLowerCase());
      if (outcome.mfaToken) codeStep(card, outcome.mfaToken, next);
      else navigate(next, { replace: true });
    } catch (error) {
      showError(form, error);
    }
  });
  card.replaceChildren(form);
  form.elements[form.elements.agency.value ? "email" : "agency"].focus();
}

function codeStep(card, mfaToken, next) {
  const submit = h("button", { type: "submit", class: "btn btn-primary w-100" }, "Continue");
  const form = h("form", { novalidate: true },
    h("p", {}, "Enter the 6-digit code from your authenticator app."),
    field({ name: "code", label: "Code", inputmode: "numeric", autocomplete: "one-time-code", maxlength: 20,
            help: "No phone? Enter one of your recovery codes instead." }),
    h("div", { class: "form-actions" }, submit));
  onSubmit(form, async () => {
    const code = enteredCode(form);
    if (!code) return;
    try {
      await busy(submit, "Checking…", () => session.completeSignIn(mfaToken, code));
      navigate(next, { replace: true });
    } catch (error) {
      if (error.code === "invalid_token") {
        passwordStep(card, next);
        showError(card.querySelector("form"), { message: "That took too long. Sign in again." });
      } else {
        showError(form, error);
      }
    }
  });
  card.replaceChildren(form);
  form.elements.code.focus();
}
