// The troubleshooting verdict end to end on a small demo: every verdict is reached (the planted
// scenario agents each by exactly its check), the fleet count is one statement per GUID slice and equals the
// per-agent verdicts, and GraphQL and /metrics serve the same numbers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { CHECKS, FLEET_VERDICTS, VERDICTS } from '../src/diagnosis/checks.js';
import { diagnoseByKeys, diagnosisTime, FLEET_SLICES, fleetVerdicts, type Diagnosis } from '../src/diagnosis/run.js';
import { below, checkParams, versionsBelow } from '../src/diagnosis/sql-parts.js';
import { SCENARIOS } from '../src/demo/diagnosis.js';
import { DemoSimulator } from '../src/demo/simulator.js';
import { versionAtLeast } from '../src/demo/liveness.js';
import { openInventory, type Inventory } from '../src/inventory/index.js';
import { M } from '../src/metrics/names.js';
import { demoDb, DEMO_NOW, removeDir, startApi, type TestApi } from './helpers/graphql.js';
import { copyOf, pick, scrape } from './helpers/metrics.js';

let dir: string;
let path: string;
let inventory: Inventory;
let api: TestApi;
let all: Diagnosis[];
const t = diagnosisTime(DEMO_NOW);

before(async () => {
  ({ dir, path } = await demoDb('diagnosis', 400));
  inventory = openInventory({ kind: 'sqlite', path });
  api = await startApi(path);
  const guids = (await inventory.all('computers', { managed: null, ...t.cutoffs })).map((c) => c.Guid);
  all = await diagnoseByKeys(inventory, 'Guid', guids, t);
});
after(async () => {
  await api?.close();
  await inventory?.close();
  removeDir(dir);
});

const managedNames = () => {
  const db = new Database(path, { readonly: true });
  try {
    return new Set((db.prepare('SELECT Name FROM vComputer WHERE IsManaged = 1').pluck().all() as string[]));
  } finally {
    db.close();
  }
};

test('versions below 8.8.1 are matched by LIKE patterns exactly as the numeric comparison says', () => {
  const db = new Database(':memory:');
  try {
    const params = Object.fromEntries(checkParams(DEMO_NOW).filter((p) => p.name.startsWith('dxVer')).map((p) => [p.name, p.value]));
    const stmt = db.prepare(`SELECT CASE WHEN ${below('v')} THEN 1 ELSE 0 END FROM (SELECT @v AS v)`).pluck();
    for (const v of ['8.7.1.3155', '8.8.0.3601', '8.8', '8', '7.9.9', '8.8.1', '8.8.1.4231', '8.8.10', '8.9', '8.10.0', '9.0', '10.1', '18.0']) {
      assert.equal(stmt.get({ v, ...params }), versionAtLeast(v, '8.8.1') ? 0 : 1, v);
    }
    assert.deepEqual(versionsBelow('1.2'), ['0', '0.%', '1', '1.0', '1.0.%', '1.1', '1.1.%']);
    assert.throws(() => versionsBelow('8.x'), /not a dotted version/);
  } finally {
    db.close();
  }
});

test('every verdict is reached by a demo agent, each scenario agent by exactly its check', () => {
  const reached = new Set(all.map((d) => d.verdict));
  assert.deepEqual(VERDICTS.filter((v) => !reached.has(v)), [], 'verdicts no agent has');
  const managed = all.filter((d) => d.verdict !== 'NOT_MANAGED');
  // The scenario agents are the first managed computers the estate streams, in SCENARIOS order.
  const db = new Database(path, { readonly: true });
  const first = db.prepare('SELECT Guid FROM vComputer WHERE IsManaged = 1 ORDER BY rowid LIMIT ?').pluck().all(SCENARIOS.length) as string[];
  db.close();
  assert.ok(managed.length > 300);
  for (const [i, s] of SCENARIOS.entries()) {
    const d = all.find((x) => x.guid === first[i])!;
    assert.equal(d.verdict, s.verdict, `${d.name}: ${d.summary}`);
    const at = d.checks.findIndex((c) => c.id === s.verdict);
    if (s.verdict === 'HEALTHY') {
      assert.ok(d.checks.every((c) => c.status !== 'FAIL'), d.name);
      continue;
    }
    assert.equal(d.checks[at]!.status, 'FAIL', `${s.verdict}: its own check fails`);
    assert.ok(d.checks.slice(0, at).every((c) => c.status !== 'FAIL'), `${s.verdict}: no earlier check fails`);
    assert.ok(d.summary.includes(d.checks[at]!.title) && d.checks[at]!.detail.length > 0);
  }
  // Gateway checks do not apply on the LAN; relay checks without a relay.
  const lan = all.find((d) => d.checks.find((c) => c.id === 'ON_INTERNET')!.status === 'NOT_APPLICABLE' && d.verdict !== 'NOT_MANAGED')!;
  for (const id of ['NO_CURRENT_GATEWAY', 'GATEWAY_OFFLINE', 'ACCESS_BLOCKED', 'BROKER_CONNECTIONS_LOW']) {
    assert.equal(lan.checks.find((c) => c.id === id)!.status, 'NOT_APPLICABLE', id);
  }
  assert.deepEqual(all[0]!.checks.map((c) => c.id), CHECKS.map((c) => c.id), 'the checks in the declaration order');
});

