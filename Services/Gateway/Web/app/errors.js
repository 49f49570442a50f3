// API error codes in words a person understands, and which form field each concerns.
// The API's own message is used when it already says what to do.
const messages = {
  connection_lost: "Muster cannot be reached. Check your connection and try again.",
  invalid_credentials: "The agency, email or password is not right.",
  invalid_code: "That code is not right. Enter the 6-digit code your authenticator app shows now.",
  invalid_token: "Your sign-in has expired. Please sign in again.",
  rate_limited: "Too many attempts. Wait a minute, then try again.",
  too_many_requests: "Too many attempts. Wait a minute, then try again.",
  forbidden: "You do not have permission to do this.",
  not_found: "This was not found. It may have been removed.",
  unsupported_media_type: "Attach a photo (JPEG or PNG) or a PDF.",
  payload_too_large: "The file is too large. Attach one of at most 10 MB.",
  upstream_unavailable: "Muster is busy or restarting. Try again in a moment.",
  service_unavailable: "Muster is busy or restarting. Try again in a moment.",
  upstream_timeout: "Muster took too long to answer. Try again in a moment.",
  invalid_password: "Your current password is not right.",
  reauthentication_failed: "The password or code is not right.",
  empty_file: "The file is empty. Choose the photo or PDF again.",
  content_type_mismatch: "The file is not the kind its name says. Attach a photo (JPEG or PNG) or a PDF.",
  not_pending: "This submission was already decided.",
  version_mismatch: "Someone changed this meanwhile. Reload the page and try again.",
};

// Which field a code concerns when the message does not name one.
const fields = {
  invalid_credentials: "password",
  invalid_code: "code",
  invalid_password: "current_password",
  reauthentication_failed: "password",
  empty_file: "file",
  content_type_mismatch: "file",
  unsupported_media_type: "file",
  payload_too_large: "file",
};

/** `{message, field}` for an error body's `{code, message}` and the HTTP status. */
export function describe(status, error) {
  const code = error.code || "";
  // Identity names the field first: "new_password: Use at least 12 characters."
  const prefixed = /^([a-z_]+): (.+)$/s.exec(error.message || "");
  if (prefixed) return { message: messages[code] || prefixed[2], field: prefixed[1] };
  let message = messages[code] || error.message || fallback(status);
  if (status === 429 && !messages[code]) message = messages.rate_limited;
  if (status >= 500 && !messages[code]) message = "Something went wrong on our side. Try again; if it keeps happening, tell your administrator.";
  const named = /'([a-z_]+)'/.exec(error.message || "") || /^([a-z_]+) (?:must|is|names|add)/.exec(error.message || "");
  return { message, field: fields[code] || (named ? named[1] : null) };
}

function fallback(status) {
  if (status === 0) return messages.connection_lost;
  if (status === 401) return messages.invalid_token;
  if (status === 403) return messages.forbidden;
  if (status === 404) return messages.not_found;
  return "That did not work. Check what you entered and try again.";
}
