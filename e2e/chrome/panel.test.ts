// The built extension in real Chromium: the lab's scenarios run with the real diffusion client, and
// the real DevTools "Diffusion" panel shows the connections, their cascades and the rules raised —
// also for traffic from before DevTools was opened, and after the background worker was stopped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, type Lab } from '../lab/lab.ts';
import { runScenarioPage } from '../lab/browser.ts';
import { LAB_PASSWORD } from '../lab/scenarios/catalogue.ts';
import { encodePlainCredential } from '../../src/core/diffusion/credentials.ts';
import { buildExtension, launchWithExtension, rememberLab, readPanel, root, waitForPanel, type ExtensionBrowser, type PanelView } from './harness.ts';

let lab: Lab;
let browser: ExtensionBrowser;

before(async () => {
  buildExtension();
  lab = await startLab();
  browser = await launchWithExtension();
  await rememberLab(browser, lab.indexUrl);
});

after(async () => {
  await browser?.close();
  await lab?.close();
});

function scenario(id: string) {
  const s = lab.scenarios.get(id);
  if (!s) throw new Error(`scenario ${id} is not running`);
  s.reset();
  return s;
}

const cascade = (row: PanelView['rows'][number] | undefined) => row?.steps.map((s) => `${s.transport} ${s.result}`).join(' → ');

async function run(id: string, openFirst: boolean) {
  const s = scenario(id);
  const page = await browser.lab.context.newPage();
  let opened = openFirst ? await browser.openPanel(page) : undefined;
  const result = await runScenarioPage(page, s.pageUrl, s.scenario.boundMs);
  opened ??= await browser.openPanel(page);
  return { page, panel: opened.panel, devtools: opened.devtools, result, scenario: s.scenario };
}

test('healthy-websocket: the panel shows one connected WEBSOCKET connection and no findings', async () => {
  const { page, panel } = await run('healthy-websocket', true);
  try {
    const view = await waitForPanel(panel, 'a connected WEBSOCKET connection', (v) => v.rows.some((r) => r.outcome === 'connected' && r.steps[0]?.transport === 'WEBSOCKET'));
    assert.equal(cascade(view.rows[0]), 'WEBSOCKET connected');
    assert.deepEqual(view.rules, []);
  } finally {
    await page.close();
  }
});

test('websocket-stripped-upgrade: WEBSOCKET failed → XHR connected, rule websocket-unavailable', async () => {
  const { page, panel } = await run('websocket-stripped-upgrade', true);
  try {
    const view = await waitForPanel(panel, 'the WEBSOCKET → XHR cascade and its finding', (v) =>
      v.rows.some((r) => cascade(r) === 'WEBSOCKET failed → XHR connected') && v.rules.includes('websocket-unavailable'));
    // The scenario's page closes its session after a while: read late, the outcome is that clean close.
    assert.ok(view.rows.every((r) => r.outcome === 'connected' || r.outcome === 'closed'), JSON.stringify(view.rows));
    // The failed upgrade's answer, from DevTools' log.
    const said = await waitForPanel(panel, 'the upgrade answered 200', (v) => /answered 200 instead of 101/.test(v.text));
    assert.match(said.text, /WEBSOCKET failed \(status 200/);
  } finally {
    await page.close();
  }
});

// Chrome's log gives a socket refused or reset before its handshake no start time: live, such an
// entry still meets the hook's record of its socket, so the attempts name the network's error.
test('retry-storm, live: the refused sockets say the network error, not only "WebSocket error"', async () => {
  const { page, panel, result } = await run('retry-storm', true);
  try {
    const failedMarks = (v: { html: string }) => [...v.html.matchAll(/title="[^"]*WEBSOCKET failed \(([^)]*)\)/g)].map((m) => m[1]);
    // DevTools reports the last sockets' entries a little after the client gave up.
    await waitForPanel(panel, 'the retry storm with every socket the client made', (v) =>
      v.rules.includes('retry-storm') && failedMarks(v).length >= (result.results[0]?.attempts ?? Infinity));
    await new Promise((r) => setTimeout(r, 1000)); // nothing more comes
    const view = await readPanel(panel);
    const marks = failedMarks(view);
    const made = result.results[0]?.attempts ?? 0;
    // Each socket once, with the network's words: the live entry and the backfill that follows the
    // listener's start can both list one socket, and must not make two attempts of it.
    assert.equal(marks.length, made, `${marks.length} failed sockets on the timeline for ${made} made: ${JSON.stringify(marks)}`);
    assert.ok(marks.every((m) => /net::ERR_/.test(m!)), `sockets without the network's error: ${JSON.stringify(marks)}`);
  } finally {
    await page.close();
  }
});

// DevTools builds an entry of every finished request for a network-log listener, a cost the page pays:
// the panel listens only once the page shows Diffusion traffic, and then reads what came before.
test('the panel follows the network log only once the page shows Diffusion traffic, and still has what came before', async () => {
  const s = scenario('websocket-stripped-upgrade');
  const page = await browser.lab.context.newPage();
  try {
    const { panel } = await browser.openPanel(page);
    await page.goto(lab.indexUrl);
    await waitForPanel(panel, 'the network-log note', (v) => v.text.includes('followed live once the page shows Diffusion traffic'));
    await page.evaluate(() => fetch(location.href).then((r) => r.text()));
    assert.match((await readPanel(panel)).text, /followed live once the page shows Diffusion traffic/, 'plain traffic does not start the listener');
    await runScenarioPage(page, s.pageUrl, s.scenario.boundMs);
    await waitForPanel(panel, 'the panel to follow the network log', (v) => v.text.includes('and followed live'));
    const view = await waitForPanel(panel, 'the cascade, with the failed upgrade from the network log', (v) =>
      v.rows.some((r) => cascade(r) === 'WEBSOCKET failed → XHR connected') && v.rules.includes('websocket-unavailable'));
    assert.ok(view.rows.length >= 1);
  } finally {
    await page.close();
  }
});

test('traffic from before DevTools was opened appears in the panel', async () => {
  const { page, panel, result } = await run('websocket-stripped-upgrade', false);
  try {
    assert.equal(result.state, 'done');
    await waitForPanel(panel, 'the cascade captured before DevTools opened', (v) =>
      v.rows.some((r) => cascade(r) === 'WEBSOCKET failed → XHR connected') && v.rules.includes('websocket-unavailable'));
  } finally {
    await page.close();
  }
});
