// Reports exported from a live capture count what was captured: requests seen live, once each
// however many sources saw them, not the "0 entries" of a file that was never read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation } from '../../src/core/model.ts';
import { readHarText } from '../../src/sources/har/read.ts';
import { PanelStore } from '../store.ts';
import { jsonExport, markdownExport, reportMeta } from './exports.ts';

const CAPTURE = join(import.meta.dirname, '../../e2e/fixtures/chromium/healthy-reconnect-after-drop.har');

test('a live export says how many requests were seen live, and by which sources', () => {
  const { observations } = readHarText(readFileSync(CAPTURE, 'utf8'));
  const requests = observations.filter((o) => o.kind === 'request');
  // The hook and DevTools' network log both saw every request.
  const live: Observation[] = [...observations.map((o) => ({ ...o, source: 'hook' as const })), ...requests.map((o) => ({ ...o, source: 'devtools' as const }))];
  const store = new PanelStore({ throttleMs: 0 });
  store.capturing('hook', 1);
  store.capturing('devtools', 1);
  store.add(live);
  store.flush();
  const state = store.getState();
  assert.ok(state.analysis.connections.length > 0);
  const meta = reportMeta(state, '9.9.9', store.getObservations());
  const md = markdownExport(state.analysis, meta);
  assert.match(md, new RegExp(`^- \\*\\*Input:\\*\\* capture: ${requests.length} requests seen live \\(hook, devtools\\)$`, 'm'));
  assert.ok(!/0 entries/.test(md), md.slice(0, 300));
  assert.match(md, new RegExp(`^- \\*\\*Connections:\\*\\* ${state.analysis.connections.length}$`, 'm'));
  const json = JSON.parse(jsonExport(state.analysis, meta).join('')) as { input: { live: { requests: number; sources: string[] } } };
  assert.deepEqual(json.input.live, { requests: requests.length, sources: ['hook', 'devtools'] });
});

test('an imported file still reports its entries', () => {
  const store = new PanelStore({ throttleMs: 0 });
  const read = readHarText(readFileSync(CAPTURE, 'utf8'));
  store.noteImport({ name: 'capture.har', at: 1, read: read.observations.length, entries: read.entries, skipped: 0, unrelated: read.unrelated, warnings: [] , error: null });
  store.add(read.observations);
  store.flush();
  const md = markdownExport(store.getState().analysis, reportMeta(store.getState(), '9.9.9', store.getObservations()));
  assert.match(md, new RegExp(`^- \\*\\*Input:\\*\\* \`capture\\.har\`: ${read.entries} entries, ${read.unrelated} not Diffusion traffic$`, 'm'));
});
