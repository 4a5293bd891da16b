// What scrapes cost and see over time: reads happen in background rounds, one statement per dataset
// per interval whoever scrapes; scrapes between rounds run no SQL; per-dataset intervals; data older
// than its limit is dropped; a deleted gateway leaves the output after the next read; the token guards
// /metrics, and GraphQL requests are counted. Rounds are driven by the test and time is a manual
// clock, never waited for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { COLLECTORS } from '../src/metrics/collectors/index.js';
import { FLEET_SLICES } from '../src/diagnosis/run.js';
import { M, VALUES, type CollectorName } from '../src/metrics/names.js';
import { copyOf, manualClock, metricsFixture, pick, scrape, value } from './helpers/metrics.js';

const { demo, serve } = metricsFixture('metrics-scrapes');
/** Statements of one read of a collector's dataset: the diagnosis counts its fleet in GUID slices. */
const readCost = (c: CollectorName) => (c === 'diagnosis_facts' ? FLEET_SLICES : 1);
/** One round: each dataset once, plus the reachability probe (a zero-row read of computers). */
const ROUND = COLLECTORS.reduce((n, c) => n + readCost(c.name), 0) + 1;

test('the collectors are one per dataset, and the contract lists each of them', () => {
  assert.deepEqual(COLLECTORS.map((c) => c.name).sort(), [...VALUES.collector].sort());
});

test('N concurrent first scrapes share the first round; scraping hard between rounds runs no statement', async () => {
  const clock = manualClock();
  const s = await serve({ path: demo() }, { intervalSeconds: 15, schedule: false, clock: clock.now });
  const stats = s.inventory.stats;
  const scrapes = await Promise.all(Array.from({ length: 8 }, () => scrape(s.url)));
  assert.ok(scrapes.every((r) => r.status === 200));
  assert.equal(stats.total, ROUND, 'one round for all 8 scrapes');
  for (const c of COLLECTORS) assert.equal(stats.byDataset.get(c.name), readCost(c.name), c.name);
  assert.equal(stats.byDataset.get('computers'), 1, 'the probe');
  // The inventory's families, that is: request counters and the process's own metrics move between
  // scrapes (their lines go whole: the kinds of active resources, hence their number, vary too).
  const bodies = new Set(scrapes.map((r) => r.e.text.replace(/^(gatewatch_graphql|process_|nodejs_).*\n/gm, '')));
  assert.equal(bodies.size, 1, 'they all saw the same snapshot');

  for (let i = 0; i < 5; i++) await Promise.all(Array.from({ length: 10 }, () => scrape(s.url)));
  clock.advance(14_900);
  const cached = await scrape(s.url);
  assert.equal(stats.total, ROUND, '51 more scrapes: no statement at all');
  assert.equal(value(cached.e, M.collectorSuccess, { collector: 'gateways' }), 1);
  // The age shows: the data served was read before the clock moved.
  assert.equal(value(cached.e, M.collectorLastSuccess, { collector: 'relays' }), value(scrapes[0]!.e, M.collectorLastSuccess, { collector: 'relays' }));
  await s.refresher.refresh();
  assert.equal(stats.total, ROUND, 'a round before the interval is over reads nothing');

  clock.advance(100);
  await s.refresher.refresh();
  assert.equal(stats.total, 2 * ROUND, 'the interval over: each dataset read once more');
  const fresh = await scrape(s.url);
  assert.equal(value(fresh.e, M.collectorLastSuccess, { collector: 'relays' }), clock.now() / 1000);
});

test('reads per interval do not depend on the number of scrapers', async () => {
  const perRound = async (scrapers: number) => {
    const clock = manualClock();
    const s = await serve({ path: demo() }, { intervalSeconds: 15, schedule: false, clock: clock.now });
    for (let round = 0; round < 3; round++) {
      await s.refresher.refresh();
      for (let i = 0; i < scrapers; i++) assert.equal((await scrape(s.url)).status, 200);
      clock.advance(15_000);
    }
    return s.inventory.stats.total;
  };
  const [none, one, many] = [await perRound(0), await perRound(1), await perRound(12)];
  assert.equal(none, 3 * ROUND);
  assert.equal(one, none);
  assert.equal(many, none);
});

