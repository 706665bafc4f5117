// Which client library made a connection: from its `$Environment` session property when it sent one,
// else from its client type `ty` and what the request shows of its runtime.
// - `$Environment` (clients since 6.11 propose it in `sp`): `BROWSER_<browser>_<ver>` and
//   `NODE_<platform>_<ver>` (the `diffusion` npm package, src/internal/util/environment.js),
//   `Apple_<os>_<major.minor>` (the format string "Apple_%@_%ld.%ld" in pushtechnology/diffusion-swift's
//   framework), `JAVA_…`, `ANDROID_…`, `DOTNET_…`, `C_…`, `PYTHON_…` (the server's `$ClientType` values in
//   the npm typings: ANDROID, C, DOTNET, IOS, JAVA, JAVASCRIPT_BROWSER, MQTT, PYTHON, OTHER).
// - `ty`: WB/B JavaScript, WJ/J Java, WN/N .NET (diffusiondata/wireshark-dissector dpt.constants.lua
//   clientTypesByChar), WIOS Apple (diffusion-swift), PY Python (the PyPI package). Android's client
//   type is not public: it reads as Java unless `$Environment` says ANDROID.
import type { ClientFamily, HandshakeParams, Headers, Transport } from '../model.ts';

export const CLIENT_FAMILIES: readonly ClientFamily[] = ['browser', 'node', 'java', 'android', 'apple', 'python', 'dotnet', 'c', 'unknown'];

/** How each family is named to people. */
export const CLIENT_FAMILY_NAMES: Record<ClientFamily, string> = {
  browser: 'JavaScript in a browser',
  node: 'JavaScript in Node.js',
  java: 'Java',
  android: 'Android',
  apple: 'Apple (iOS, tvOS, macOS)',
  python: 'Python',
  dotnet: '.NET',
  c: 'C',
  unknown: 'unknown',
};

const BY_ENVIRONMENT: readonly [RegExp, ClientFamily][] = [
  [/^BROWSER_/i, 'browser'],
  [/^NODE_/i, 'node'],
  [/^ANDROID_/i, 'android'],
  [/^JAVA_/i, 'java'],
  [/^Apple_/i, 'apple'],
  [/^(IOS|MACOS|TVOS)_/i, 'apple'],
  [/^PYTHON_/i, 'python'],
  [/^(DOTNET|NET)_/i, 'dotnet'],
  [/^C_/i, 'c'],
];

const BY_CLIENT_TYPE: Record<string, ClientFamily> = {
  WJ: 'java', J: 'java', WIOS: 'apple', PY: 'python', WN: 'dotnet', N: 'dotnet',
};

/** What the family decision looks at: one handshake request. */
export interface FamilyEvidence {
  transport: Transport;
  params: HandshakeParams;
  requestHeaders: Headers;
  pageUrl: string | null;
}

export function environmentOf(params: HandshakeParams): string | null {
  const sp = params.sessionProperties;
  if (sp === null || typeof sp !== 'object') return null;
  const env = sp['$Environment'];
  return typeof env === 'string' ? env : null;
}

// The npm client reports a browser whenever `navigator` exists, which Node has had since 21: there
// UA-Parser names no browser ("BROWSER_undefined_undefined"); it falls back to "BROWSER_UNKNOWN".
const UNNAMED_BROWSER = /^BROWSER_(undefined|UNKNOWN)(_|$)/i;

export function clientFamily(e: FamilyEvidence): ClientFamily {
  const env = environmentOf(e.params);
  if (env !== null && !UNNAMED_BROWSER.test(env)) for (const [pattern, family] of BY_ENVIRONMENT) if (pattern.test(env)) return family;
  const ty = e.params.clientType ?? null;
  // The XHR transport exists only in the browser build.
  if (e.transport === 'XHR' && (ty === 'B' || ty === null)) return 'browser';
  if (ty === 'WB') return javascriptRuntime(e);
  if (ty !== null && BY_CLIENT_TYPE[ty]) return BY_CLIENT_TYPE[ty]!;
  return 'unknown';
}

// A JavaScript client without `$Environment` (5.9 sends none): a browser always sends Origin and a
// User-Agent with its upgrade and has a page; the Node `ws` library sends neither. 6.x in Node also
// asks for zlib (ca=10), the browser build never (ca=8).
function javascriptRuntime(e: FamilyEvidence): ClientFamily {
  const h = e.requestHeaders;
  if (e.pageUrl !== null || h['origin'] !== undefined || /mozilla/i.test(h['user-agent'] ?? '')) return 'browser';
  if (e.params.capabilities !== null && (e.params.capabilities & 2) !== 0) return 'node';
  if (Object.keys(h).length > 0) return 'node';
  return 'browser';
}
