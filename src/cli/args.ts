// Command-line grammar of dci: what the user asked for, or a UsageError with one line to show.
import { parseArgs } from 'node:util';

export type Format = 'text' | 'json' | 'markdown' | 'html';
export const FORMATS: readonly Format[] = ['text', 'json', 'markdown', 'html'];

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'rules'; format: Format }
  | { kind: 'analyze'; file: string; format: Format; includeSecrets: boolean };

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage:
  dci analyze <file.har> [--format text|json|markdown|html] [--include-secrets]
  dci rules [--format text|json]
  dci --help | --version

Explains how the Diffusion clients in a HAR capture connected: the transport
cascade, the server's connection responses, and what is misconfigured, with the
fix.

Options:
  -f, --format <format>   text (default), json (a stable contract, "schema": 1),
                          markdown (for tickets) or html (one file with the
                          panel's view, for any browser)
      --include-secrets   show passwords, session tokens and cookies as captured
                          (default: [redacted])
  -h, --help              show this help
  -v, --version           show the version

Exit status: 0 no error findings, 1 error findings, 2 unusable input or usage.
Colour is used on a terminal unless NO_COLOR is set.
`;

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  'include-secrets': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(describeParseError(err));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('missing command: try "dci analyze <file.har>" or "dci --help"');
  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format "${format}": use text, json, markdown or html`);
  switch (command) {
    case 'analyze': {
      if (rest.length === 0) throw new UsageError('missing argument: the HAR file to analyze (dci analyze <file.har>)');
      if (rest.length > 1) throw new UsageError(`too many arguments: "${rest.slice(1).join(' ')}" (dci analyze takes one file)`);
      return { kind: 'analyze', file: rest[0]!, format: format as Format, includeSecrets: values['include-secrets'] ?? false };
    }
    case 'rules':
      if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}" after "rules"`);
      if (format === 'markdown' || format === 'html') throw new UsageError('dci rules prints text or json');
      if (values['include-secrets']) throw new UsageError('--include-secrets only applies to dci analyze');
      return { kind: 'rules', format: format as Format };
    default:
      throw new UsageError(`unknown command "${command}": use analyze or rules (dci --help)`);
  }
}

// node:util parseArgs errors are long and suggest '--' tricks; say what is wrong in a few words.
function describeParseError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  const option = /'([^']+)'/.exec(message)?.[1]?.split(' ')[0];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''} (dci --help lists the options)`.replace('  ', ' ');
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // "Option '-f, --format <value>' argument missing" / "Option '--include-secrets' does not take an argument"
      const line = message.split('\n')[0]!;
      return line.charAt(0).toLowerCase() + line.slice(1);
    }
    default:
      return message.split('\n')[0]!;
  }
}
