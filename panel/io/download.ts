// Saving an export as a file: a Blob URL on a temporary <a download>, which works in a tab and in a
// DevTools panel page alike.

/** `text`: the file's text, or its pieces in order (a big report is written a connection at a time). */
export function download(name: string, text: string | readonly string[], type: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob(typeof text === 'string' ? [text] : [...text], { type }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  // Give the download a moment to start before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "dci-2025-01-15T09-00-01" for file names. */
export function stamp(ms: number): string {
  return `dci-${new Date(ms).toISOString().slice(0, 19).replace(/:/g, '-')}`;
}
