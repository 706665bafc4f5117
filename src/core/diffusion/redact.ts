// Secrets the Diffusion client puts on the wire, and how every view and export hides them.
// `password` is a reversible encoding of the cleartext password; `c` is the session token that
// resumes a session. Cookies and Authorization are hidden too: they identify sessions.
import type { Headers } from '../model.ts';

export const REDACTED = '[redacted]';

/** Query parameters whose values are secret. */
export const SECRET_PARAMS: readonly string[] = ['password', 'c'];

/** Header names (lower case) whose values are secret. */
export const SECRET_HEADERS: readonly string[] = ['password', 'c', 'cookie', 'set-cookie', 'authorization', 'proxy-authorization'];

const SECRET_PARAM_SET = new Set(SECRET_PARAMS);
const SECRET_HEADER_SET = new Set(SECRET_HEADERS);

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
    if (!SECRET_PARAM_SET.has(safeDecode(rawKey).toLowerCase())) return pair;
    return `${rawKey}=${REDACTED}`;
  });
  return `${url.slice(0, q + 1)}${parts.join('&')}${rest}`;
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER_SET.has(name.toLowerCase());
}

export function redactHeaders(headers: Headers): Headers {
  const out: Headers = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSecretHeader(k) ? REDACTED : v;
  return out;
}

// `password=` or `c=` after ? or & up to the next separator, inside any text (log lines, error strings).
const SECRET_IN_TEXT = /([?&](?:password|c)=)[^&\s"'#<>]*/gi;

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
