// The hostile phase: what a liveness probe sees while clients send the heaviest pages the schema
// allows, or documents near the body limit. `/healthz` is probed one request at a time on a fresh
// connection each (as a kubelet or a load balancer does), so a stalled event loop shows both in the
// accept and in the answer; its p99 and max are the figures, the attackers' own rates are context.
import autocannon, { type Request } from 'autocannon';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Child } from './procs.js';

const PAGE = 'edges { cursor node { agentName reportedBy reason createdAt gateway { brokerConnections { core count } connections { level count } } computer { gatewayAssignments { gateway details { name } } } } }';
/** 20 aliases of the largest blockedAgents page with its nested levels (issue 17, defect 2). */
export const HEAVY_PAGE = `{ ${Array.from({ length: 20 }, (_, i) => `a${i + 1}: blockedAgents(first: 1000) { ${PAGE} }`).join(' ')} }`;

const MIB = 1024 * 1024;
/**
 * A document just under 1 MiB once in its JSON body (the default body limit), of one field repeated:
 * every request's first line differs, so no parse or validation cache can answer it.
 */
function bigDocument(n: number): string {
  const head = `# hostile ${n}\n{ `;
  const field = 'a: __typename ';
  return `${head}${field.repeat(Math.floor((MIB - 200 - head.length) / field.length))}}`;
}

export interface HostileRow {
  name: string;
  connections: number;
  /** Attacking requests answered per second (any status), and how many were not a 200 with data. */
  rps: number;
  refused: number;
  /** What the refused ones said, once each (first 3 kinds). */
  why: string;
  probes: number;
  p50: number;
  p99: number;
  max: number;
  /** Probes that failed (connection refused or reset: the server died?) */
  probeErrors: number;
}

/** Probes /healthz from its own process (healthz-probe.mjs) until `done` settles. */
async function probe(url: string, done: Promise<unknown>): Promise<{ times: number[]; errors: number }> {
  const child = fork(fileURLToPath(new URL('./healthz-probe.mjs', import.meta.url)), [url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const result = new Promise<{ times: number[]; errors: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { times: number[]; errors: number }));
    child.once('exit', (code) => reject(new Error(`the /healthz prober exited (${code})`)));
  });
  await done.catch(() => {});
  child.send('stop');
  return result;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

async function phase(name: string, url: string, connections: number, seconds: number, requests: Request[]): Promise<HostileRow> {
  const reasons = new Map<string, number>();
  let refused = 0;
  const counted = requests.map((q) => ({
    ...q,
    onResponse: (status: number, body: string) => {
      if (status === 200 && !body.includes('"errors":[')) return;
      refused++;
      const why = `${status} ${/"code":"([A-Z_]+)"/.exec(body)?.[1] ?? /"message":"([^"]{0,60})/.exec(body)?.[1] ?? ''}`.trim();
      reasons.set(why, (reasons.get(why) ?? 0) + 1);
    },
  }));
  const load = Promise.resolve(autocannon({ url, connections, duration: seconds, timeout: 30, requests: counted }));
  const [r, probes] = await Promise.all([load, probe(url, load)]);
  const sorted = probes.times.sort((a, b) => a - b);
  const why = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([w, n]) => `${w} ×${n}`).join(', ');
  return {
    name,
    connections,
    rps: r.requests.total / r.duration,
    refused: refused + r.errors,
    why,
    probes: sorted.length,
    p50: pct(sorted, 50),
    p99: pct(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    probeErrors: probes.errors,
  };
}

export async function runHostile(server: Child, seconds: number): Promise<HostileRow[]> {
  const rows: HostileRow[] = [];
  const body = JSON.stringify({ query: HEAVY_PAGE });
  rows.push(await phase('20-alias blockedAgents(first:1000) page', server.url, 16, seconds, [{ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body }]));
  // Requests still running when the load stopped would stall the next phase's first probes.
  await fetch(`${server.url}/healthz`).catch(() => {});
  await new Promise((r) => setTimeout(r, 2000));
  let n = 0;
  const big: Request = {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ query: bigDocument(n++) }) }),
  };
  rows.push({ ...(await phase('1 MiB unique documents', server.url, 8, seconds, [big])), name: `1 MiB unique documents (${n} sent)` });
  return rows;
}

export function printHostile(rows: HostileRow[]): void {
  console.log('\n### hostile: /healthz while attacked\n');
  console.log('| attack | conns | attack req/s | not 200+data | /healthz probes | p50 ms | p99 ms | max ms | probe errors | refused as |');
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|---|');
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '—');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.connections} | ${r.rps.toFixed(1)} | ${r.refused} | ${r.probes} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.probeErrors} | ${r.why} |`);
  }
}
