// What dci does for one command line, without touching the process: the output, the one-line
// error and the exit status. The dci entry point writes them out; tests and the fuzz suite call it
// directly, thousands of times.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { analyze } from '../core/analyze.ts';
import type { RequestObservation } from '../core/model.ts';
import { KnownSecrets, secretsOfRequests } from '../core/diffusion/secrets.ts';
import { rules } from '../core/rules/index.ts';
import { EXPLAINS } from '../core/diagnose.ts';
import { CLIENT_FAMILIES } from '../core/diffusion/client-family.ts';
import { hasErrors, terminalSafe, toJsonPieces, toMarkdown, toText } from '../core/report/index.ts';
import type { ReportMeta } from '../core/report/index.ts';
import { wrap } from '../core/report/wrap.ts';
import { toHtmlPieces, type ReportAssets } from '../core/report/html.ts';
import { builtReportAssets } from '../core/report/built-assets.ts';
import { HarFormatError, readHarChunks } from '../sources/har/index.ts';
import { parseCommand, USAGE, UsageError } from './args.ts';
import type { Command, Format } from './args.ts';
import { toolVersion } from './version.ts';

/** Problems with the input: reported in one line, exit status 2. */
class InputError extends Error {
  override name = 'InputError';
}

const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_UNUSABLE = 2;

// Big reads: the cost is scanning, not system calls.
const READ_CHUNK = 8 << 20;

interface FileAnalysis {
  meta: ReportMeta;
  analysis: ReturnType<typeof analyze>;
  secrets: KnownSecrets;
  observations: number;
  analyzeMs: number;
}

