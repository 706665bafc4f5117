// Text pieces the rules share for their messages. Nothing here prints a query string, a token,
// a password or a cookie value: locations are rebuilt from the endpoint and still go through redactUrl.
import type { Attempt, Endpoint, Transport } from '../model.ts';
import { redactText, redactUrl } from '../diffusion/redact.ts';

export function schemeOf(transport: Transport, secure: boolean): string {
  if (transport === 'WEBSOCKET') return secure ? 'wss' : 'ws';
  return secure ? 'https' : 'http';
}

function hostPart(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `wss://push.example.com:443/lb/diffusion`: scheme, host, port and path, never the query. */
export function locationOf(transport: Transport, endpoint: Endpoint): string {
  const e = endpoint;
  return redactUrl(`${schemeOf(transport, e.secure)}://${hostPart(e.host)}:${e.port}${e.path}`);
}

// Rules name attempts and pages by these texts, once per attempt: a retrying client's 100,000 attempts
// share a few endpoints and pages, so each text is worked out once. Endpoints of one URL are one object.
const locations = new WeakMap<Endpoint, Partial<Record<Transport, string>>>();

export function attemptLocation(a: Attempt): string {
  let known = locations.get(a.endpoint);
  if (!known) locations.set(a.endpoint, (known = {}));
  return (known[a.transport] ??= locationOf(a.transport, a.endpoint));
}

/** Answers kept by their text (short ones), forgotten all at once when there are too many. */
function memo(f: (s: string) => string): (s: string) => string {
  const done = new Map<string, string>();
  return (s) => {
    if (s.length > 1024) return f(s);
    let out = done.get(s);
    if (out === undefined) {
      if (done.size >= 4096) done.clear();
      done.set(s, (out = f(s)));
    }
    return out;
  };
}

/** `push.example.com:443`. */
export function hostPort(e: Endpoint): string {
  return `${hostPart(e.host)}:${e.port}`;
}

/** The origin of a page URL (scheme, host, port): page queries may carry secrets of their own. */
export const pageOrigin = memo(function pageOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return redactUrl(url).split(/[?#]/)[0] ?? '';
  }
});

/** Origin and path of a page URL, without query or fragment. */
export const pageLocation = memo(function pageLocation(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return redactUrl(url).split(/[?#]/)[0] ?? '';
  }
});

/** 60000 → "60 s", 59800 → "59.8 s", 250 → "0.25 s", 180000 → "3 min", 3600000 → "1 h". */
export function duration(ms: number): string {
  const trim = (n: number, digits: number) => n.toFixed(digits).replace(/\.?0+$/, '');
  const s = ms / 1000;
  if (Math.abs(s) >= 7200) return `${trim(s / 3600, 1)} h`;
  if (Math.abs(s) >= 120) return `${trim(s / 60, 1)} min`;
  return `${trim(s, Math.abs(s) < 1 ? 2 : 1)} s`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}

/** "a", "a and b", "a, b and c". */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** How many runs an id list shows before it leaves the middle out. */
const SHOWN_RUNS = 12;

/**
 * Our ids (c1, a12) with runs of consecutive numbers as ranges: c1, c2, c3, c7 → "c1–c3", "c7". Any
 * other id stands alone.
 */
export function idRuns(ids: readonly string[]): string[] {
  const runs: string[] = [];
  let start = '';
  let prefix = '';
  let first = NaN;
  let last = NaN;
  const close = () => {
    if (start === '') return;
    if (last === first + 1) runs.push(start, `${prefix}${last}`);
    else runs.push(last > first ? `${start}–${prefix}${last}` : start);
  };
  for (const id of ids) {
    const m = /^([a-z]+)([1-9][0-9]{0,14})$/.exec(id);
    const n = m ? Number(m[2]) : NaN;
    if (m && m[1] === prefix && n === last + 1) {
      last = n;
      continue;
    }
    close();
    start = id;
    prefix = m ? m[1]! : '';
    first = last = n;
  }
  close();
  return runs;
}

/**
 * Ids in prose: "c1 and c2", "c1–c3, c7 and c9". Past SHOWN_RUNS runs the middle is left out and the
 * count said, "c1–c9, c11–c19, …, c991–c999 (900 in all)": a retry storm names ten thousand.
 */
export function idListing(ids: readonly string[], join: (runs: string[]) => string = listing): string {
  const runs = idRuns(ids);
  if (runs.length <= SHOWN_RUNS) return join(runs);
  return `${runs.slice(0, SHOWN_RUNS - 1).join(', ')}, …, ${runs[runs.length - 1]} (${thousands(ids.length)} in all)`;
}

/**
 * 12345 → "12,345", as toLocaleString('en-US') writes it. Its first call loads locale data (20–35 ms
 * in a fresh process or a panel's first render); integers need none of it.
 */
export function thousands(n: number): string {
  if (!Number.isInteger(n)) return n.toLocaleString('en-US');
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function quoted(s: string): string {
  return `'${s}'`;
}

/**
 * A short name for a browser error. Error texts can quote the whole request URL (Chromium's
 * mixed-content message does), so only its kind is shown, or the redacted text when unknown.
 */
export const errorLabel = memo(function errorLabel(error: string): string {
  const net = /net::ERR_[A-Z_]+/.exec(error);
  if (net) return net[0];
  if (/mixed[- ]content/i.test(error)) return 'a mixed-content error';
  if (/^SecurityError/i.test(error)) return 'SecurityError';
  if (/\bCORS\b|access-control/i.test(error)) return 'a CORS error';
  const text = redactText(error).replace(/\s+/g, ' ').replace(/(?:https?|wss?):\/\/\S+/gi, (u) => u.split(/[?#]/)[0] ?? '');
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
});
