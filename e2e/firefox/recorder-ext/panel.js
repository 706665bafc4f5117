// The recorder evaluates labHar() here: Firefox DevTools' own HAR of the inspected tab, as JSON text
// (a string crosses into the test's privileged scope as it is). Bodies Firefox left out are fetched
// with getContent() where an entry offers it, the way "Save all as HAR" includes them.
window.labHar = async function () {
  const log = await browser.devtools.network.getHAR();
  const entries = (log && log.entries) || [];
  await Promise.all(entries.map((entry) => {
    if (typeof entry.getContent !== 'function' || entry.response.content.text !== undefined) return undefined;
    return new Promise((done) => entry.getContent((content, encoding) => {
      if (content !== null && content !== undefined) {
        entry.response.content.text = content;
        if (encoding) entry.response.content.encoding = encoding;
      }
      done();
    }));
  }));
  return JSON.stringify({ log });
};
window.labReady = true;
