// A scenario page's application code: it calls the real diffusion.connect() the way the scenario's
// story says an application would (options, reconnect strategy, its own retries), logs what happens
// as text, and marks the page done so tests and the recorder can wait for it.
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('lab-config').textContent);
  var logEl = document.getElementById('log');
  var t0 = Date.now();
  var results = [];
  window.labResults = results;

  function log(line) {
    var text = '[+' + (Date.now() - t0) + ' ms] ' + line;
    logEl.appendChild(document.createTextNode(text + '\n'));
    console.log('LAB ' + text);
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function within(promise, ms) {
    return Promise.race([promise, sleep(ms).then(function () { throw { message: 'no answer within ' + ms + ' ms (page bound)', id: 'page-timeout' }; })]);
  }
  function describe(o) {
    return (o.secure ? 'secure ' : '') + o.host + ':' + o.port + (o.path ? ' path=' + o.path : '') + (o.transports ? ' transports=' + JSON.stringify(o.transports) : '') + (o.principal ? ' principal=' + o.principal : '');
  }
  function clientOptions(step, o) {
    var opts = Object.assign({}, o);
    // Keep every scenario bounded; applications usually keep the 10 s default.
    if (opts.connectionTimeout === undefined) opts.connectionTimeout = 5000;
    if (step.reconnectDelayMs !== undefined) {
      opts.reconnect = { timeout: 4000, strategy: function (start) { setTimeout(start, step.reconnectDelayMs); } };
    }
    return opts;
  }

  function runStep(step) {
    var result = { label: step.label, attempts: 0, result: 'failed', reconnects: 0 };
    results.push(result);
    var options = step.options;
    function attempt() {
      result.attempts++;
      log(step.label + ': connect #' + result.attempts + ' ' + describe(options));
      var p;
      try {
        // A shared session runs in a SharedWorker from the package's diffusion-worker.js: its traffic is the worker's, not the page's.
        p = step.worker ? diffusion.connect(clientOptions(step, options), step.worker, cfg.workerUrl) : diffusion.connect(clientOptions(step, options));
      } catch (e) { p = Promise.reject(e); }
      return within(p, 7000).then(function (session) {
        result.result = 'connected';
        result.sessionId = String(session.sessionId);
        log(step.label + ': connected, session ' + session.sessionId);
        session.on('disconnect', function (r) { log(step.label + ': disconnect (' + (r && r.id) + ' ' + (r && r.message) + ')'); });
        session.on('reconnect', function () { result.reconnects++; log(step.label + ': reconnected'); });
        session.on('close', function (r) { result.closedBy = result.closedBy || 'server'; result.closeReasonId = r && r.id; log(step.label + ': closed (' + (r && r.id) + ' ' + (r && r.message) + ')'); });
        return sleep(step.holdMs || 1000).then(function () {
          if (!result.closedBy) { result.closedBy = 'app'; session.close(); log(step.label + ': closed by the app'); }
        });
      }, function (e) {
        result.result = 'failed';
        result.closeReasonId = e && e.id;
        result.error = String(e && e.message || e);
        log(step.label + ': failed: ' + result.error + ' (id ' + (e && e.id) + ')');
        var retry = step.onFailure;
        if (!retry || result.attempts > retry.retries) return;
        return sleep(retry.delayMs).then(function () {
          if (retry.options) options = Object.assign({}, options, retry.options);
          return attempt();
        });
      });
    }
    return attempt();
  }

  function unrelatedTraffic() {
    // A chat WebSocket and a REST call that have nothing to do with Diffusion.
    return new Promise(function (resolve) {
      var ws = new WebSocket(cfg.chatUrl);
      ws.onopen = function () { ws.send('hello from the chat widget'); };
      ws.onmessage = function (m) { log('chat: ' + m.data); ws.close(); };
      ws.onclose = function () { resolve(); };
      ws.onerror = function () { log('chat: error'); };
    }).then(function () {
      return new Promise(function (resolve) {
        var x = new XMLHttpRequest();
        x.open('GET', '/lab/api/status.json');
        x.onloadend = function () { log('status API: ' + x.status + ' ' + x.responseText.trim()); resolve(); };
        x.send();
      });
    });
  }

  function finish(state) {
    document.body.dataset.state = state;
    document.getElementById('state').textContent = state;
    log('scenario ' + state);
  }

  function main() {
    log('diffusion ' + diffusion.version + ' on ' + location.origin);
    var chain = Promise.resolve();
    var all = [];
    var extra = cfg.unrelatedTraffic ? unrelatedTraffic() : Promise.resolve();
    cfg.steps.forEach(function (step) {
      var run = step.parallel ? runStep(step) : (chain = chain.then(function () { return runStep(step); }));
      all.push(run);
    });
    all.push(extra);
    return Promise.all(all);
  }

  var bound = setTimeout(function () { finish('timeout'); }, cfg.boundMs);
  main().then(function () { clearTimeout(bound); if (document.body.dataset.state === 'running') finish('done'); },
    function (e) { clearTimeout(bound); log('page error: ' + (e && e.message)); finish('error'); });
})();
