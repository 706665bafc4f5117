// Secrets the Diffusion client puts on the wire, and how every view and export hides them.
// `password` is a reversible encoding of the cleartext password; `c` is the session token that
// resumes a session. Cookies and Authorization are hidden too: they identify sessions.
import type { Headers } from '../model.ts';

export const REDACTED = '[redacted]';

/** Query parameters whose values are secret. */
export const SECRET_PARAMS: readonly string[] = ['password', 'c'];

/** Header names (lower case) whose values are secret. */
export const SECRET_HEADERS: readonly string[] = ['password', 'c', 'cookie', 'set-cookie', 'authorization', 'proxy-authorization', 'x-api-key', 'x-auth-token'];

const SECRET_HEADER_SET = new Set(SECRET_HEADERS);

/**
 * Query parameters named like credentials, in any URL shown (the page's own, a referer, a location):
 * Diffusion's `password` and `c`, and the names applications and identity providers use.
 */
const CREDENTIAL_PARAM_NAMES = 'c|password|passwd|pwd|pass|passphrase|secret|client_secret|token|access_token|id_token|refresh_token|auth|auth_token|authorization|api_key|apikey|session|sessionid|session_id|jsessionid|phpsessid|sid|credential|credentials';
const CREDENTIAL_PARAM = new RegExp(`^(?:${CREDENTIAL_PARAM_NAMES})$`, 'i');

export function isSecretParam(name: string): boolean {
  return CREDENTIAL_PARAM.test(name);
}

/**
 * Replace secret query values in a URL, keeping everything else byte for byte (order, encoding,
 * oddities of hostile URLs). Works on text, so it never throws on a URL that does not parse.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash);
  const rest = hash < 0 ? '' : url.slice(hash);
  const parts = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    if (!isSecretParam(safeDecode(rawKey))) return pair;
    return `${rawKey}=${REDACTED}`;
  });
  return `${url.slice(0, q + 1)}${parts.join('&')}${rest}`;
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER_SET.has(name.toLowerCase());
}

/**
 * Secret headers hidden by name; every other value may hold a URL (referer, location, `:path`), so
 * it goes through `redactText`. Names are page data: the record is built by data properties, so a
 * header named "__proto__" stays a header.
 */
export function redactHeaders(headers: Headers): Headers {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isSecretHeader(k) ? REDACTED : redactText(v)]));
}

// A credential-named parameter after ?, & or ; up to the next separator, inside any text (log lines,
// error strings, header values).
const SECRET_IN_TEXT = new RegExp(`([?&;](?:${CREDENTIAL_PARAM_NAMES})=)[^&;\\s"'#<>]*`, 'gi');

/** Redact secret query values wherever a URL is embedded in free text. */
export function redactText(text: string): string {
  return text.replace(SECRET_IN_TEXT, `$1${REDACTED}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
