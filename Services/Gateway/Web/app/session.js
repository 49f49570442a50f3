// Who is signed in. The access token lives in this module's memory only; the refresh
// token is an HttpOnly cookie the page never sees (Identity sets it when asked with
// `Refresh-Token-Transport: cookie`). A refresh runs a minute before the access token
// expires, and in one tab at a time (Web Locks): refresh tokens are single-use, and a
// rotated one presented again ends the session. Signing out in one tab signs out all.
import { configure, request, get, del } from "./api.js";

const state = { access: null, expiresAt: 0, profile: null, timer: 0 };
const listeners = new Set();
const channel = "BroadcastChannel" in window ? new BroadcastChannel("muster-session") : null;
const cookieTransport = { "Refresh-Token-Transport": "cookie" };

configure({ token: () => state.access, unauthorized: () => refresh().then(() => true, () => (forget(), false)) });

/** The signed-in user's profile (`GET /api/v1/me`), or null. */
export const profile = () => state.profile;
export const hasRole = (...roles) => !!state.profile && roles.some((role) => state.profile.roles.includes(role));
/** Calls `listener(profile)` whenever someone signs in or out. */
export const onChange = (listener) => listeners.add(listener);

function emit() {
  for (const listener of listeners) listener(state.profile);
}

async function adopt(pair) {
  state.access = pair.access_token;
  state.expiresAt = Date.now() + pair.expires_in * 1000;
  clearTimeout(state.timer);
  const lead = Math.min(60, pair.expires_in / 4) * 1000;
  state.timer = setTimeout(() => refresh().catch(() => forget(true)), Math.max(1000, pair.expires_in * 1000 - lead));
  state.profile = await get("/api/v1/me");
  emit();
}

function forget(announce = false) {
  clearTimeout(state.timer);
  const was = state.profile;
  Object.assign(state, { access: null, expiresAt: 0, profile: null, timer: 0 });
  if (announce && channel) channel.postMessage("signed-out");
  if (was) emit();
}

/** A new access token from the refresh cookie; throws when there is no live session. */
export function refresh() {
  const run = async () => adopt(await request("POST", "/api/v1/auth/refresh", { headers: cookieTransport, auth: false }));
  return navigator.locks ? navigator.locks.request("muster-refresh", run) : run();
}

/** On page load: the session the cookie still holds, if any. */
export async function restore() {
  try {
    await refresh();
    return true;
  } catch {
    return false;
  }
}

/** Step one: `{mfaToken}` when a second factor is needed, otherwise signed in (`{}`). */
export async function signIn(agency, email, password) {
  const answer = await request("POST", "/api/v1/auth/login", { json: { agency, email, password }, headers: cookieTransport, auth: false });
  if (answer.mfa_required) return { mfaToken: answer.mfa_token };
  await adopt(answer);
  if (channel) channel.postMessage("signed-in");
  return {};
}

/** Step two: a code from the authenticator app or a recovery code. */
export async function completeSignIn(mfaToken, code) {
  await adopt(await request("POST", "/api/v1/auth/mfa", { json: { mfa_token: mfaToken, code }, headers: cookieTransport, auth: false }));
  if (channel) channel.postMessage("signed-in");
}

/** Ends this session (and clears the cookie). */
export async function signOut() {
  try {
    if (state.access) await request("POST", "/api/v1/auth/logout", { credentials: "same-origin" });
  } finally {
    forget(true);
  }
}

/** Ends every session of this user, on every device, then this one. */
export async function signOutEverywhere() {
  const sessions = await get("/api/v1/me/sessions");
  for (const session of sessions.items.filter((item) => !item.current)) {
    await del(`/api/v1/me/sessions/${encodeURIComponent(session.id)}`);
  }
  await signOut();
}

if (channel) {
  channel.onmessage = (event) => {
    if (event.data === "signed-out") forget();
    if (event.data === "signed-in" && !state.profile) restore();
  };
}
