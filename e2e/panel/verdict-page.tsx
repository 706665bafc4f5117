// A test page (not shipped): the real panel over a HAR (`?har=`), with the analysis' verdicts,
// outcomes and times changed as a test needs them. Without `?verdicts` the core's verdicts are
// removed, to show the rows' own words; `?verdicts` gives each connection with findings a verdict (its most severe finding the cause, the
// rest its consequences), `?outcomes=c1:lost,c2:closed` sets outcomes, `?laterDays=1` moves the last
// connection that many days later, `?worker` adds the finding that the session runs in a SharedWorker.
import { analyze } from '../../src/core/analyze.ts';
import type { Analysis, Attempt, Finding, Severity, Verdict } from '../../src/core/model.ts';
import { mountPanel, PanelStore } from '../../panel/index.tsx';
import { importHarBlob } from '../../panel/io/import-har.ts';

const params = new URLSearchParams(location.search);
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function withVerdicts(a: Analysis): Analysis {
  const verdicts: Verdict[] = [];
  for (const c of a.connections) {
    const own = a.findings.filter((f) => f.connection === c.id).sort((x, y) => RANK[x.severity] - RANK[y.severity]);
    const cause: Finding | undefined = own[0];
    if (!cause) continue;
    verdicts.push({
      id: `${cause.rule}#${verdicts.length + 1}`, rule: cause.rule, severity: cause.severity,
      title: `Verdict for ${c.id}: ${cause.rule} explains it`, message: cause.message, evidence: [`evidence line for ${c.id}`], fix: cause.fix,
      connections: [c.id], attempts: cause.attempts, causes: [cause], consequences: own.slice(1),
    });
  }
  return { ...a, verdicts };
}

function later(at: Attempt, ms: number): Attempt {
  const move = (t: number | null) => (t === null ? null : t + ms);
  return { ...at, startedAt: at.startedAt + ms, endedAt: move(at.endedAt), closedAt: move(at.closedAt) };
}

function adjust(a: Analysis): Analysis {
  let out = params.has('verdicts') ? withVerdicts(a) : { ...a, verdicts: [] };
  const outcomes = new Map((params.get('outcomes') ?? '').split(',').filter(Boolean).map((p) => p.split(':') as [string, string]));
  const days = Number(params.get('laterDays') ?? '0');
  const lastId = out.connections[out.connections.length - 1]?.id;
  const connections = out.connections.map((c) => {
    let next = outcomes.has(c.id) ? { ...c, outcome: outcomes.get(c.id) as typeof c.outcome } : c;
    if (days && c.id === lastId) next = { ...next, startedAt: next.startedAt + days * 86_400_000, attempts: next.attempts.map((x) => later(x, days * 86_400_000)) };
    return next;
  });
  out = { ...out, connections };
  if (params.has('worker')) {
    out = { ...out, findings: [...out.findings, { rule: 'session-in-worker', severity: 'info', message: 'The page started diffusion-worker.js as a SharedWorker.', fix: '', connection: null, attempts: [] }] };
  }
  return out;
}

const store = new PanelStore({ analyze: (observations) => adjust(analyze(observations)) });
mountPanel(document.getElementById('root')!, store, { theme: 'light' });
const har = params.get('har');
if (har) {
  void fetch(har).then((r) => r.blob()).then((b) => importHarBlob(b, 'capture.har')).then(({ observations, note }) => {
    store.noteImport(note);
    store.add(observations);
    store.flush();
  });
}
