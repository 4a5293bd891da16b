// /metrics when the inventory misbehaves: a missing table, a missing SQL file, a vanished inventory
// file and a statement past the collector timeout each cost their own collector's metrics, never the
// scrape (HTTP 200) and never the process; each recovers by itself at the next background read.
// Rounds are driven by the test (schedule: false) on a manual clock.
import assert from 'node:assert/strict';
import { cpSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { DEFAULT_QUERIES_DIR, SqlInventory } from '../src/inventory/inventory.js';
import { SqliteDriver } from '../src/inventory/sqlite.js';
import { COLLECTORS } from '../src/metrics/collectors/index.js';
import { Refresher } from '../src/metrics/refresher.js';
import { M, VALUES, type CollectorName } from '../src/metrics/names.js';
import { copyOf, manualClock, metricsFixture, pick, promtoolFindings, scrape, value, type Exposition } from './helpers/metrics.js';

const { demo, serve } = metricsFixture('metrics-faults');

const familiesOf = (collector: CollectorName) => COLLECTORS.find((c) => c.name === collector)!.families.map((f) => f.name);

/** Only `failed` collectors failed: their families have no samples, every other family has. */
function assertOnlyFailed(e: Exposition, ...failed: CollectorName[]): void {
  for (const collector of VALUES.collector) {
    const ok = !failed.includes(collector);
    assert.equal(value(e, M.collectorSuccess, { collector }), ok ? 1 : 0, `${collector} success`);
    for (const family of familiesOf(collector)) assert.equal(pick(e, family).length > 0, ok, `${family} ${ok ? 'present' : 'absent'}`);
  }
}

test('a dropped table: its collector fails, its metrics are left out, the rest is served; it is retried each round', async () => {
  const file = copyOf(demo(), 'metrics-dropped');
  const w = new Database(file);
  w.exec('DROP TABLE gatewatch_Relay');
  w.close();
  const clock = manualClock();
  const s = await serve({ path: file }, { intervalSeconds: 60, schedule: false, clock: clock.now });
  const first = await scrape(s.url);
  assert.equal(first.status, 200);
  // The diagnosis reads the relays too: both collectors over the table fail, no other.
  assertOnlyFailed(first.e, 'relays', 'diagnosis_facts');
  assert.equal(value(first.e, M.up), 1, 'the inventory answered: a missing table is not an outage');
  assert.equal(promtoolFindings(first.e.text), '', 'still a clean exposition');

  const relays = () => s.inventory.stats.byDataset.get('relays');
  assert.equal(relays(), 1);
  assertOnlyFailed((await scrape(s.url)).e, 'relays', 'diagnosis_facts');
  assert.equal(relays(), 1, 'a scrape does not retry it');
  clock.advance(60_000);
  await s.refresher.refresh();
  assert.equal(relays(), 2, 'the next round does');
  const second = await scrape(s.url);
  assertOnlyFailed(second.e, 'relays', 'diagnosis_facts');
  assert.equal(s.logged.filter((l) => /collector relays failed: .*no such table: gatewatch_Relay/.test(l)).length, 1, 'logged once, not per scrape');
});

test('the inventory file removed mid-run: gatewatch_up 0 with HTTP 200, and back by itself when the file is', async () => {
  const file = copyOf(demo(), 'metrics-removed');
  const clock = manualClock();
  const s = await serve({ path: file }, { intervalSeconds: 15, schedule: false, clock: clock.now });
  const round = async () => (clock.advance(15_000), await s.refresher.refresh());
  assert.equal(value((await scrape(s.url)).e, M.up), 1);

  renameSync(file, `${file}.away`);
  await round();
  const down = await scrape(s.url);
  assert.equal(down.status, 200);
  assert.equal(value(down.e, M.up), 0);
  assertOnlyFailed(down.e, ...VALUES.collector);
  assert.ok(value(down.e, M.collectorLastSuccess, { collector: 'gateways' }) > 0, 'the last success is still shown');
  for (let i = 0; i < 3; i++) {
    await round();
    assert.equal(value((await scrape(s.url)).e, M.up), 0, `down in every round while it lasts (${i})`);
  }

  renameSync(`${file}.away`, file);
  await round();
  const back = await scrape(s.url);
  assert.equal(value(back.e, M.up), 1);
  assertOnlyFailed(back.e);
  // One line when it went, one when it came back: not one per collector and round.
  assert.equal(s.logged.filter((l) => /inventory unreachable/.test(l)).length, 1, s.logged.join('\n'));
  assert.equal(s.logged.filter((l) => /inventory reachable again/.test(l)).length, 1, s.logged.join('\n'));
  assert.ok(!s.logged.some((l) => /collector \w+ failed/.test(l)), 'no per-collector line for the outage');
});

test('a statement past the collector timeout fails that collector alone; a missing SQL file fails its own', async () => {
  const queries = join(dirname(demo()), 'queries');
  cpSync(DEFAULT_QUERIES_DIR, queries, { recursive: true });
  // Counts to a billion: minutes of work, far past the collector timeout.
  writeFileSync(
    join(queries, 'cem_summary.sql'),
    `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000)
SELECT MAX(x) AS [Total], 0 AS [Internet], 0 AS [Lan], 0 AS [CemConfigured], 0 AS [PolicyApplied], 0 AS [Http], 0 AS [Https] FROM c`,
  );
  rmSync(join(queries, 'agent_messages_by_component.sql'));
  // The slow statement holds one worker until close(); the others answer the rest.
  const inventory = new SqlInventory(new SqliteDriver({ path: demo(), workers: 1, heavyWorkers: 3, timeoutMs: 600_000 }), queries);
  const clock = manualClock();
  // The short wait is cem_summary's alone: every other read keeps the fixture's generous one, so on a
  // loaded machine only the billion-row count (which cannot end in 1.5 s, nor for minutes) times out.
  const s = await serve({ inventory }, { intervalSeconds: 60, collectorTimeoutsMs: { cem_summary: 1500 }, schedule: false, clock: clock.now });

  const first = await scrape(s.url);
  assert.equal(first.status, 200);
  assertOnlyFailed(first.e, 'cem_summary', 'agent_messages_by_component');
  assert.equal(value(first.e, M.up), 1);
  assert.equal(value(first.e, M.collectorLastSuccess, { collector: 'cem_summary' }), 0, 'never succeeded');
  assert.equal(inventory.stats.byDataset.get('agent_messages_by_component'), undefined, 'a missing SQL file runs nothing');

  // The slow statement is still running: the next round waits on it again instead of starting another.
  clock.advance(60_000);
  await s.refresher.refresh();
  const second = await scrape(s.url);
  assert.equal(value(second.e, M.up), 1, 'one slow dataset is not an outage');
  assertOnlyFailed(second.e, 'cem_summary', 'agent_messages_by_component');
  assert.equal(inventory.stats.byDataset.get('cem_summary'), 1, 'one slow statement, not one per scrape');
  assert.ok(s.logged.some((l) => /collector cem_summary failed: .*1500 ms collector timeout/.test(l)));
  assert.ok(s.logged.some((l) => /collector agent_messages_by_component failed: .*no such file/.test(l)));
});

test('a value a counter cannot take fails its own collector, not the scrape', async () => {
  const file = copyOf(demo(), 'metrics-negative');
  const w = new Database(file);
  w.prepare('UPDATE gatewatch_Gateway SET AuthFailures = -1').run();
  w.close();
  const s = await serve({ path: file }, { schedule: false, clock: manualClock().now });
  const r = await scrape(s.url);
  assert.equal(r.status, 200);
  assertOnlyFailed(r.e, 'gateways');
});

test('deleted denial rows do not make the denials counter go down (no false reset, no false spike)', async () => {
  const file = copyOf(demo(), 'metrics-purge');
  const clock = manualClock();
  const s = await serve({ path: file }, { intervalSeconds: 15, schedule: false, clock: clock.now });
  const round = async () => (clock.advance(16_000), await s.refresher.refresh());
  const total = (e: Exposition) => pick(e, M.gatewayDenials).reduce((n, x) => n + x.value, 0);
  const before = total((await scrape(s.url)).e);
  assert.ok(before > 10);
  const w = new Database(file);
  const deleted = w.prepare('DELETE FROM gatewatch_Denial WHERE Id IN (SELECT Id FROM gatewatch_Denial ORDER BY Id LIMIT 10)').run().changes;
  await round();
  assert.equal(total((await scrape(s.url)).e), before, `${deleted} rows purged: the counter holds`);
  const gw = (w.prepare('SELECT Name FROM gatewatch_Gateway LIMIT 1').get() as { Name: string }).Name;
  w.prepare("INSERT INTO gatewatch_Denial VALUES (99000001, ?, 'X', 'time_skew', '2026-11-25T10:00:00.000Z'), (99000002, ?, 'Y', 'time_skew', '2026-11-25T10:00:00.000Z')").run(gw, gw);
  w.close();
  await round();
  assert.equal(total((await scrape(s.url)).e), before + 2, 'and then counts new denials');
  assert.equal(total((await scrape(s.url)).e), before + 2, 'scraping the same snapshot again adds nothing');
});

test('a core with no broker connections at a gateway (no row at all) is exported at 0, so the alert sees it', async () => {
  const file = copyOf(demo(), 'metrics-no-broker');
  const w = new Database(file);
  const gone = w.prepare('SELECT Gateway, Core FROM gatewatch_BrokerConnection LIMIT 1').get() as { Gateway: string; Core: string };
  w.prepare('DELETE FROM gatewatch_BrokerConnection WHERE Gateway = ? AND Core = ?').run(gone.Gateway, gone.Core);
  w.close();
  const s = await serve({ path: file }, { schedule: false, clock: manualClock().now });
  assert.equal(value((await scrape(s.url)).e, M.gatewayBrokerConnections, { gateway: gone.Gateway, core: gone.Core }), 0);
});

/**
 * A real inventory whose cem_summary reads wait at a gate the test shuts (hold) and opens: slowness
 * without a clock.
 */
function gatedCemSummary() {
  const real = new SqlInventory(new SqliteDriver({ path: demo() }));
  let gate = Promise.resolve();
  let opener: () => void = () => {};
  const inventory = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'all') return Reflect.get(target, prop, receiver);
      return async (dataset: string, ...rest: unknown[]) => {
        if (dataset === 'cem_summary') await gate;
        return (target.all as (...a: unknown[]) => Promise<unknown[]>)(dataset, ...rest);
      };
    },
  });
  return {
    real,
    inventory,
    hold: () => void (gate = new Promise<void>((resolve) => (opener = resolve))),
    open: () => opener(),
  };
}