test('a per-dataset interval (min_interval) reads that dataset less often than the rest', async () => {
  const clock = manualClock();
  const s = await serve({ path: demo() }, { intervalSeconds: 15, intervals: { computers_by_state: 60 }, schedule: false, clock: clock.now });
  const reads = (d: string) => s.inventory.stats.byDataset.get(d) ?? 0;
  for (let i = 0; i < 4; i++) {
    await s.refresher.refresh();
    clock.advance(15_000);
  }
  assert.equal(reads('relays'), 4);
  assert.equal(reads('computers_by_state'), 1, 'once in 60 s');
  // The diagnosis declares its own longer interval (its GROUP BY is the dearest read at a large fleet).
  const diagnosis = COLLECTORS.find((c) => c.name === 'diagnosis_facts')!;
  assert.ok(diagnosis.intervalSeconds! > 60);
  assert.equal(reads('diagnosis_facts'), FLEET_SLICES, `once (one statement per slice) in ${diagnosis.intervalSeconds} s`);
  const e = (await scrape(s.url)).e;
  assert.equal(value(e, M.collectorSuccess, { collector: 'computers_by_state' }), 1, 'still fresh: within 3 of its own intervals');
  await s.refresher.refresh();
  assert.equal(reads('computers_by_state'), 2, 'due again after 60 s');
  assert.equal(s.refresher.maxAgeMs('computers_by_state'), 180_000, 'its freshness limit is 3 of its own intervals');
});

test('data older than 3 intervals is dropped: families absent, success 0, the last-success time still says how old', async () => {
  const clock = manualClock();
  const s = await serve({ path: demo() }, { intervalSeconds: 15, schedule: false, clock: clock.now });
  const first = (await scrape(s.url)).e;
  const readAt = value(first, M.collectorLastSuccess, { collector: 'relays' });
  clock.advance(45_000);
  const aged = (await scrape(s.url)).e;
  assert.equal(value(aged, M.collectorSuccess, { collector: 'relays' }), 1, 'exactly 3 intervals old: still served');
  clock.advance(1);
  const statements = s.inventory.stats.total;
  const stale = (await scrape(s.url)).e;
  assert.equal(s.inventory.stats.total, statements, 'a stale snapshot does not make the scrape read');
  for (const collector of VALUES.collector) assert.equal(value(stale, M.collectorSuccess, { collector }), 0, collector);
  assert.equal(pick(stale, M.relayUp).length, 0, 'not served stale');
  assert.equal(pick(stale, M.computers).length, 0);
  assert.equal(value(stale, M.collectorLastSuccess, { collector: 'relays' }), readAt, 'the age keeps showing');
  await s.refresher.refresh();
  const back = (await scrape(s.url)).e;
  assert.equal(value(back, M.collectorSuccess, { collector: 'relays' }), 1);
  assert.ok(pick(back, M.relayUp).length > 0);
});

