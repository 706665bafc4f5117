// DevTools' own network log, read by the panel: what it saw before the panel loaded (getHAR), then
// each request as it finishes (request and response headers as the Network tab shows them). A
// request can be in a getHAR answer while still open and finish later, so its key is its start,
// method and URL: the finished entry replaces it.
//
// Chrome gives a WebSocket that failed before its handshake was sent (a refused or reset connection)
// no start time (startedDateTime 1969-12-31T23:59:59Z) and, as `time`, a reading of another clock that
// is the same in the live entry and in getHAR: that reading is its key. Read alone, as each finished
// entry is, such entries all started at 0; none met the hook's record of its socket, whose row then
// said only "WebSocket error". A live report is dated by when DevTools reported it (the socket's end);
// such an entry in a getHAR answer, by the next dated request of the log. Both are marked `datedAtEnd`,
// so the merge pairs them, in order, with the sockets no dated entry took. While still open, such an
// entry reads `time` 0 and is left for its finished report.
import type { Observation } from '../core/model.ts';
import { readHarLog } from '../sources/har/index.ts';

export class DevtoolsLog {
  /** getHAR calls not answered yet. */
  private asked = 0;
  /**
   * getHAR answers with the log as it was when asked; a request that finishes in between is reported
   * live first, and the older copy in the answer must not replace it. The keys reported live while an
   * answer is on its way are kept until it has been read.
   */
  private readonly reportedLive = new Set<string>();

  constructor(
    private readonly add: (observations: Observation[]) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Call when asking for getHAR; call what it returns with the answer (Diffusion requests added). */
  askedForLog(): (log: { entries?: unknown }) => number {
    this.asked++;
    let answered = false;
    return (log) => {
      if (answered) return 0;
      answered = true;
      try {
        return this.read(log, undefined);
      } finally {
        if (--this.asked === 0) this.reportedLive.clear();
      }
    };
  }

  /** One entry DevTools has just reported finished; returns 1 if it is a Diffusion request. */
  finished(entry: unknown): number {
    return this.read({ entries: [entry] }, this.now());
  }

  private read(log: { entries?: unknown }, finishedAt: number | undefined): number {
    const read = readHarLog(log, { source: 'devtools' });
    const entries = Array.isArray(log.entries) ? log.entries : [];
    const taken: Observation[] = [];
    const seen = new Map<string, number>();
    let after: (number | undefined)[] | undefined;
    let requests = 0;
    for (let i = 0; i < read.observations.length; i++) {
      const o = read.observations[i]!;
      if (o.kind !== 'request') {
        taken.push(o);
        continue;
      }
      // Such an entry has no method either; the hook reports every WebSocket as GET, and core merges
      // the two sources' records of one socket only when they agree.
      if (o.transport === 'WEBSOCKET' && o.method === undefined) o.method = 'GET';
      let key = `${o.startedAt} ${o.method ?? ''} ${o.url}`;
      if (o.startUnknown) {
        const clock = (entries[Number(o.sourceId)] as { time?: unknown } | undefined)?.time;
        if (clock === 0) continue; // still open
        if (typeof clock === 'number' && clock > 0 && Number.isFinite(clock)) {
          key = `undated ${o.method ?? ''} ${o.url} ${clock}`;
          if (finishedAt !== undefined) {
            o.startedAt = finishedAt;
            o.endedAt = finishedAt;
            delete o.startUnknown;
          } else {
            // The log lists requests as they were made: it started before the next dated one.
            o.startedAt = (after ??= nextDatedStarts(read.observations))[i] ?? this.now();
          }
          o.datedAtEnd = true;
        } else {
          // No clock reading: undated entries with the same placement are told apart by order.
          const n = seen.get(key) ?? 0;
          seen.set(key, n + 1);
          key = `${key} #${n}`;
        }
      }
      if (finishedAt !== undefined && this.asked > 0) this.reportedLive.add(key);
      else if (finishedAt === undefined && this.reportedLive.has(key)) continue;
      o.sourceId = key;
      taken.push(o);
      requests++;
    }
    this.add(taken);
    return requests;
  }
}

/** For each observation, the start of the first dated request after it (one pass from the end). */
function nextDatedStarts(observations: readonly Observation[]): (number | undefined)[] {
  const out = new Array<number | undefined>(observations.length);
  let next: number | undefined;
  for (let j = observations.length - 1; j >= 0; j--) {
    out[j] = next;
    const o = observations[j]!;
    if (o.kind === 'request' && !o.startUnknown) next = o.startedAt;
  }
  return out;
}
