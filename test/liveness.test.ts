// Liveness end to end: GraphQL (byReporting, filters, Computer fields, agentVersions) and /metrics
// (gatewatch_agents, gatewatch_gateway_silent_agents, gatewatch_agents_by_version) against the truth
// computed here with better-sqlite3 straight over ResourceUpdateSummary, for the default thresholds
// and for others. The server reads the clock itself, so each comparison is bracketed by two readings
// of the truth: an agent's state only moves forward in time, so equal truths before and after mean
// the server saw that truth too.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { startServer } from '../src/http/server.js';
import { openInventory } from '../src/inventory/index.js';
import { livenessCutoffs, REPORTING_STATES, stateOf, type LivenessThresholds, type ReportingState } from '../src/inventory/liveness.js';
import { demoDb, removeDir } from './helpers/graphql.js';
import { parseExposition } from './helpers/metrics.js';

let dir: string;
let db: Database.Database;
const servers: { close(): Promise<void> }[] = [];

before(async () => {
  const demo = await demoDb('liveness', 1500);
  dir = demo.dir;
  db = new Database(demo.path, { readonly: true });
});
after(async () => {
  for (const s of servers) await s.close();
  db?.close();
  removeDir(dir);
});

async function serve(liveness?: LivenessThresholds) {
  const inventory = openInventory({ kind: 'sqlite', path: db.name }, {});
  const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: true, liveness });
  servers.push({ close: async () => (await server.close(), await inventory.close()) });
  return {
    gql: async (query: string, variables?: Record<string, unknown>) =>
      (await (await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json()) as { data?: any; errors?: { message: string }[]; extensions?: { sqlStatements?: number } },
    // After the first background round (under load it may outlast the first scrape's wait).
    metrics: async () => (await server.refresher.refresh(), parseExposition(await (await fetch(`${server.url}/metrics`)).text()).samples),
  };
}

interface Agent { guid: string; last: Date | null; internet: boolean; gateway: string | null; version: string | null }

/** Managed computers with their last report, read directly (not through any dataset). */
function agents(): Agent[] {
  return (db.prepare(`SELECT vc.Guid AS guid, (SELECT MAX(ModifiedDate) FROM ResourceUpdateSummary r WHERE r.ResourceGuid = vc.Guid) AS last,
      COALESCE(nz.IsOnInternet, 0) AS internet,
      (SELECT MIN(Gateway) FROM Inv_AeX_AC_InternetGatewayDetails g WHERE g._ResourceGuid = vc.Guid AND g.[Current] = 1) AS gateway,
      (SELECT [Product Version] FROM Inv_AeX_AC_Client_Agent ca WHERE ca._ResourceGuid = vc.Guid AND ca.[Agent Name] IN ('Symantec Management Agent', 'Altiris Agent')) AS version
    FROM vComputer vc LEFT JOIN Inv_AeX_AC_Network_Zone nz ON nz._ResourceGuid = vc.Guid WHERE vc.IsManaged = 1`).all() as { guid: string; last: string | null; internet: number; gateway: string | null; version: string | null }[])
    .map((r) => ({ ...r, last: r.last === null ? null : new Date(r.last), internet: r.internet === 1 }));
}
const AGENTS = agents;

function truth(t?: LivenessThresholds) {
  const c = livenessCutoffs(new Date(), t);
  const out = { byState: Object.fromEntries(REPORTING_STATES.map((s) => [s, 0])) as Record<ReportingState, number>, byKey: new Map<string, number>() };
  for (const a of AGENTS()) {
    const s = stateOf(a.last, c);
    out.byState[s]++;
    const keys = [`${s}/${a.internet ? 'internet' : 'lan'}`, ...(a.gateway && s !== 'reporting' ? [`${a.gateway}/${s}`] : [])];
    for (const k of keys) out.byKey.set(k, (out.byKey.get(k) ?? 0) + 1);
  }
  return out;
}

/** Runs `read` between two readings of the truth until both agree (a state crossing a cutoff meanwhile). */
async function bracketed<T>(read: () => Promise<T>, t?: LivenessThresholds) {
  for (let i = 0; ; i++) {
    const before = truth(t);
    const got = await read();
    const after = truth(t);
    if (JSON.stringify([...before.byKey, before.byState]) === JSON.stringify([...after.byKey, after.byState])) return { got, want: before };
    assert.ok(i < 5, 'the truth kept moving');
  }
}

const BY_REPORTING = '{ cemSummary { total byReporting { state count } } }';
const asMap = (rows: { state: string; count: number }[]) => Object.fromEntries(rows.map((r) => [r.state.toLowerCase(), r.count]));

