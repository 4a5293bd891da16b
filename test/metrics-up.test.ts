// gatewatch_up follows the latest background round, the same in every scrape: 0 while a writer holds
// the SQLite file locked, while the file is gone, while a "SQL Server" accepts TCP but never answers;
// 1 again once the inventory answers. A missing table is an answer, not an outage.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { renameSync } from 'node:fs';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openInventory, parseDbUrl } from '../src/inventory/index.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { SqliteDriver } from '../src/inventory/sqlite.js';
import { M, VALUES } from '../src/metrics/names.js';
import { copyOf, manualClock, metricsFixture, pick, scrape, value } from './helpers/metrics.js';

const { demo, serve } = metricsFixture('metrics-up');

/** A server whose rounds the test drives, and the gatewatch_up each of `n` rounds ends with. */
async function upAfterRounds(s: Awaited<ReturnType<typeof serve>>, clock: ReturnType<typeof manualClock>, n: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < n; i++) {
    clock.advance(15_000);
    await s.refresher.refresh();
    // Several scrapes per round: they must all agree.
    const ups = await Promise.all([scrape(s.url), scrape(s.url)]);
    assert.equal(value(ups[0]!.e, M.up), value(ups[1]!.e, M.up));
    seen.push(value(ups[0]!.e, M.up));
  }
  return seen;
}

test('a writer holding the file locked (BEGIN EXCLUSIVE, rollback journal) is an outage in every round, until it commits', async () => {
  const file = copyOf(demo(), 'metrics-locked');
  const writer = new Database(file);
  writer.pragma('journal_mode = DELETE');
  // The busy wait is half the statement timeout: each locked read fails after 1 s. The worker is
  // started first, so its start-up does not count against a statement.
  const inventory = new SqlInventory(new SqliteDriver({ path: file, timeoutMs: 2000, workers: 1 }));
  await inventory.ping();
  const clock = manualClock();
  const s = await serve({ inventory }, { intervalSeconds: 15, schedule: false, clock: clock.now });
  try {
    assert.equal(value((await scrape(s.url)).e, M.up), 1);
    writer.exec('BEGIN EXCLUSIVE');
    writer.prepare('UPDATE gatewatch_Relay SET Online = Online').run();
    assert.deepEqual(await upAfterRounds(s, clock, 4), [0, 0, 0, 0], 'never 1 while the lock is held');
    const locked = (await scrape(s.url)).e;
    for (const collector of VALUES.collector) assert.equal(value(locked, M.collectorSuccess, { collector }), 0, collector);
    assert.equal(pick(locked, M.relayUp).length, 0);
    assert.ok(s.logged.some((l) => /locked by a writer/.test(l)), 'the cause is logged');
    writer.exec('COMMIT');
    assert.deepEqual(await upAfterRounds(s, clock, 2), [1, 1]);
  } finally {
    if (writer.inTransaction) writer.exec('ROLLBACK');
    writer.close();
  }
});

test('the inventory file removed: down in every round; a dropped table alone is not an outage', async () => {
  const file = copyOf(demo(), 'metrics-gone');
  const clock = manualClock();
  const s = await serve({ path: file }, { intervalSeconds: 15, schedule: false, clock: clock.now });
  assert.equal(value((await scrape(s.url)).e, M.up), 1);
  renameSync(file, `${file}.away`);
  assert.deepEqual(await upAfterRounds(s, clock, 3), [0, 0, 0]);
  renameSync(`${file}.away`, file);
  const w = new Database(file);
  w.exec('DROP TABLE gatewatch_Relay');
  w.close();
  assert.deepEqual(await upAfterRounds(s, clock, 2), [1, 1], 'reachable again; the missing table costs its collector only');
  assert.equal(value((await scrape(s.url)).e, M.collectorSuccess, { collector: 'relays' }), 0);
});

test('a SQL Server that accepts TCP but never answers: gatewatch_up 0 in every round, HTTP 200', async () => {
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  const inventory = openInventory(parseDbUrl(`mssql://gatewatch:secret@127.0.0.1:${port}/cmdb?encrypt=false&connectTimeout=1000`));
  const clock = manualClock();
  const s = await serve({ inventory }, { intervalSeconds: 15, collectorTimeoutMs: 800, schedule: false, clock: clock.now });
  try {
    const first = await scrape(s.url);
    assert.equal(first.status, 200);
    assert.equal(value(first.e, M.up), 0);
    assert.deepEqual(await upAfterRounds(s, clock, 3), [0, 0, 0]);
    assert.ok(sockets.size > 0 || s.logged.length > 0, 'it did try to connect');
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});
