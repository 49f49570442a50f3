// The one way pages talk to the API: JSON in and out, the access token added,
// errors turned into ApiError (words a person understands, and the field they
// concern), a lost connection reported and retried.
import { connection } from "./connection.js";
import { describe } from "./errors.js";

/** An answer the API refused: `status`, `code`, `message` (in words), `field` (a form field's name, when one is meant). */
export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    const described = describe(status, error);
    super(described.message);
    this.status = status;
    this.code = error.code || "http_" + status;
    this.field = described.field;
    this.rows = error.rows || null;
    this.requestId = error.request_id || null;
  }
}

let tokenSource = () => null;
let onUnauthorized = async () => false;

/** Wired by session.js: where the access token comes from, and how a 401 is recovered (one refresh). */
export function configure({ token, unauthorized }) {
  tokenSource = token;
  onUnauthorized = unauthorized;
}

const retryDelays = [1000, 2000, 4000, 8000, 15000];

async function send(method, path, { json, body, headers = {}, credentials = "same-origin", auth = true } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, credentials };
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (body !== undefined) {
    init.body = body;
  }
  const token = auth ? tokenSource() : null;
  if (token) init.headers.Authorization = "Bearer " + token;
  // Only reads are retried on their own: a write that may have arrived is not sent twice
  // unless it carries an Idempotency-Key.
  const retriable = method === "GET" || "Idempotency-Key" in headers;
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(path, init);
      connection.restored();
      return response;
    } catch (failure) {
      if (!retriable || attempt >= retryDelays.length) {
        connection.lost(null);
        throw new ApiError(0, { error: { code: "connection_lost" } });
      }
      await connection.lost(retryDelays[attempt]);
    }
  }
}

async function read(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** `request("GET", "/api/v1/me")` → the parsed body; throws ApiError on any non-2xx answer. */
export async function request(method, path, options = {}) {
  let response = await send(method, path, options);
  if (response.status === 401 && options.auth !== false && (await onUnauthorized())) {
    response = await send(method, path, options);
  }
  const body = await read(response);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export const get = (path, options) => request("GET", path, options);
export const post = (path, json, options = {}) => request("POST", path, { ...options, json });
export const put = (path, json, options = {}) => request("PUT", path, { ...options, json });
export const patch = (path, json, options = {}) => request("PATCH", path, { ...options, json });
export const del = (path, options) => request("DELETE", path, options);

/** `/api/v1/personnel?q=ab&status=active`: a path with its query, empty values left out. */
export function withQuery(path, query) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, value);
  }
  const text = params.toString();
  return text ? path + "?" + text : path;
}

/** A fresh Idempotency-Key for one user action (a retried submit is not recorded twice). */
export function idempotencyKey() {
  return crypto.randomUUID();
}
