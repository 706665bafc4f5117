// The panel in real Firefox DevTools as people dock it: a narrow toolbox stacks the two halves and a
// wide, short one keeps them side by side, with no region over another and every connection's
// outcome and cause whole; and a navigation's marker stands before the connections of its page
// (Firefox reports the navigation only after the page has connected).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from '../lab/lab.ts';
import { layoutProblems, panelLayoutExpression, type PanelLayout } from '../support.ts';
import { buildExtension, launchWithExtension, readPanel, rememberLab, waitFor, waitForPanel, type FirefoxWithExtension } from './harness.ts';
import { chromeEval, closeToolbox, evalInPanel } from './toolbox.ts';

let lab: Lab;
let firefox: FirefoxWithExtension;

before(async () => {
  buildExtension();
  lab = await startLab({ only: ['healthy-websocket', 'websocket-stripped-upgrade'] });
  firefox = await launchWithExtension();
  await rememberLab(firefox, lab.indexUrl);
});

after(async () => {
  await firefox?.close();
  await lab?.close();
});

const order = (html: string) => [...html.matchAll(/data-testid="(nav-row|connection-row)"/g)].map((m) => (m[1] === 'nav-row' ? 'nav' : 'connection'));

test('two pages in one tab: each navigation marker stands before its page\'s connection; narrow and short layouts hold', async () => {
  const tab = await firefox.newTab();
  try {
    const panel = await firefox.openPanel();
    for (const id of ['healthy-websocket', 'websocket-stripped-upgrade']) {
      const s = lab.scenarios.get(id)!;
      s.reset();
      await firefox.runScenarioPage(tab, s.pageUrl, s.scenario.boundMs);
    }
    const view = await waitForPanel(firefox.bidi, panel, 'two pages, each marked', (v) => v.rows.length === 2 && order(v.html).filter((k) => k === 'nav').length === 2);
    assert.deepEqual(order(view.html), ['nav', 'connection', 'nav', 'connection']);

    // A narrow window (the toolbox as wide as Chrome's right dock: the panel gets about 550 × 720),
    // then a wide and short one (about 1280 × 280): the window is resized and the docked toolbox
    // given a share of its height.
    for (const [w, h, toolbox] of [[550, 1000, 0.75], [1280, 520, 0.6]] as const) {
      await chromeEval(firefox.bidi, `(() => { window.resizeTo(${w}, ${h}); const tb = ChromeUtils.importESModule("resource://devtools/shared/loader/Loader.sys.mjs").require("devtools/client/framework/devtools").gDevTools.getToolboxForTab(gBrowser.selectedTab); const box = tb.win.browsingContext.embedderElement; box.parentNode.style.height = ""; box.style.height = Math.round(window.innerHeight * ${toolbox}) + "px"; return null; })()`);
      const l = await waitFor(`the panel at ${w} × ${h}`, async () => {
        const x = await evalInPanel<PanelLayout>(firefox.bidi, panel, panelLayoutExpression('doc'));
        return Math.abs(x.width - w) < 40 ? x : undefined;
      });
      assert.deepEqual(layoutProblems(l), [], JSON.stringify(l));
      const stacked = l.regions.find((r) => r.name === 'findings-pane')!.y > l.regions.find((r) => r.name === 'connections-pane')!.y + 10;
      assert.equal(stacked, l.width < 760, `the halves ${stacked ? 'stack' : 'stand side by side'} at ${l.width} × ${l.height}`);
    }
    assert.ok((await readPanel(firefox.bidi, panel)).rows.length === 2);
  } finally {
    await closeToolbox(firefox.bidi).catch(() => undefined);
    await firefox.closeTab(tab);
  }
});