test('the fleet count is one statement per GUID slice, sums to the managed total and equals the per-agent verdicts', async () => {
  const before = inventory.stats.total;
  const fleet = await fleetVerdicts(inventory, t);
  assert.equal(inventory.stats.total - before, FLEET_SLICES, 'one statement per slice');
  assert.deepEqual(fleet.map((f) => f.verdict), FLEET_VERDICTS);
  const managed = managedNames();
  assert.equal(fleet.reduce((n, f) => n + f.count, 0), managed.size);
  const perAgent = new Map<string, number>();
  for (const d of all.filter((x) => managed.has(x.name))) perAgent.set(d.verdict, (perAgent.get(d.verdict) ?? 0) + 1);
  for (const f of fleet) assert.equal(f.count, perAgent.get(f.verdict) ?? 0, f.verdict);
  assert.ok(all.filter((d) => d.verdict === 'NOT_MANAGED').every((d) => !managed.has(d.name)));
});

test('GraphQL: Computer.diagnosis batched per level, diagnosisSummary, and the verdict filter agree', async () => {
  const r = await api.gql(`{ computers(first: 30) { edges { node { guid name diagnosis { verdict summary checks { id title status detail remedy source article runbook } } } } }
    diagnosisSummary(live: true) { verdict count } cemSummary(live: true) { total } }`);
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  const page = r.data.computers.edges.map((e: any) => e.node);
  assert.equal(page.length, 30);
  for (const n of page) {
    const d = all.find((x) => x.guid === n.guid)!;
    assert.equal(n.diagnosis.verdict, d.verdict, n.name);
    assert.deepEqual(n.diagnosis.checks.map((c: any) => c.status), d.checks.map((c) => c.status));
    assert.ok(n.diagnosis.checks.every((c: any) => /^(Broadcom ITMS CEM|Ivanti CSA|GFI LanGuard), /.test(c.source) && c.runbook.startsWith('diagnosis-')));
    // The full citation: vendor, product and title, for every check.
    assert.ok(n.diagnosis.checks.every((c: any) => /^(Broadcom \(Symantec\) ITMS article|Ivanti, "How to troubleshoot the Cloud Services Appliance|GFI, "LanGuard Agent Communications)/.test(c.article)), n.name);
  }
  const summary = r.data.diagnosisSummary as { verdict: string; count: number }[];
  assert.equal(summary.reduce((n, s) => n + s.count, 0), r.data.cemSummary.total);
  // page + one diagnosis batch + diagnosisSummary's slices + cemSummary
  assert.equal(r.extensions?.sqlStatements, 3 + FLEET_SLICES);

  for (const verdict of ['GATEWAY_OFFLINE', 'ACCESS_BLOCKED', 'AGENT_ERRORS', 'HEALTHY']) {
    const f = await api.gql(`query($v: Verdict) { computers(filter: { verdict: $v }, first: 1000) { totalCount edges { node { name diagnosis { verdict } } } } diagnosisSummary(live: true) { verdict count } }`, { v: verdict });
    assert.equal(f.errors, undefined, JSON.stringify(f.errors));
    const expected = f.data.diagnosisSummary.find((s: any) => s.verdict === verdict).count;
    assert.ok(expected > 0, verdict);
    assert.equal(f.data.computers.totalCount, expected, verdict);
    assert.equal(f.data.computers.edges.length, expected);
    assert.ok(f.data.computers.edges.every((e: any) => e.node.diagnosis.verdict === verdict));
  }
  const bad = await api.gql('{ computers(filter: { verdict: NOPE }) { totalCount } }');
  assert.match(bad.errors?.[0]?.message ?? '', /NOPE/);
});

test('/metrics: gatewatch_agents_by_verdict has every fleet verdict and equals the fleet count', async () => {
  const { e } = await scrape(api.url);
  const samples = pick(e, M.agentsByVerdict);
  assert.deepEqual(samples.map((s) => s.labels.verdict).sort(), [...FLEET_VERDICTS].sort());
  const fleet = await fleetVerdicts(inventory, diagnosisTime(new Date()));
  for (const f of fleet) assert.equal(samples.find((s) => s.labels.verdict === f.verdict)!.value, f.count, f.verdict);
  assert.equal(pick(e, M.collectorSuccess, { collector: 'diagnosis_facts' })[0]?.value, 1);
});

test('a core losing its broker connections in the simulator turns that gateway\'s healthy Internet agents BROKER_CONNECTIONS_LOW', async () => {
  const copy = copyOf(path, 'diagnosis-broker');
  const gateway = 'igw-sgp-01.corp.example';
  const onIt = (d: Diagnosis) => d.checks.find((c) => c.id === 'NO_CURRENT_GATEWAY')!.detail === `current gateway ${gateway}`;
  // Every agent on it whose first failure was later in the checklist, or that had none.
  const broker = CHECKS.findIndex((c) => c.id === 'BROKER_CONNECTIONS_LOW');
  const becoming = all.filter((d) => onIt(d) && (d.verdict === 'HEALTHY' || CHECKS.findIndex((c) => c.id === d.verdict) > broker)).length;
  assert.ok(becoming > 0, 'healthy agents on that gateway');
  const sim = new DemoSimulator(copy, { seed: 1, rollbackEveryTicks: 0, log: () => {} });
  const inv = openInventory({ kind: 'sqlite', path: copy });
  try {
    const count = async () => (await fleetVerdicts(inv, t)).find((f) => f.verdict === 'BROKER_CONNECTIONS_LOW')!.count;
    const before = await count();
    sim.setBrokerConnections(gateway, 'NS-CORE-01', 1);
    assert.equal(await count(), before + becoming);
    const [one] = await diagnoseByKeys(inv, 'Guid', [all.find((d) => onIt(d) && d.verdict === 'HEALTHY')!.guid], t);
    assert.equal(one!.verdict, 'BROKER_CONNECTIONS_LOW');
    assert.match(one!.summary, /NS-CORE-01 holds 1 broker connection\(s\) to igw-sgp-01/);
  } finally {
    sim.close();
    await inv.close();
  }
});
