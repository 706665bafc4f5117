// A test page (not shipped): the real panel over a synthetic analysis of 10k connections and 50k
// attempts (`?verdicts`: and a verdict for each), timing mount-to-first-screen and writing the result
// into the DOM for the test to read.
import type { Analysis, Connection, Finding, Verdict } from '../../src/core/model.ts';
import { PanelStore } from '../../panel/index.tsx';
import { attempt, CONNECTIONS, mountAndMeasure, PER_CONNECTION, T0 } from './synthetic.ts';

function synthetic(): Analysis {
  const connections: Connection[] = [];
  const findings: Finding[] = [];
  let n = 0;
  for (let c = 0; c < CONNECTIONS; c++) {
    const at = T0 + c * 1000;
    const attempts = Array.from({ length: PER_CONNECTION }, (_, i) => attempt(`a${++n}`, i, at + i * 40, i === 1 || i === PER_CONNECTION - 1));
    connections.push({ id: `c${c + 1}`, endpoint: attempts[0]!.endpoint, clientVersion: null, protocolVersion: 29, outcome: 'connected', attempts, startedAt: at, pageUrl: null, client: 'browser' });
    findings.push({ rule: 'websocket-unavailable', severity: 'warning', message: `The WebSocket attempt of c${c + 1} failed.`, fix: 'Allow WebSocket upgrades.', connection: `c${c + 1}`, attempts: [attempts[0]!.id] });
  }
  // `?verdicts`: each connection explained by its own verdict (10,000 verdict cards).
  const verdicts: Verdict[] = new URLSearchParams(location.search).has('verdicts')
    ? findings.map((f, i) => ({
      id: `${f.rule}#${i + 1}`, rule: f.rule, severity: f.severity, title: `The WebSocket upgrade of ${f.connection} failed`, message: f.message,
      evidence: [`evidence of ${f.connection}`], fix: f.fix, connections: [f.connection!], attempts: f.attempts, causes: [f], consequences: [],
    }))
    : [];
  return { connections, findings, verdicts, context: { pages: [], preflights: [] } };
}

const analysis = synthetic();
const store = new PanelStore({ analyze: () => analysis });
mountAndMeasure(store, 'scale-result');
