// dci: analyze a HAR capture of a Diffusion client from the command line.
// Exit status 0 without error findings, 1 with error findings, 2 for unusable input or usage — always
// with one line on stderr ("dci: …") and never a stack trace.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { analyze } from '../core/analyze.ts';
import { rules } from '../core/rules/index.ts';
import { hasErrors, terminalSafe, toJson, toMarkdown, toText } from '../core/report/index.ts';
import type { ReportMeta } from '../core/report/index.ts';
import { outputWidth, wrap } from '../core/report/wrap.ts';
import { toHtml, type ReportAssets } from '../core/report/html.ts';
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
  };
  const started = performance.now();
  const analysis = analyze(result.observations);
  return { meta, analysis, observations: result.observations.length, analyzeMs: performance.now() - started };
}

function fsReason(err: unknown): string {
  switch ((err as { code?: unknown }).code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a directory';
    default: return (err as { code?: string }).code ?? String((err as Error).message ?? err);
  }
}

function rulesText(format: Format): string {
  if (format === 'json') {
    return `${JSON.stringify(rules.map((r) => ({ id: r.id, severity: r.severity, summary: r.summary })), null, 2)}\n`;
  }
  // One rule a paragraph: id and severity on the first line, the summary wrapped beneath.
  const width = outputWidth(process.stdout);
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  return rules.map((r) => [`${r.id.padEnd(idWidth)}  ${r.severity}`, ...wrap(r.summary, { width, first: '    ' })].join('\n')).join('\n') + '\n';
}

async function run(command: Command): Promise<{ out: string; code: number }> {
  switch (command.kind) {
    case 'help':
      return { out: USAGE, code: EXIT_OK };
    case 'version':
      return { out: `${toolVersion()}\n`, code: EXIT_OK };
    case 'rules':
      return { out: rulesText(command.format), code: EXIT_OK };
    case 'analyze': {
      const { meta, analysis, observations, analyzeMs } = await analyzeFile(command.file);
      const opts = { includeSecrets: command.includeSecrets };
      const out = command.format === 'html'
        ? toHtml({ analysis, meta, observations, analyzeMs }, await reportAssets(), opts)
        : command.format === 'json'
        ? toJson(analysis, meta, opts)
        : command.format === 'markdown'
          ? toMarkdown(analysis, meta, opts)
          : toText(analysis, meta, { ...opts, color: useColor(), width: outputWidth(process.stdout) });
      return { out, code: hasErrors(analysis) ? EXIT_FINDINGS : EXIT_OK };
    }
  }
}

// An unbuilt run (tsx) builds the report's page on demand; the path is not a literal so the
// bundler leaves it out of dist/cli/dci.js, which has the assets built in.
const UNBUILT_ASSETS = '../../scripts/report-assets.ts';

async function reportAssets(): Promise<ReportAssets> {
  const built = builtReportAssets();
  if (built) return built;
  const { buildReportAssets } = (await import(UNBUILT_ASSETS)) as { buildReportAssets: () => Promise<ReportAssets> };
  return buildReportAssets();
}

function useColor(): boolean {
  return process.stdout.isTTY === true && !process.env['NO_COLOR'];
}

/** Write all of `text` and resolve once it has been handed to the OS (pipes included). */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.write(text, () => resolve());
  });
}

function fail(message: string): void {
  process.stderr.write(`dci: ${terminalSafe(message.replace(/\s*\n\s*/g, ' '))}\n`);
  process.exitCode = EXIT_UNUSABLE;
}

async function main(argv: readonly string[]): Promise<void> {
  // A reader that goes away (dci … | head) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
    fail(`cannot write the output: ${err.code ?? err.message}`);
    process.exit(EXIT_UNUSABLE);
  });
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message);
    throw err;
  }
  try {
    const { out, code } = await run(command);
    await writeOut(out);
    // No process.exit(): Node exits once stdout has drained.
    process.exitCode = code;
  } catch (err) {
    if (err instanceof InputError) return fail(err.message);
    const detail = err instanceof Error ? err.message : String(err);
    if (process.env['DCI_DEBUG']) process.stderr.write(`${(err as Error).stack ?? detail}\n`);
    fail(`internal error: ${detail} (set DCI_DEBUG=1 for details)`);
  }
}

await main(process.argv.slice(2));
