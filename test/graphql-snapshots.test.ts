// GraphQL aggregates served from the exporter's background snapshot: the same numbers as the live
// SQL (live: true), with asOf saying when they were read, and N pollers run no statement at all.
// Stale or missing snapshots fall back to a live read. Rounds are driven by the test on a manual clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { copyOf, manualClock, metricsFixture } from './helpers/metrics.js';

const { demo, serve } = metricsFixture('graphql-snapshots');

async function gql(url: string, query: string): Promise<any> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

const CEM = 'total internet lan cemConfigured policyApplied http https asOf byAuth { auth count } byGateway { gateway count }';
const GATEWAYS = `name online registered troubleshootingMode asOf connections { level count } brokerConnections { core count healthy }
  brokerHealthy assignedComputers denials { total byReason { reason count } }`;
const withoutAsOf = (x: any): any => JSON.parse(JSON.stringify(x, (k, v) => (k === 'asOf' ? undefined : v)));

async function started() {
  const clock = manualClock();
  const s = await serve({ path: copyOf(demo(), `snap-${Math.random().toString(36).slice(2)}`) }, { intervalSeconds: 15, schedule: false, clock: clock.now });
  return { s, clock, stats: s.inventory.stats };
}

test('cemSummary from the snapshot equals the live SQL answer, costs no statement, and says when it was read', async () => {
  const { s, clock, stats } = await started();
  await s.refresher.refresh();
  const before = stats.total;
  const snap = (await gql(s.url, `{ cemSummary { ${CEM} } }`)).cemSummary;
  assert.equal(stats.total, before, 'served from the snapshot: no statement');
  assert.equal(snap.asOf, new Date(clock.now()).toISOString(), 'asOf: when the background round read it');
  const live = (await gql(s.url, `{ cemSummary(live: true) { ${CEM} } }`)).cemSummary;
  assert.equal(stats.total, before + 3, 'live: the totals, by auth and by gateway, read now');
  assert.deepEqual(withoutAsOf(snap), withoutAsOf(live));
  assert.ok(snap.total > 0 && snap.byAuth.length === 4 && snap.byGateway.length > 0);
  assert.ok(Math.abs(Date.parse(live.asOf) - Date.now()) < 60_000, 'live asOf is the request time');
});

test('gateways and their nested counts from the snapshot equal the live answer; N pollers cost nothing', async () => {
  const { s, stats } = await started();
  await s.refresher.refresh();
  const before = stats.total;
  const polls = await Promise.all(Array.from({ length: 10 }, () => gql(s.url, `{ gateways { ${GATEWAYS} } cemSummary { total byGateway { count } } }`)));
  assert.equal(stats.total, before, '10 pollers, 0 statements');
  const live = await gql(s.url, `{ gateways(live: true) { ${GATEWAYS} } }`);
  assert.ok(stats.total > before);
  for (const p of polls) assert.deepEqual(withoutAsOf(p.gateways), withoutAsOf(live.gateways));
  assert.ok(polls[0].gateways.every((g: any) => typeof g.asOf === 'string'));
  // A gateway looked up by name is read live, and says so.
  const one = await gql(s.url, `{ gateway(name: "${polls[0].gateways[0].name}") { asOf } }`);
  assert.ok(Math.abs(Date.parse(one.gateway.asOf) - Date.now()) < 60_000);
});

test('every snapshot-served aggregate says when it was read: diagnosisSummary and agentVersions per row, cemSummary over byReporting', async () => {
  const { s, clock, stats } = await started();
  await s.refresher.refresh();
  const at = new Date(clock.now()).toISOString();
  const before = stats.total;
  const q = (live: boolean) =>
    `{ diagnosisSummary(live: ${live}) { verdict count asOf } agentVersions(live: ${live}) { version count asOf } cemSummary(live: ${live}) { asOf byReporting { state count } } }`;
  const snap = await gql(s.url, q(false));
  assert.equal(stats.total, before, 'all from the snapshot');
  assert.ok(snap.diagnosisSummary.length > 10 && snap.agentVersions.length > 1);
  for (const r of [...snap.diagnosisSummary, ...snap.agentVersions, snap.cemSummary]) assert.equal(r.asOf, at);
  const live = await gql(s.url, q(true));
  assert.ok(stats.total > before);
  for (const r of [...live.diagnosisSummary, ...live.agentVersions, live.cemSummary]) assert.ok(Math.abs(Date.parse(r.asOf) - Date.now()) < 60_000, r.asOf);
  assert.deepEqual(withoutAsOf(live.agentVersions), withoutAsOf(snap.agentVersions));
  // The verdicts depend on the clock (the manual one in the background, the real one live): only their total must agree.
  const total = (rows: { count: number }[]) => rows.reduce((n, r) => n + r.count, 0);
  assert.equal(total(live.diagnosisSummary), total(snap.diagnosisSummary));
});

test('the snapshot lags the inventory by at most one round; live: true sees changes now', async () => {
  const { s, clock } = await started();
  await s.refresher.refresh();
  const first = (await gql(s.url, '{ cemSummary { total } }')).cemSummary.total;
  const w = new Database(s.inventory.description.replace(/^sqlite:/, ''));
  w.prepare('UPDATE vComputer SET IsManaged = 0 WHERE Guid IN (SELECT Guid FROM vComputer WHERE IsManaged = 1 LIMIT 7)').run();
  w.close();
  assert.equal((await gql(s.url, '{ cemSummary { total } }')).cemSummary.total, first, 'the snapshot until the next round');
  assert.equal((await gql(s.url, '{ cemSummary(live: true) { total } }')).cemSummary.total, first - 7);
  clock.advance(15_000);
  await s.refresher.refresh();
  assert.equal((await gql(s.url, '{ cemSummary { total } }')).cemSummary.total, first - 7);
});

test('no snapshot yet, or one older than 3 intervals: read live, asOf now', async () => {
  const { s, clock, stats } = await started();
  const cold = (await gql(s.url, '{ cemSummary { total asOf } }')).cemSummary;
  assert.ok(stats.total >= 1, 'nothing read in the background yet: a live read');
  assert.ok(Math.abs(Date.parse(cold.asOf) - Date.now()) < 60_000);
  await s.refresher.refresh();
  clock.advance(45_001);
  const before = stats.total;
  const stale = (await gql(s.url, '{ cemSummary { total asOf } gateways { name asOf } }'));
  assert.ok(stats.total > before, 'too old to serve: read live');
  assert.notEqual(stale.cemSummary.asOf, new Date(clock.now() - 45_001).toISOString());
  assert.equal(stale.cemSummary.total, cold.total);
});
