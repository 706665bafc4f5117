// Long text handled a megabyte at a time: dci writes its output so, and the panel's import encodes
// a file read as one string so (no second full copy).
export const SLICE = 1 << 20;

/** `text` cut into pieces of at most `size` code units, never between the halves of a surrogate pair. */
export function* slices(text: string, size = SLICE): Generator<string> {
  let start = 0;
  while (text.length - start > size) {
    let end = start + size;
    // Each half of a cut pair would be written as U+FFFD.
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff && size > 1) end--;
    yield text.slice(start, end);
    start = end;
  }
  yield text.slice(start);
}
