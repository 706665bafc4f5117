// Captured text is shown to people: characters that change what a reader sees without being seen
// themselves are written out as escapes. Control characters (C0, DEL, C1) as \xNN; bidirectional
// overrides, embeddings and isolates (U+202A–202E, U+2066–2069), marks and zero-width characters
// (U+200B–200F, U+2060–2064, U+061C, U+180E, U+FEFF, U+00AD), line and paragraph separators,
// interlinear annotations and tag characters as \u{…}. One function for every text format.

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g;

/** The text with control and invisible formatting characters shown as escapes. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
