// What scrapes cost and see over time: concurrent scrapes share one collection, a scrape within the
// cache interval runs no SQL, a deleted gateway leaves the output once the interval has passed, the
// token guards /metrics, and GraphQL requests are counted. Time is a manual clock, never waited for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { COLLECTORS } from '../src/metrics/collectors/index.js';
import { M, VALUES } from '../src/metrics/names.js';
import { copyOf, manualClock, metricsFixture, pick, scrape, value } from './helpers/metrics.js';

const { demo, serve } = metricsFixture('metrics-scrapes');

test('the collectors are one per dataset, and the contract lists each of them', () => {
  assert.deepEqual(COLLECTORS.map((c) => c.name).sort(), [...VALUES.collector].sort());
});

test('N concurrent scrapes in one interval cost one statement per collector; another scrape in it costs none', async () => {
  const clock = manualClock();
  const s = await serve({ path: demo() }, { cacheSeconds: 15, clock: clock.now });
  const stats = s.inventory.stats;
  const before = stats.total;
  const scrapes = await Promise.all(Array.from({ length: 8 }, () => scrape(s.url)));
  assert.ok(scrapes.every((r) => r.status === 200));
  assert.equal(stats.total - before, COLLECTORS.length, 'one statement per collector for all 8 scrapes');
  for (const c of COLLECTORS) assert.equal(stats.byDataset.get(c.name), 1, c.name);
  // The inventory's families, that is: request counters and the process's own metrics move between scrapes.
  const bodies = new Set(scrapes.map((r) => r.e.text.replace(/^(gatewatch_graphql|process_|nodejs_).*$/gm, '')));
  assert.equal(bodies.size, 1, 'they all saw the same snapshot');

  clock.advance(14_999);
  const cached = await scrape(s.url);
  assert.equal(stats.total - before, COLLECTORS.length, 'within the interval: no statement at all');
  assert.equal(value(cached.e, M.collectorSuccess, { collector: 'gateways' }), 1);
  // The cache age shows: the data served was read before the clock moved.
  assert.equal(value(cached.e, M.collectorLastSuccess, { collector: 'relays' }), value(scrapes[0]!.e, M.collectorLastSuccess, { collector: 'relays' }));

  clock.advance(1);
  const fresh = await scrape(s.url);
  assert.equal(stats.total - before, 2 * COLLECTORS.length, 'the interval over: each dataset read once more');
  assert.equal(value(fresh.e, M.collectorLastSuccess, { collector: 'relays' }), clock.now() / 1000);
});

test('a gateway deleted from the inventory disappears from every family once the interval has passed', async () => {
  const file = copyOf(demo(), 'metrics-deleted');
  const clock = manualClock();
  const s = await serve({ path: file }, { cacheSeconds: 1, clock: clock.now });
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
  assert.equal(mentions((await scrape(s.url)).e), mentions(first.e), 'still served from the cache within the interval');
  assert.equal(s.inventory.stats.total, statements);
  clock.advance(1000);
  const later = await scrape(s.url);
  assert.equal(mentions(later.e), 0, 'gone from every family');
  assert.equal(pick(later.e, M.gatewayInfo).length, pick(first.e, M.gatewayInfo).length - 1, 'the other gateways stay');
});

test('with an API token, /metrics needs it as a bearer token', async () => {
  const token = 'a-long-enough-metrics-token';
  const s = await serve({ path: demo() }, {}, token);
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

test('the cache interval is a serve setting: flag or environment variable, a whole number of seconds', async () => {
  const { ConfigError, loadServeConfig } = await import('../src/config.js');
  assert.equal(loadServeConfig({}, {}).metricsCacheSeconds, undefined, "unset: the exporter's default (15 s)");
  assert.equal(loadServeConfig({}, { GATEWATCH_METRICS_CACHE_SECONDS: '0' }).metricsCacheSeconds, 0);
  assert.equal(loadServeConfig({ 'metrics-cache-seconds': '30' }, { GATEWATCH_METRICS_CACHE_SECONDS: '5' }).metricsCacheSeconds, 30);
  assert.throws(() => loadServeConfig({ 'metrics-cache-seconds': '1.5' }, {}), (e: unknown) => e instanceof ConfigError && /--metrics-cache-seconds/.test(e.message));
});
