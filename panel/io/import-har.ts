// Reading a HAR the user picked or dropped into observations plus a note of what was read and skipped.
// All or nothing: a file that cannot be read adds nothing, so what the panel held stays as it was.
import type { Observation } from '../../src/core/model.ts';
import { HarFormatError, readHarChunks } from '../../src/sources/har/read.ts';
import type { ImportNote } from '../store.ts';

export interface HarImport {
  observations: Observation[];
  note: ImportNote;
}

/** The bytes of a Blob in chunks, without relying on ReadableStream async iteration. */
async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  if (typeof blob.stream !== 'function') {
    yield new Uint8Array(await blob.arrayBuffer());
    return;
  }
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export async function importHarBlob(blob: Blob, name: string, at: number = Date.now()): Promise<HarImport> {
  try {
    const r = await readHarChunks(blobChunks(blob), { source: 'har' });
    return {
      observations: r.observations,
      note: { name, at, read: r.observations.length, entries: r.entries, skipped: r.skipped, unrelated: r.unrelated, warnings: r.warnings, capturedBy: r.capturedBy?.text ?? null, error: null },
    };
  } catch (e) {
    const reason = e instanceof HarFormatError ? e.message : `could not be read (${e instanceof Error ? e.message : String(e)})`;
    return { observations: [], note: { name, at, read: 0, entries: 0, skipped: 0, unrelated: 0, warnings: [], error: reason } };
  }
}

/** One line for the notes bar. */
export function importSummary(n: ImportNote): string {
  if (n.error) return `Could not import ${n.name}: ${n.error}. Nothing was changed.`;
  const requests = n.read;
  const parts = [`Imported ${n.name}: ${requests} Diffusion-related ${requests === 1 ? 'record' : 'records'} from ${n.entries} ${n.entries === 1 ? 'entry' : 'entries'}`];
  if (n.unrelated) parts.push(`${n.unrelated} unrelated ${n.unrelated === 1 ? 'entry' : 'entries'} left out`);
  if (n.skipped) parts.push(`${n.skipped} unreadable ${n.skipped === 1 ? 'entry' : 'entries'} skipped`);
  if (n.capturedBy) parts.push(`captured by ${n.capturedBy}`);
  return parts.join('; ') + '.';
}
