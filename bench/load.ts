// Load mode: autocannon against a `gatewatch serve`-like server in its own process, in one run on one
// machine, next to two ceilings: graphql-js alone over the same schema and inventory (no yoga, no
// request handling: graphql-ceiling.mjs) and the raw one (one prepared better-sqlite3 statement
// behind node:http). The machine may be shared and noisy: read the ratios within one run, not the
// absolute numbers.
import autocannon, { type Request } from 'autocannon';
import { ensureFleet } from './fleet.js';
import { printHostile, runHostile, type HostileRow } from './hostile.js';
import { start, treeRss, watchRss, type Child } from './procs.js';
import { statementCost } from './statement-cost.js';

export interface LoadOptions {
  computers: number;
  /** Seconds per load phase. */
  seconds: number;
  /** Seconds per scrape phase. */
  scrapeSeconds: number;
  million: boolean;
  /** Directory for the server's --cpu-prof profile, if wanted. */
  profile?: string;
  /** Only the hostile phase (bench/hostile.ts). */
  hostileOnly?: boolean;
}

const NODE = 'guid name connectivity transport currentGateway { gateway lastSuccess } auth { type }';
export const QUERIES = {
  simple: `{ computers(first: 50) { edges { node { ${NODE} } } } }`,
  nested: `{ computers(first: 50) { edges { node { ${NODE} gatewayAssignments { gateway current lastSuccess } } } } }`,
  cemSummary: '{ cemSummary { total internet lan cemConfigured policyApplied http https byAuth { auth count } byGateway { gateway count } } }',
};
const JSON_HEADERS = { 'content-type': 'application/json' };
const gql = (query: string): Request => ({ method: 'POST', path: '/graphql', headers: JSON_HEADERS, body: JSON.stringify({ query }) });
const METRICS: Request = { method: 'GET', path: '/metrics' };

interface Row {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  timeouts: number;
  failed: number;
  note?: string;
  /** Peak RSS of the server and its SQLite workers during this phase (MB). */
  rss?: number;
}

/** A GraphQL error (BUSY, TIMEOUT) answers 200: such an answer counts as failed, not as served. */
async function cannon(name: string, url: string, connections: number, seconds: number, requests: Request[]): Promise<Row> {
  let graphqlErrors = 0;
  const counted = requests.map((q) => ({ ...q, onResponse: (_status: number, body: string) => void (body.includes('"errors":[') && graphqlErrors++) }));
  const r = await autocannon({ url, connections, duration: seconds, timeout: 10, requests: counted });
  const failed = r.errors - r.timeouts + r.non2xx + graphqlErrors;
  const served = r.requests.total - r.timeouts - failed;
  return { name, connections, rps: served / r.duration, p50: r.latency.p50, p99: r.latency.p99, timeouts: r.timeouts, failed };
}

/**
 * Until the first background round has read every dataset (at most 3 minutes): the load phases then
 * measure the steady state, not the start-up round's aggregates competing for the cores.
 */
