// Runs in the DevTools page of the inspected tab; the recorder evaluates labHar() here over CDP.
// getHAR hands over the HAR "log" whose entries carry no bodies: each entry's getContent() gives
// the body, added as content.text/encoding the way DevTools' "Save all as HAR with content" does.
window.labHar = function () {
  return new Promise(function (resolve) {
    chrome.devtools.network.getHAR(function (log) {
      var entries = (log && log.entries) || [];
      var bodies = entries.map(function (entry) {
        return new Promise(function (done) {
          if (typeof entry.getContent !== 'function') return done();
          // A request that never finished (a SharedWorker's script) never calls back: give up on its body.
          setTimeout(done, 3000);
          entry.getContent(function (content, encoding) {
            if (content !== null && content !== undefined) {
              entry.response.content.text = content;
              if (encoding) entry.response.content.encoding = encoding;
            }
            done();
          });
        });
      });
      Promise.all(bodies).then(function () { resolve(JSON.parse(JSON.stringify({ log: log }))); });
    });
  });
};
window.labReady = true;
