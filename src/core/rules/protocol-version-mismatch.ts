// The response's version byte must equal the client's `v` exactly (6.12 rejects lower and higher),
// and 102 DOWNGRADE means the server speaks an older protocol. Either way client and server
// releases do not match, or a proxy routes to a server of another release.
import type { Attempt, Connection, Rule } from '../model.ts';
import { attemptLocation, listing } from './format.ts';
import { DOWNGRADE, finding } from './facts.ts';

// Protocol versions measured from real clients (protocol fact sheet §3); others are unverified.
// 13 and 14: Java 6.0 and 6.1 (diffusiondata/wireshark-dissector samples/v60ws.pcap, v61ws.pcap).
const RELEASE_OF_VERSION: Record<number, string> = { 9: '5.9', 13: '6.0', 14: '6.1', 15: '6.2', 29: '6.12' };

function release(v: number): string {
  const r = RELEASE_OF_VERSION[v];
  return r ? `v=${v}, Diffusion ${r}` : `v=${v}`;
}

function clientVersion(a: Attempt, c: Connection): number | null {
  return a.params.version ?? c.protocolVersion;
}

function mismatched(a: Attempt, c: Connection): boolean {
  if (a.response === null) return false;
  const v = clientVersion(a, c);
  return a.response.code === DOWNGRADE || (v !== null && a.response.version !== v);
}

export const protocolVersionMismatch: Rule = {
  id: 'protocol-version-mismatch',
  severity: 'error',
  summary: "The server's protocol version differs from the client's, or it answered 102 DOWNGRADE.",
  check(connections) {
    return connections.flatMap((c) => {
      const bad = c.attempts.filter((a) => mismatched(a, c));
      const first = bad[0];
      if (!first) return [];
      const client = clientVersion(first, c);
      const servers = [...new Set(bad.map((a) => a.response!.version))].sort((x, y) => x - y);
      const downgrade = bad.some((a) => a.response!.code === DOWNGRADE);
      const clientText = client !== null ? `the client speaks protocol ${release(client)}` : 'the client version is unknown';
      const serverText = `the server answered with protocol ${listing(servers.map(release))}${downgrade ? ' and code 102 DOWNGRADE (it speaks an older protocol)' : ''}`;
      return [finding(protocolVersionMismatch, {
        message: `${listing([...new Set(bad.map(attemptLocation))])}: ${clientText}, but ${serverText}. The client accepts only its own version, so the session fails (close reason 17 on 6.12, a parse error on 5.9).`,
        fix: 'Use the client library of the same Diffusion release as the server (or upgrade the server); if only some attempts mismatch, a load balancer is routing to servers of different releases.',
        connection: c.id,
        attempts: bad,
      })];
    });
  },
};