async function analyzeFile(file: string): Promise<FileAnalysis> {
  const shown = JSON.stringify(file);
  let size: number;
  try {
    const s = await stat(file);
    if (s.isDirectory()) throw new InputError(`${shown} is a directory, not a HAR file`);
    if (!s.isFile()) throw new InputError(`${shown} is not a regular file`);
    size = s.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read ${shown}: ${fsReason(err)}`);
  }
  if (size === 0) throw new InputError(`${shown} is empty, not a HAR file`);
  let result;
  try {
    result = await readHarChunks(createReadStream(file, { highWaterMark: READ_CHUNK }));
  } catch (err) {
    if (err instanceof HarFormatError) throw new InputError(`${shown}: ${err.message}`);
    if ((err as { code?: unknown }).code !== undefined) throw new InputError(`cannot read ${shown}: ${fsReason(err)}`);
    throw err;
  }
  const meta: ReportMeta = {
    version: toolVersion(),
    file,
    entries: result.entries,
    skipped: result.skipped,
    unrelated: result.unrelated,
    warnings: result.warnings,
    capturedBy: result.capturedBy?.text ?? null,
  };
  // Secrets of every request read (polls and sends too), removed from the report wherever they appear.
  const secrets = secretsOfRequests(result.observations.filter((o): o is RequestObservation => o.kind === 'request'));
  const started = performance.now();
  const analysis = analyze(result.observations);
  return { meta, analysis, secrets, observations: result.observations.length, analyzeMs: performance.now() - started };
}

function fsReason(err: unknown): string {
  switch ((err as { code?: unknown }).code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a directory';
    default: return (err as { code?: string }).code ?? String((err as Error).message ?? err);
  }
}

// Every rule can stand as a verdict when nothing explains it; a cause also folds the findings it explains.
// Which clients a rule can be raised for: its own list, else every family.
function clientsOf(r: (typeof rules)[number]): readonly string[] {
  return r.clients ?? CLIENT_FAMILIES.filter((f) => f !== 'unknown');
}

function rulesText(format: Format, width: number): string {
  const explains = new Map(EXPLAINS);
  if (format === 'json') {
    return `${JSON.stringify(rules.map((r) => ({ id: r.id, severity: r.severity, summary: r.summary, cause: (explains.get(r.id)?.length ?? 0) > 0, explains: [...(explains.get(r.id) ?? [])], clients: clientsOf(r) })), null, 2)}\n`;
  }
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  // One rule a paragraph: id, severity and kind on the first line, the summary, its clients and what
  // a cause explains wrapped beneath.
  const lines = rules.map((r) => {
    const folds = explains.get(r.id) ?? [];
    const kind = folds.length > 0 ? 'cause' : 'finding';
    return [
      `${r.id.padEnd(idWidth)}  ${r.severity.padEnd(7)}  ${kind}`,
      ...wrap(`${r.summary} (clients: ${r.clients ? r.clients.join(', ') : 'all'})`, { width, first: '    ' }),
      ...(folds.length > 0 ? wrap(`explains: ${folds.join(', ')}`, { width, first: '    ', rest: '      ' }) : []),
    ].join('\n');
  });
  const note = wrap('Each verdict names one root cause: a rule marked cause folds the findings it explains beneath it; any rule is the verdict when nothing explains it.', { width, first: '' });
  return `${lines.join('\n')}\n\n${note.join('\n')}\n`;
}

async function run(command: Command, color: boolean, width: number): Promise<{ out: string | readonly string[]; code: number }> {
  switch (command.kind) {
    case 'help':
      return { out: USAGE, code: EXIT_OK };
    case 'version':
      return { out: `${toolVersion()}\n`, code: EXIT_OK };
    case 'rules':
      return { out: rulesText(command.format, width), code: EXIT_OK };
    case 'analyze': {
      const { meta, analysis, secrets, observations, analyzeMs } = await analyzeFile(command.file);
      const opts = { includeSecrets: command.includeSecrets, secrets };
      const out = command.format === 'html'
        ? toHtmlPieces({ analysis, meta, observations, analyzeMs }, await reportAssets(), opts)
        : command.format === 'json'
        ? toJsonPieces(analysis, meta, opts)
        : command.format === 'markdown'
          ? toMarkdown(analysis, meta, opts)
          : toText(analysis, meta, { ...opts, color, width });
      return { out, code: hasErrors(analysis) ? EXIT_FINDINGS : EXIT_OK };
    }
  }
}

export interface DciResult {
  /** Standard output in pieces, written one after the other (a big JSON report is several; see toJsonPieces). */
  stdout: readonly string[];
  /** Empty, or one line ending in a newline. */
  stderr: string;
  code: number;
}

/** Run one dci command line: never throws, never prints. */
// An unbuilt run (tsx) builds the report's page on demand; the path is not a literal so the
// bundler leaves it out of dist/cli/dci.js, which has the assets built in.
const UNBUILT_ASSETS = '../../scripts/report-assets.ts';

// Built once per process: the tests and the fuzz suite write thousands of reports.
let unbuiltAssets: Promise<ReportAssets> | null = null;

async function reportAssets(): Promise<ReportAssets> {
  const built = builtReportAssets();
  if (built) return built;
  unbuiltAssets ??= (import(UNBUILT_ASSETS) as Promise<{ buildReportAssets: () => Promise<ReportAssets> }>).then((m) => m.buildReportAssets());
  return unbuiltAssets;
}

/** `width`: the columns text output wraps to (80 when not a terminal). */
export async function runDci(argv: readonly string[], options: { color?: boolean; debug?: boolean; width?: number } = {}): Promise<DciResult> {
  const fail = (message: string, detail = ''): DciResult => ({ stdout: [], stderr: `${detail}dci: ${terminalSafe(message.replace(/\s*\n\s*/g, ' '))}\n`, code: EXIT_UNUSABLE });
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message);
    return fail(`internal error: ${describe(err)} (set DCI_DEBUG=1 for details)`);
  }
  try {
    const { out, code } = await run(command, options.color ?? false, options.width ?? 80);
    return { stdout: typeof out === 'string' ? [out] : out, stderr: '', code };
  } catch (err) {
    if (err instanceof InputError) return fail(err.message);
    const stack = options.debug ? `${(err as Error)?.stack ?? describe(err)}\n` : '';
    return fail(`internal error: ${describe(err)} (set DCI_DEBUG=1 for details)`, stack);
  }
}

/** Longest error text shown on the one line of an internal error (an engine's message can quote megabytes). */
const ERROR_TEXT_MAX = 300;

function describe(err: unknown): string {
  let text: string;
  try {
    text = err instanceof Error ? err.message : String(err);
  } catch {
    return 'an error that cannot be shown';
  }
  return text.length > ERROR_TEXT_MAX ? `${text.slice(0, ERROR_TEXT_MAX)}…` : text;
}
