// The tool's version: defined by the build (esbuild `define`), else read from package.json (tsx, tests).
import { readFileSync } from 'node:fs';

declare const __DCI_VERSION__: string | undefined;

export function toolVersion(): string {
  if (typeof __DCI_VERSION__ === 'string') return __DCI_VERSION__;
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
