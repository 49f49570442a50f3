// The agency's users: search, filter by role and status, invite someone, send an invitation again.
import { get, post, withQuery, idempotencyKey } from "../api.js";
import { h, badge, field, table, showError, busy, values, notice, problem, pageHeader, onSubmit } from "../ui.js";

const roles = [["officer", "Officer"], ["supervisor", "Supervisor"], ["coordinator", "Training coordinator"],
               ["agency_admin", "Agency administrator"], ["auditor", "Auditor"]];
const roleName = (role) => (roles.find(([value]) => value === role) || [role, role])[1];

export async function render(main) {
  const status = h("div", { "aria-live": "polite" });
  const filter = h("form", { class: "row g-2 align-items-end mb-3", role: "search", "aria-label": "Users" },
    h("div", { class: "col-12 col-md-6" }, field({ name: "q", label: "Search by name or email", type: "search", required: false, marked: false })),
    h("div", { class: "col-6 col-md-3" }, field({ name: "role", label: "Role", required: false, marked: false, options: [["", "Any role"], ...roles] })),
    h("div", { class: "col-6 col-md-3" }, field({ name: "status", label: "Status", required: false, marked: false,
      options: [["", "Any status"], ["active", "Active"], ["invited", "Invited"], ["deactivated", "Deactivated"]] })));
  const list = h("div");
  main.append(pageHeader("Users"), status, inviteForm(status, () => load()), h("h2", { class: "h5 mt-4" }, "Everyone"), filter, list);
  let timer = 0;
  async function load() {
    try {
      const page = await get(withQuery("/api/v1/users", { ...values(filter), limit: 200 }));
      list.replaceChildren(page.items.length ? table(["Name", "Email", "Roles", "Status", "Sign-in", ""], page.items.map((user) => [
        user.name, user.email, user.roles.map(roleName).join(", "), badge(user.status),
        [user.mfa_enabled ? "Two-step on" : "Password only", user.locked ? " · locked" : ""].join(""),
        user.status === "invited" ? resend(user) : "",
      ]), "Users") : h("p", {}, "No user matches."));
    } catch (error) {
      list.replaceChildren(problem(error));
    }
  }
  function resend(user) {
    const button = h("button", { type: "button", class: "btn btn-sm btn-outline-secondary", "aria-label": `Send ${user.name} a new invitation` },
      "Invite again");
    button.addEventListener("click", async () => {
      try {
        await busy(button, "Sending…", () => post(`/api/v1/users/${encodeURIComponent(user.id)}/invitation`, {}));
        status.replaceChildren(notice(`A new invitation is on its way to ${user.email}.`));
      } catch (error) {
        status.replaceChildren(problem(error));
      }
    });
    return button;
  }
  filter.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  filter.elements.q.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(load, 250); });
  filter.elements.role.addEventListener("change", load);
  filter.elements.status.addEventListener("change", load);
  await load();
}

function inviteForm(status, reload) {
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, "Send invitation");
  const form = h("form", { novalidate: true, class: "card card-body" },
    h("div", { class: "row" },
      h("div", { class: "col-12 col-md-6" }, field({ name: "name", label: "Name", maxlength: 200, autocomplete: "off" })),
      h("div", { class: "col-12 col-md-6" }, field({ name: "email", label: "Email", type: "email", autocomplete: "off" }))),
    h("fieldset", { class: "mb-3" }, h("legend", { class: "form-label fs-6" }, "Roles"),
      h("div", { class: "d-flex flex-wrap gap-3" }, roles.map(([value, text]) => h("div", { class: "form-check" },
        h("input", { class: "form-check-input", type: "checkbox", name: "roles", value, id: `role-${value}`, checked: value === "officer" }),
        h("label", { class: "form-check-label", for: `role-${value}` }, text)))),
      h("div", { class: "invalid-feedback d-block", id: "roles-error" })),
    h("div", { class: "form-actions" }, submit));
  let key = idempotencyKey();
  onSubmit(form, async () => {
    form.querySelector("#roles-error").textContent = "";
    const input = values(form);
    const chosen = [...form.querySelectorAll("input[name=roles]:checked")].map((box) => box.value);
    if (!input.name) return showError(form, { message: "Enter the person's name." }, "name");
    if (!input.email) return showError(form, { message: "Enter their email address." }, "email");
    if (!chosen.length) {
      form.querySelector("#roles-error").textContent = "Choose at least one role.";
      return form.querySelector("input[name=roles]").focus();
    }
    try {
      const user = await busy(submit, "Sending…", () => post("/api/v1/users", { name: input.name, email: input.email, roles: chosen },
                                                               { headers: { "Idempotency-Key": key } }));
      key = idempotencyKey();
      form.reset();
      status.replaceChildren(notice(`${user.name} is invited. The email has a link valid for 72 hours.`));
      await reload();
    } catch (error) {
      showError(form, error, error.field === "roles" ? null : error.field);
    }
  });
  return h("section", { "aria-labelledby": "invite" }, h("h2", { class: "h5", id: "invite" }, "Invite someone"), form);
}