test('a scheduled refresher reads on its own and stops reading on close', async () => {
  const s = await serve({ path: demo() }, { intervalSeconds: 1 });
  const stats = s.inventory.stats;
  // Each round is at most one interval plus its reads apart; the bound (2 min, under the per-test
  // timeout) leaves room for reads however loaded the machine, and costs nothing when they are quick.
  for (let i = 0; i < 2400 && stats.total < 2 * ROUND; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(stats.total >= 2 * ROUND, `at least two rounds without any scrape (${stats.total} statements)`);
  await s.close();
  const after = stats.total;
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(stats.total, after, 'no round after close');
});

test('a gateway deleted from the inventory disappears from every family after the next read', async () => {
  const file = copyOf(demo(), 'metrics-deleted');
  const clock = manualClock();
  const s = await serve({ path: file }, { intervalSeconds: 1, schedule: false, clock: clock.now });
  const first = await scrape(s.url);
  const gateway = pick(first.e, M.gatewayInfo)[0]!.labels.gateway!;
  const mentions = (e: typeof first.e) => e.samples.filter((x) => x.labels.gateway === gateway).length;
  assert.ok(mentions(first.e) > 10, 'the gateway is in many families (status flags, zero-filled grids)');

  // Decommissioned: the gateway and everything recorded about it go.
  const w = new Database(file);
  for (const [table, column] of [
    ['gatewatch_Gateway', 'Name'],
    ['gatewatch_GatewayConnection', 'Gateway'],
    ['gatewatch_BrokerConnection', 'Gateway'],
    ['gatewatch_Denial', 'Gateway'],
    ['gatewatch_AccessRequest', 'ReportedBy'],
    ['Inv_AeX_AC_InternetGatewayDetails', 'Gateway'],
  ]) w.prepare(`DELETE FROM ${table} WHERE ${column} = ?`).run(gateway);
  w.close();

  const statements = s.inventory.stats.total;
  assert.equal(mentions((await scrape(s.url)).e), mentions(first.e), 'still served from the snapshot until the next read');
  assert.equal(s.inventory.stats.total, statements);
  clock.advance(1000);
  await s.refresher.refresh();
  const later = await scrape(s.url);
  assert.equal(mentions(later.e), 0, 'gone from every family');
  assert.equal(pick(later.e, M.gatewayInfo).length, pick(first.e, M.gatewayInfo).length - 1, 'the other gateways stay');
});

test('with an API token, /metrics needs it as a bearer token', async () => {
  const token = 'a-long-enough-metrics-token';
  const s = await serve({ path: demo() }, { schedule: false }, token);
  const anonymous = await fetch(`${s.url}/metrics`);
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer/);
  assert.equal(s.inventory.stats.total, 0, 'a refused scrape runs no SQL');
  assert.equal((await scrape(s.url, { authorization: `Bearer ${token}` })).status, 200);
  assert.equal((await fetch(`${s.url}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status, 405);
});

test('GraphQL requests are counted by outcome and timed', async () => {
  const token = 'a-long-enough-graphql-token';
  const s = await serve({ path: demo() }, {}, token);
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const before = (await scrape(s.url, auth)).e;
  assert.equal(value(before, M.graphqlRequests, { status: 'ok' }), 0, 'both outcomes exist from the start');
  assert.equal(value(before, M.graphqlRequests, { status: 'error' }), 0);
  for (let i = 0; i < 2; i++) {
    const r = await fetch(`${s.url}/graphql`, { method: 'POST', headers: auth, body: JSON.stringify({ query: '{ gateways { name } }' }) });
    assert.equal(r.status, 200);
    await r.text();
  }
  const refused = await fetch(`${s.url}/graphql`, { method: 'POST', body: '{"query":"{ __typename }"}' });
  assert.equal(refused.status, 401);
  await refused.text();
  const e = (await scrape(s.url, auth)).e;
  assert.equal(value(e, M.graphqlRequests, { status: 'ok' }), 2);
  assert.equal(value(e, M.graphqlRequests, { status: 'error' }), 1);
  assert.equal(value(e, `${M.graphqlRequestDuration}_count`), 3);
  assert.equal(e.types.get(M.graphqlRequestDuration), 'histogram');
});

test('the refresh intervals are serve settings: flag or environment variable, whole seconds, per dataset too', async () => {
  const { ConfigError, loadServeConfig } = await import('../src/config.js');
  assert.equal(loadServeConfig({}, {}).metricsRefreshSeconds, undefined, "unset: the refresher's default (15 s)");
  assert.equal(loadServeConfig({}, { GATEWATCH_METRICS_REFRESH_SECONDS: '5' }).metricsRefreshSeconds, 5);
  assert.equal(loadServeConfig({ 'metrics-refresh-seconds': '30' }, { GATEWATCH_METRICS_REFRESH_SECONDS: '5' }).metricsRefreshSeconds, 30);
  assert.equal(loadServeConfig({}, { GATEWATCH_METRICS_CACHE_SECONDS: '20' }).metricsRefreshSeconds, 20, 'the older name still works');
  assert.throws(() => loadServeConfig({ 'metrics-refresh-seconds': '1.5' }, {}), (e: unknown) => e instanceof ConfigError && /--metrics-refresh-seconds/.test(e.message));
  assert.throws(() => loadServeConfig({ 'metrics-refresh-seconds': '0' }, {}), ConfigError, 'a background read needs an interval');
  assert.deepEqual(
    loadServeConfig({}, { GATEWATCH_METRICS_REFRESH_DATASETS: 'computers_by_state=60, cem_summary=120' }).metricsRefreshDatasets,
    { computers_by_state: 60, cem_summary: 120 },
  );
  assert.throws(
    () => loadServeConfig({ 'metrics-refresh-datasets': 'computers=60' }, {}),
    (e: unknown) => e instanceof ConfigError && /--metrics-refresh-datasets: .*"computers=60"/.test(e.message),
  );
});