test('byReporting and gatewatch_agents equal the states computed over ResourceUpdateSummary; every state occurs', async () => {
  const api = await serve();
  const { got, want } = await bracketed(() => api.gql(BY_REPORTING));
  assert.deepEqual(asMap(got.data.cemSummary.byReporting), want.byState);
  assert.equal(got.data.cemSummary.total, Object.values(want.byState).reduce((a, b) => a + b, 0));
  for (const s of REPORTING_STATES) assert.ok(want.byState[s] > 0, `${s} occurs in the demo`);

  const { got: samples, want: w2 } = await bracketed(() => api.metrics());
  const agentsSeries = samples.filter((s) => s.name === 'gatewatch_agents');
  assert.equal(agentsSeries.length, 8, 'every state × connectivity, zero-filled');
  for (const s of agentsSeries) assert.equal(s.value, w2.byKey.get(`${s.labels.state}/${s.labels.connectivity}`) ?? 0, JSON.stringify(s.labels));
  const silent = samples.filter((s) => s.name === 'gatewatch_gateway_silent_agents');
  assert.equal(silent.length, 18, '6 gateways × late/inactive/never');
  for (const s of silent) assert.equal(s.value, w2.byKey.get(`${s.labels.gateway}/${s.labels.state}`) ?? 0, JSON.stringify(s.labels));
  assert.ok(silent.some((s) => s.value > 0));
});

test('other thresholds change the counts, in GraphQL and /metrics alike', async () => {
  const strict: LivenessThresholds = { lateAfterHours: 2, inactiveAfterDays: 3 };
  const api = await serve(strict);
  const { got, want } = await bracketed(() => api.gql(BY_REPORTING), strict);
  assert.deepEqual(asMap(got.data.cemSummary.byReporting), want.byState);
  const defaults = truth();
  assert.ok(want.byState.reporting < defaults.byState.reporting && want.byState.inactive > defaults.byState.inactive);
  const { got: samples, want: w2 } = await bracketed(() => api.metrics(), strict);
  const late = samples.filter((s) => s.name === 'gatewatch_agents' && s.labels.state === 'late').reduce((n, s) => n + s.value, 0);
  assert.equal(late, w2.byState.late);
});

test('filters: reporting states (one, several, none) and notReportingSince, one statement per page', async () => {
  const api = await serve();
  const q = 'query($f: ComputerFilter) { computers(filter: $f, first: 1000) { totalCount edges { node { guid reporting lastReport agentVersion } } } }';
  const { got, want } = await bracketed(() => api.gql(q, { f: { reporting: ['LATE', 'NEVER'] } }));
  assert.equal(got.data.computers.totalCount, want.byState.late + want.byState.never);
  assert.ok(got.data.computers.edges.every((e: any) => ['LATE', 'NEVER'].includes(e.node.reporting)));
  assert.equal(got.extensions?.sqlStatements, 2, 'the page and its count');
  const byGuid = new Map(AGENTS().map((a) => [a.guid, a]));
  for (const { node } of got.data.computers.edges) {
    const a = byGuid.get(node.guid)!;
    assert.equal(node.lastReport, a.last?.toISOString() ?? null);
    assert.equal(node.agentVersion, a.version);
  }
  const none = await api.gql(q, { f: { reporting: [] } });
  assert.equal(none.data.computers.totalCount, 0);

  const since = new Date(Date.now() - 3 * 86_400_000);
  const quiet = await api.gql('query($s: DateTime) { computers(filter: { notReportingSince: $s }) { totalCount } }', { s: since.toISOString() });
  assert.equal(quiet.data.computers.totalCount, AGENTS().filter((a) => a.last === null || a.last < since).length);
  const page = await api.gql('{ computers(first: 50, filter: { reporting: [REPORTING] }) { edges { node { name reporting agentVersion lastReport } } } }');
  assert.equal(page.extensions?.sqlStatements, 1);
  assert.ok(page.data.computers.edges.every((e: any) => e.node.reporting === 'REPORTING' && e.node.lastReport !== null));
});

test('bad liveness input is a clear error, not a crash', async () => {
  const api = await serve();
  const bad = await api.gql('{ computers(filter: { reporting: [SILENT] }) { totalCount } }');
  assert.match(bad.errors?.[0]?.message ?? '', /SILENT/);
  const when = await api.gql('{ computers(filter: { notReportingSince: "last tuesday" }) { totalCount } }');
  assert.ok(when.errors?.length && !when.data?.computers);
  assert.equal((await api.gql(BY_REPORTING)).errors, undefined, 'the server still answers');
});

test('agentVersions and gatewatch_agents_by_version count core agents per version', async () => {
  const api = await serve();
  const want = new Map<string | null, number>();
  for (const a of AGENTS()) want.set(a.version, (want.get(a.version) ?? 0) + 1);
  const got = await api.gql('{ agentVersions { version count } }');
  assert.deepEqual(new Map(got.data.agentVersions.map((r: any) => [r.version, r.count])), want);
  assert.ok(want.has(null) && want.size >= 4);
  const samples = (await api.metrics()).filter((s) => s.name === 'gatewatch_agents_by_version');
  assert.deepEqual(new Map(samples.map((s) => [s.labels.version === 'unknown' ? null : s.labels.version!, s.value])), want);
});
