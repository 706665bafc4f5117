// Where a Firefox capture of a scenario honestly shows less (or otherwise) than Chromium's, the
// Firefox expectation differs from the scenario's, with the reason; the recorder writes it into
// e2e/fixtures/firefox/<id>.expect.json. Chromium's expectations stay as the scenario states them.
// Measured with Firefox ESR 153: its devtools.network.getHAR() has no WebSocket messages (so no
// connection response, no close), and no error text for failed requests (status 0 only).
export interface FirefoxDifference {
  /** Rules the scenario raises that a Firefox HAR cannot. */
  notRaised?: string[];
  /** Rules the scenario must not raise that a Firefox HAR raises anyway, for want of evidence. */
  falseAlarms?: string[];
  /** How the scenario page ends in Firefox, when not "done". */
  pageState?: string;
  /** The verdict a Firefox HAR can support, when its capture cannot show the scenario's root cause (null: none). */
  verdict?: string | null;
  note: string;
}

const NO_FRAMES = "Firefox's HAR holds no WebSocket messages: the server's connection response is not in it (the live panel reads it through the page hook)";

export const FIREFOX_DIFFERENCES: Record<string, FirefoxDifference> = {
  'connection-rejected-authentication': { notRaised: ['connection-rejected'], verdict: null, note: `${NO_FRAMES}, so the 116 rejection cannot be read from the capture.` },
  'connection-rejected-licence': { notRaised: ['connection-rejected'], verdict: null, note: `${NO_FRAMES}, so the rejection cannot be read from the capture.` },
  'protocol-version-downgrade': { notRaised: ['protocol-version-mismatch'], verdict: null, note: `${NO_FRAMES}, so the DOWNGRADE answer cannot be read from the capture.` },
  'retry-after-fatal-rejection': {
    notRaised: ['connection-rejected', 'retry-after-fatal-rejection'],
    verdict: null,
    note: `${NO_FRAMES}: the three accepted upgrades (101) read as connections of unknown outcome, and the rejections behind the retries are not in the capture.`,
  },
  'idle-timeout-disconnect': {
    notRaised: ['idle-timeout-disconnect'],
    verdict: null,
    note: `${NO_FRAMES} and no close: the idle drop cannot be seen; the accepted upgrades read as connections of unknown outcome.`,
  },
  'retry-storm': {
    notRaised: ['retry-storm'],
    pageState: 'timeout',
    verdict: 'no-fallback-transport',
    note: 'Firefox delays new WebSocket connections to a host whose connections failed (RFC 6455 §7.2.3 backoff: 0.4, 0.6, 0.9, 1.3, 2.0, 2.9 s apart), so the app\'s 50 ms retry loop does not reach the wire as a storm, and the page runs past its bound (pageState "timeout").',
  },
  'secure-to-insecure-cascade': {
    falseAlarms: ['cors-preflight-failed'],
    note: "Firefox's HAR records no error text for failed requests: the preflight to the down https host (status 0) looks like a refused preflight. The live panel gets NS_ERROR_NET_RESET from webRequest and stays quiet.",
  },
  'nginx-read-timeout-websocket': {
    notRaised: ['idle-timeout-disconnect'],
    verdict: null,
    note: `${NO_FRAMES} and no close: the cuts at nginx's proxy_read_timeout cannot be seen; the accepted upgrades read as connections of unknown outcome.`,
  },
  'haproxy-timeout-client-no-tunnel': {
    notRaised: ['idle-timeout-disconnect'],
    verdict: null,
    note: `${NO_FRAMES} and no close: the cuts at HAProxy's timeout client cannot be seen; the accepted upgrades read as connections of unknown outcome.`,
  },
  'haproxy-failover-unknown-session': {
    notRaised: ['session-lost-on-failover'],
    verdict: null,
    note: `${NO_FRAMES}: the 117 the backup server answered the reconnect with is not in the capture; both accepted upgrades read as connections of unknown outcome.`,
  },
  'transient-initialising-then-connected': {
    notRaised: ['recovered-rejection'],
    verdict: null,
    note: `${NO_FRAMES}: the 119 rejection and the 100 of the retry are not in the capture; both accepted upgrades read as connections of unknown outcome.`,
  },
  'session-in-shared-worker': {
    notRaised: ['session-in-worker'],
    verdict: null,
    note: "Firefox's HAR of the page holds neither the SharedWorker's script nor its traffic (Chromium's holds the script, status 0): nothing in the capture shows the worker. The live panel can only learn of it from the page.",
  },
};

/** The verdict a Firefox capture of the scenario leads to. */
export function firefoxVerdict(id: string, verdict: string | null): string | null {
  const diff = FIREFOX_DIFFERENCES[id];
  if (diff && diff.verdict !== undefined) return diff.verdict;
  return verdict !== null && diff?.notRaised?.includes(verdict) ? null : verdict;
}