export async function settled(server: Child): Promise<void> {
  for (let i = 0; i < 180; i++) {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    if (!/^gatewatch_collector_success\{[^}]*\} 0$/m.test(text) && /^gatewatch_collector_success/m.test(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function check(server: Child, query: string): Promise<void> {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { errors?: unknown };
  if (body.errors) throw new Error(`benchmark query failed: ${JSON.stringify(body.errors)}`);
}

/** Scrapers in a loop for `seconds`, and the statements the server ran meanwhile, per minute. */
async function scrapes(server: Child, scrapers: number, seconds: number, label: string): Promise<Row> {
  const before = await server.ask<number>({ stats: true }, 'statements');
  const row = await cannon(`${label} /metrics scrape`, server.url, scrapers, seconds, [METRICS]);
  const ran = (await server.ask<number>({ stats: true }, 'statements')) - before;
  return { ...row, note: `${Math.round((ran * 60) / seconds)} DB executions/min; ${await slowestCollector(server)}` };
}

async function slowestCollector(server: Child): Promise<string> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const durations = [...text.matchAll(/^gatewatch_collector_duration_seconds\{collector="([^"]+)"\} (\S+)$/gm)].map((m) => [m[1]!, Number(m[2])] as const);
  const [name, s] = durations.sort((a, b) => b[1] - a[1])[0] ?? ['none', 0];
  const failing = [...text.matchAll(/^gatewatch_collector_success\{collector="([^"]+)"\} 0$/gm)].map((m) => m[1]);
  return `slowest collector ${name} ${(s * 1000).toFixed(0)} ms; failing at the end: ${failing.join(', ') || 'none'}`;
}

export async function runLoad(o: LoadOptions): Promise<void> {
  const path = await ensureFleet(o.computers);
  const flags = o.profile ? ['--cpu-prof', `--cpu-prof-dir=${o.profile}`] : [];
  const server = await start('./server.mjs', [path], flags);
  const rss = watchRss(server.process.pid!);
  const measured = async (row: Promise<Row>): Promise<Row> => {
    rss.take();
    return { ...(await row), rss: rss.take() };
  };
  const rows: Row[] = [];
  let hostile: HostileRow[] = [];
  let simpleSql: Parameters<typeof statementCost>[1] | undefined;
  // The ceilings, stopped when their phases end or when anything fails.
  const ceilings: Child[] = [];
  try {
    if (o.hostileOnly) {
      await settled(server);
      hostile = await runHostile(server, o.seconds);
      return;
    }
    for (const q of Object.values(QUERIES)) await check(server, q);
    [simpleSql] = await server.ask<Parameters<typeof statementCost>[1][]>({ record: QUERIES.simple }, 'recorded');
    const raw = await start('./raw-server.ts', [path, JSON.stringify(simpleSql)]);
    ceilings.push(raw);
    const bare = await start('./graphql-ceiling.mjs', [path]);
    ceilings.push(bare);
    await settled(server);
    for (const c of [10, 50]) {
      const simple = await measured(cannon('simple computers(first:50)', server.url, c, o.seconds, [gql(QUERIES.simple)]));
      const alone = await cannon('simple, graphql-js alone', bare.url, c, o.seconds, [gql(QUERIES.simple)]);
      const ceiling = await cannon('raw ceiling (same statement)', raw.url, c, o.seconds, [gql(QUERIES.simple)]);
      const x = (a: Row, b: Row) => `${(a.rps / b.rps).toFixed(2)}×`;
      rows.push(simple, { ...alone, note: `${x(alone, ceiling)} raw; the server does ${x(simple, alone)} of it` });
      rows.push({ ...ceiling, note: `simple = ${x(simple, ceiling)} raw` });
      const nested = await measured(cannon('nested (+ gatewayAssignments)', server.url, c, o.seconds, [gql(QUERIES.nested)]));
      const nestedAlone = await cannon('nested, graphql-js alone', bare.url, c, o.seconds, [gql(QUERIES.nested)]);
      rows.push(nested, { ...nestedAlone, note: `the server does ${x(nested, nestedAlone)} of it` });
    }
    await Promise.all(ceilings.splice(0).map((c) => c.stop()));
    rows.push(await measured(cannon('cemSummary, 10 pollers', server.url, 10, o.seconds, [gql(QUERIES.cemSummary)])));
    const mixed = [gql(QUERIES.simple), gql(QUERIES.nested), gql(QUERIES.cemSummary), METRICS];
    rows.push({ ...(await measured(cannon('100 mixed clients', server.url, 100, o.seconds, mixed))), note: 'simple, nested, cemSummary, /metrics' });
    for (const n of [1, 4]) rows.push(await measured(scrapes(server, n, o.scrapeSeconds, `${n} scraper(s)`)));
    hostile = await runHostile(server, o.seconds);
  } finally {
    rss.stop();
    const end = treeRss(server.process.pid!);
    await Promise.all([server, ...ceilings].map((c) => c.stop()));
    if (rows.length) print(`${o.computers.toLocaleString('en')} computers`, rows);
    if (hostile.length) printHostile(hostile);
    if (simpleSql) console.log(statementCost(path, simpleSql));
    console.log(`RSS server + SQLite workers: peak ${rss.state.peak.toFixed(0)} MB (${rss.state.processes} processes), at the end ${end.mb.toFixed(0)} MB`);
  }
  if (o.million && !o.hostileOnly) await runMillion(o);
}

async function runMillion(o: LoadOptions): Promise<void> {
  const server = await start('./server.mjs', [await ensureFleet(1_000_000)]);
  const rss = watchRss(server.process.pid!);
  const rows: Row[] = [];
  try {
    for (const n of [1, 4]) {
      rss.take();
      const row = await scrapes(server, n, o.scrapeSeconds, `${n} scraper(s)`);
      rows.push({ ...row, rss: rss.take() });
    }
  } finally {
    rss.stop();
    await server.stop();
    print('1,000,000 computers', rows);
    console.log(`RSS server + SQLite workers: peak ${rss.state.peak.toFixed(0)} MB (${rss.state.processes} processes)`);
  }
}

function print(title: string, rows: Row[]): void {
  console.log(`\n### ${title}\n`);
  console.log('| case | conns | answered req/s | p50 ms | p99 ms | timeouts | failed | peak RSS MB | note |');
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.connections} | ${r.rps < 10 ? r.rps.toFixed(1) : r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.timeouts} | ${r.failed} | ${r.rss === undefined ? '' : r.rss.toFixed(0)} | ${r.note ?? ''} |`);
  }
}
