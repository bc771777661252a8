// The JSON API client every page uses: one fetch wrapper that sends the
// bearer token, reads problem+json errors into an ApiError, and keeps the
// token in sessionStorage only (never in a URL or localStorage, so it ends
// with the browser tab). Nothing here touches the DOM.

const TOKEN_KEY = 'padan.token';

export class ApiError extends Error {
  // status: HTTP status (0 when the server could not be reached);
  // problem: the problem+json body, or null.
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
  // The error in the page's language: detail_id in Indonesian, detail in English.
  text(lang) {
    if (!this.problem) return null;
    return lang === 'en' ? this.problem.detail : this.problem.detail_id || this.problem.detail;
  }
  // [{field, text}] for every field the problem names.
  fields(lang) {
    const errors = (this.problem && this.problem.errors) || [];
    return errors.map((e) => ({
      field: e.field || e.column || '',
      row: e.row,
      text: lang === 'en' ? e.detail_en || e.detail : e.detail_id || e.detail_en || e.detail,
    }));
  }
}

let onUnauthorised = () => {};

export function setUnauthorisedHandler(fn) {
  onUnauthorised = fn;
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(t) {
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  else sessionStorage.removeItem(TOKEN_KEY);
}

// One request. body: an object (sent as JSON), a string with opts.type
// (a CSV upload), or undefined. Returns the parsed JSON (null for 204), or
// the text when opts.text. Throws ApiError.
export async function api(method, path, body, opts = {}) {
  const headers = {};
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  let payload;
  if (body !== undefined && opts.type) {
    headers['Content-Type'] = opts.type;
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(path, { method, headers, body: payload, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, null);
  }
  if (resp.status === 204) return null;
  const type = resp.headers.get('Content-Type') || '';
  if (!resp.ok) {
    let problem = null;
    if (type.includes('json')) {
      try {
        problem = await resp.json();
      } catch (e) {
        problem = null;
      }
    }
    if (resp.status === 401 && path !== '/v1/auth/login') {
      setToken(null);
      onUnauthorised();
    }
    throw new ApiError(resp.status, problem);
  }
  if (opts.text) return resp.text();
  return type.includes('json') ? resp.json() : resp.text();
}

// A query string from an object, leaving out empty values.
export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