test('a read that outlasts the round is kept when it lands, and while young rows are served it is no failure', async () => {
  const { inventory, hold, open } = gatedCemSummary();
  const clock = manualClock();
  hold();
  // The round waits 1 s for cem_summary alone, which stays at the shut gate until the test opens it;
  // the other reads keep the fixture's generous wait, so however slow they are they do not time out.
  const s = await serve({ inventory }, { intervalSeconds: 15, collectorTimeoutsMs: { cem_summary: 1000 }, schedule: false, clock: clock.now });
  const first = await scrape(s.url);
  assertOnlyFailed(first.e, 'cem_summary');
  open();
  // No new round: the late read itself made it good.
  // Waits for the landing, generously bounded (the per-test timeout bounds it too).
  for (let i = 0; i < 2000 && value((await scrape(s.url)).e, M.collectorSuccess, { collector: 'cem_summary' }) !== 1; i++) await new Promise((r) => setTimeout(r, 20));
  const landed = await scrape(s.url);
  assertOnlyFailed(landed.e);
  assert.equal(value(landed.e, M.collectorLastSuccess, { collector: 'cem_summary' }), clock.now() / 1000);

  // Slow again, but the rows served are young: the round moves on without calling it a failure.
  hold();
  clock.advance(15_000);
  await s.refresher.refresh();
  assertOnlyFailed((await scrape(s.url)).e);
  open();
});

test('only the first scrape waits for a first round that is still running; later scrapes get what has been read', async (t) => {
  const { real, inventory, hold, open } = gatedCemSummary();
  // The first round never ends while the gate is shut: its cem_summary read waits at it.
  hold();
  const refresher = new Refresher(inventory, COLLECTORS, { schedule: false, firstWaitMs: 200, collectorTimeoutMs: 600_000, clock: manualClock().now });
  t.after(async () => {
    open();
    await refresher.refresh();
    refresher.close();
    await real.close();
  });
  const [a, b] = [refresher.ready(), refresher.ready()];
  assert.equal(a, b, 'early scrapes share one wait');
  await a; // the first round is still at the gate: the wait ran out
  const later = await Promise.race([refresher.ready().then(() => 'ready'), Promise.resolve().then(() => 'waiting')]);
  assert.equal(later, 'ready', 'a later scrape does not wait again');
  assert.equal(refresher.latest('cem_summary').read, undefined, 'the round is indeed still running');
});
