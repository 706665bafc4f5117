// Firefox suspends an idle MV3 event page (here after 1 s instead of 30 s): what it captured is in
// storage.session, so the panel still shows all of it, nothing doubles when the panel reconnects to
// a restarted page, and capture goes on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from '../lab/lab.ts';
import { buildExtension, cascade, GECKO_ID, launchWithExtension, rememberLab, readPanel, waitFor, waitForPanel, type FirefoxWithExtension } from './harness.ts';
import { backgroundState, countSuspensions } from './toolbox.ts';

let lab: Lab;
let firefox: FirefoxWithExtension;

before(async () => {
  buildExtension();
  lab = await startLab({ only: ['websocket-stripped-upgrade', 'healthy-websocket'] });
  firefox = await launchWithExtension({ prefs: { 'extensions.background.idle.timeout': 1000 } });
  await rememberLab(firefox, lab.indexUrl);
});

after(async () => {
  await firefox?.close();
  await lab?.close();
});

function scenario(id: string) {
  const s = lab.scenarios.get(id);
  if (!s) throw new Error(`scenario ${id} is not running`);
  s.reset();
  return s;
}

/** Waits (bounded) for one more suspension than `seen`; returns the new count. */
async function suspension(count: () => Promise<number>, seen: number): Promise<number> {
  return waitFor('the event page to be suspended', async () => {
    const n = await count();
    return n > seen ? n : undefined;
  }, 20_000);
}

test('a suspended event page loses nothing: before DevTools opens, and while the panel is open', async () => {
  const suspensions = await countSuspensions(firefox.bidi, GECKO_ID);
  const tab = await firefox.newTab();
  try {
    const stripped = scenario('websocket-stripped-upgrade');
    let seen = await suspensions();
    await firefox.runScenarioPage(tab, stripped.pageUrl, stripped.scenario.boundMs);
    // suspended (perhaps more than once while the page ran) and not woken since
    seen = await suspension(suspensions, seen);
    await waitFor('the event page to stay stopped', async () => (await backgroundState(firefox.bidi, GECKO_ID)) === 'stopped', 20_000);

    const panel = await firefox.openPanel();
    await waitForPanel(firefox.bidi, panel, 'the cascade captured before the suspension', (v) =>
      v.rows.some((r) => cascade(r) === 'WEBSOCKET failed → XHR connected') && v.rules.includes('websocket-unavailable'));

    // Firefox suspends it with the panel's port open too; the panel reconnects and re-reads the snapshot.
    seen = await suspension(suspensions, seen);
    await waitFor('the event page to run again', async () => (await backgroundState(firefox.bidi, GECKO_ID)) === 'running', 10_000);
    const again = await readPanel(firefox.bidi, panel);
    assert.equal(again.rows.filter((r) => cascade(r) === 'WEBSOCKET failed → XHR connected').length, 1, JSON.stringify(again.rows));

    // capture goes on: a new page in the same tab reaches the panel through the restarted page
    const healthy = scenario('healthy-websocket');
    await firefox.runScenarioPage(tab, healthy.pageUrl, healthy.scenario.boundMs);
    await waitForPanel(firefox.bidi, panel, 'the new connection after the restart', (v) => v.rows.some((r) => r.outcome === 'connected' && cascade(r) === 'WEBSOCKET connected'));
  } finally {
    await firefox.closeTab(tab);
  }
});
