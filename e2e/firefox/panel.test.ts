// The built extension in real Firefox ESR: the lab's scenarios run with the real diffusion client and
// the real DevTools "Diffusion" panel shows the connections, their cascades and the rules raised —
// the same scenarios as Chromium's, also for traffic from before DevTools was opened, and the lab's
// password never reaches the panel's DOM. Where Firefox shows more (the HTTP status of a failed
// upgrade in webRequest), the panel says so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, type Lab } from '../lab/lab.ts';
import { LAB_PASSWORD } from '../lab/scenarios/catalogue.ts';
import { encodePlainCredential } from '../../src/core/diffusion/credentials.ts';
import { buildExtension, cascade, launchWithExtension, rememberLab, root, waitForPanel, type FirefoxWithExtension } from './harness.ts';
import { closeToolbox, screenshotWindow, showTool } from './toolbox.ts';

let lab: Lab;
let firefox: FirefoxWithExtension;

before(async () => {
  buildExtension();
  lab = await startLab({
    only: ['healthy-websocket', 'websocket-stripped-upgrade', 'missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'connection-rejected-authentication', 'secure-to-insecure-cascade', 'cors-preflight-failed', 'credentials-over-websocket'],
  });
  firefox = await launchWithExtension();
  await rememberLab(firefox, lab.indexUrl);
});

after(async () => {
  await firefox?.close();
  await lab?.close();
});

/** Runs a scenario in a new tab, with the panel opened before the page loads or after it is done. */
async function run(id: string, openFirst: boolean) {
  const s = lab.scenarios.get(id);
  if (!s) throw new Error(`scenario ${id} is not running`);
  s.reset();
  const tab = await firefox.newTab();
  let panel = openFirst ? await firefox.openPanel() : undefined;
  const page = await firefox.runScenarioPage(tab, s.pageUrl, s.scenario.boundMs);
  panel ??= await firefox.openPanel();
  const done = async () => {
    await closeToolbox(firefox.bidi).catch(() => undefined);
    await firefox.closeTab(tab);
  };
  return { panel, page, expect: s.scenario.expect, done };
}

test('healthy-websocket: the panel shows one connected WEBSOCKET connection and no findings', async () => {
  const { panel, done } = await run('healthy-websocket', true);
  try {
    const view = await waitForPanel(firefox.bidi, panel, 'a connected WEBSOCKET connection', (v) => v.rows.some((r) => r.outcome === 'connected' && r.steps[0]?.transport === 'WEBSOCKET'));
    assert.equal(cascade(view.rows[0]), 'WEBSOCKET connected');
    assert.deepEqual(view.rules, []);
  } finally {
    await done();
  }
});

test('websocket-stripped-upgrade: WEBSOCKET failed → XHR connected; Firefox shows the upgrade was answered 200', async () => {
  const { panel, done } = await run('websocket-stripped-upgrade', true);
  try {
    const view = await waitForPanel(firefox.bidi, panel, 'the WEBSOCKET → XHR cascade and its finding', (v) =>
      v.rows.some((r) => cascade(r) === 'WEBSOCKET failed → XHR connected') && v.rules.includes('websocket-unavailable'));
    assert.ok(view.rows.every((r) => r.outcome === 'connected'), JSON.stringify(view.rows));
    // Firefox's webRequest reports the status (Chromium's network log names it in the error frame).
    assert.match(view.text, /answered 200 instead of 101/);
  } finally {
    await done();
  }
});

test('traffic from before DevTools was opened appears in the panel', async () => {
  const { panel, page, done } = await run('websocket-stripped-upgrade', false);
  try {
    assert.equal(page.state, 'done');
    await waitForPanel(firefox.bidi, panel, 'the cascade captured before DevTools opened', (v) =>
      v.rows.some((r) => cascade(r) === 'WEBSOCKET failed → XHR connected') && v.rules.includes('websocket-unavailable'));
  } finally {
    await done();
  }
});

// With the toolbox open on another tool, Firefox's network monitor records the page, and the
// Diffusion panel, shown later, reads it through getHAR: the failed upgrade keeps its 200.
test('traffic from before the Diffusion tab was shown keeps the failed upgrade\'s status', async () => {
  const s = lab.scenarios.get('websocket-stripped-upgrade');
  if (!s) throw new Error('scenario websocket-stripped-upgrade is not running');
  s.reset();
  const tab = await firefox.newTab();
  try {
    await showTool(firefox.bidi, 'netmonitor');
    const page = await firefox.runScenarioPage(tab, s.pageUrl, s.scenario.boundMs);
    assert.equal(page.state, 'done');
    const panel = await firefox.openPanel();
    const view = await waitForPanel(firefox.bidi, panel, 'the failed upgrade answered 200, from the network monitor', (v) =>
      v.rows.some((r) => cascade(r) === 'WEBSOCKET failed → XHR connected') && /answered 200 instead of 101/.test(v.text));
    assert.match(view.text, /WEBSOCKET failed \(status 200/);
  } finally {
    await closeToolbox(firefox.bidi).catch(() => undefined);
    await firefox.closeTab(tab);
  }
});

for (const id of ['missing-diffusion-suffix', 'duplicated-diffusion-suffix', 'connection-rejected-authentication', 'cors-preflight-failed', 'secure-to-insecure-cascade']) {
  test(`${id}: the panel raises the scenario's rules and none of its false alarms`, async () => {
    const { panel, expect, done } = await run(id, true);
    try {
      await waitForPanel(firefox.bidi, panel, `rules ${expect.raise.join(', ')}`, (v) => v.rows.length > 0 && expect.raise.every((r) => v.rules.includes(r)));
      // the page is done: give late events a moment, then check for false alarms
      await new Promise((r) => setTimeout(r, 500));
      const settled = await waitForPanel(firefox.bidi, panel, 'the panel', () => true);
      for (const r of expect.notRaise ?? []) assert.ok(!settled.rules.includes(r), `${id}: ${r} is a false alarm (${settled.rules.join(', ')})`);
    } finally {
      await done();
    }
  });
}

test('credentials-over-websocket: the password and its encodings never reach the panel; a screenshot of the toolbox', async () => {
  const { panel, expect, done } = await run('credentials-over-websocket', true);
  try {
    const view = await waitForPanel(firefox.bidi, panel, `rules ${expect.raise.join(', ')}`, (v) => expect.raise.every((r) => v.rules.includes(r)));
    const tunnel = encodePlainCredential(LAB_PASSWORD);
    for (const secret of [LAB_PASSWORD, tunnel, encodeURIComponent(tunnel)]) {
      assert.ok(!view.html.includes(secret) && !view.text.includes(secret), `the panel shows ${secret}`);
    }
    mkdirSync(join(root, 'e2e/.out'), { recursive: true });
    writeFileSync(join(root, 'e2e/.out/firefox-panel-credentials-over-websocket.png'), Buffer.from(await screenshotWindow(firefox.bidi), 'base64'));
  } finally {
    await done();
  }
});
