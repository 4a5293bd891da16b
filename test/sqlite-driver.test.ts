// The SQLite driver's faults, on real files: a statement past its timeout is stopped without stalling
// the event loop, a removed or replaced file is noticed, a writer's lock is a TIMEOUT, and each of
// them recovers by itself on the next statement.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { buildDemoInventory } from '../src/demo/generate.js';
import { InventoryError } from '../src/inventory/errors.js';
import { openInventory } from '../src/inventory/index.js';
import { DEFAULT_QUERIES_DIR } from '../src/inventory/inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-sqlite-'));
const path = join(dir, 'demo.sqlite');
const code = (c: string) => (e: unknown) => e instanceof InventoryError && e.code === c;

before(async () => {
  await buildDemoInventory(path, { computers: 300, seed: 2 });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a statement past its timeout is stopped, the event loop keeps turning, the next statement works', async () => {
  const queries = join(dir, 'slow-queries');
  cpSync(DEFAULT_QUERIES_DIR, queries, { recursive: true });
  // Counts to a billion: minutes of work unless the driver stops it.
  writeFileSync(
    join(queries, 'cem_summary.sql'),
    `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000)
SELECT MAX(x) AS [Total], 0 AS [Internet], 0 AS [Lan], 0 AS [CemConfigured], 0 AS [PolicyApplied], 0 AS [Http], 0 AS [Https] FROM c`,
  );
  const inv = openInventory({ kind: 'sqlite', path }, { queriesDir: queries, requestTimeoutMs: 300 });
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 10);
  const slow = inv.all('cem_summary');
  const queued = inv.all('gateways');
  assert.ok((await queued).length > 0, 'a statement sent meanwhile is answered by another worker');
  await assert.rejects(slow, (e: unknown) => code('TIMEOUT')(e) && /exceeded the 300 ms timeout/.test((e as Error).message));
  clearInterval(ticker);
  assert.ok(ticks >= 5, `the event loop ran while SQLite worked (${ticks} ticks)`);
  assert.ok((await inv.all('gateways')).length > 0, 'a fresh worker answers the next statement');
  await inv.close();
});

test('with one worker, statements queued behind a slow one wait their turn and each gets its own full timeout', async () => {
  const { SqliteDriver } = await import('../src/inventory/sqlite.js');
  const { SqlInventory } = await import('../src/inventory/inventory.js');
  const queries = join(dir, 'slow-queries');
  const inv = new SqlInventory(new SqliteDriver({ path, timeoutMs: 300, workers: 1 }), queries);
  const slow = inv.all('cem_summary');
  const behind = [inv.all('gateways'), inv.all('relays'), inv.ping()];
  await assert.rejects(slow, code('TIMEOUT'));
  const [gateways, relays] = await Promise.all(behind);
  assert.ok(gateways!.length > 0 && relays!.length > 0);
  await inv.close();
});

test('a removed file is unreachable at once, and reading resumes when it is back', async () => {
  const file = join(dir, 'removed.sqlite');
  copyFileSync(path, file);
  const inv = openInventory({ kind: 'sqlite', path: file });
  assert.ok((await inv.all('gateways')).length > 0);
  renameSync(file, `${file}.away`);
  await assert.rejects(inv.all('gateways'), code('UNREACHABLE'));
  await assert.rejects(inv.ping(), code('UNREACHABLE'));
  renameSync(`${file}.away`, file);
  assert.ok((await inv.all('gateways')).length > 0);
  await inv.close();
});

test('a replaced file is read anew, not through the old handle', async () => {
  const file = join(dir, 'replaced.sqlite');
  copyFileSync(path, file);
  const inv = openInventory({ kind: 'sqlite', path: file });
  const before = (await inv.all('gateways')).length;
  const next = join(dir, 'next.sqlite');
  copyFileSync(path, next);
  const w = new Database(next);
  w.prepare("INSERT INTO gatewatch_Gateway VALUES ('igw-new.corp.example', 443, '8.8.1', 1, 1, 1, 1, 0)").run();
  w.close();
  renameSync(next, file);
  assert.equal((await inv.all('gateways')).length, before + 1);
  await inv.close();
});

test("a writer's exclusive lock is a TIMEOUT, and the lock's release is a recovery", async () => {
  const file = join(dir, 'locked.sqlite');
  copyFileSync(path, file);
  // A rollback-journal file, as an ETL job's SQLite export might be: its writer can lock readers out.
  const setup = new Database(file);
  setup.pragma('journal_mode = DELETE');
  setup.close();
  const inv = openInventory({ kind: 'sqlite', path: file }, { requestTimeoutMs: 400 });
  assert.ok((await inv.all('relays')).length > 0);
  const writer = new Database(file);
  writer.exec('BEGIN EXCLUSIVE');
  writer.prepare('UPDATE gatewatch_Relay SET Online = 0').run();
  await assert.rejects(inv.all('relays'), code('TIMEOUT'));
  writer.exec('COMMIT');
  writer.close();
  const relays = await inv.all('relays');
  assert.ok(relays.length > 0 && relays.every((r) => !r.Online), 'the committed change is read after the lock is gone');
  await inv.close();
});

test('a file that is not SQLite is unreachable with the reason, not a crash', async () => {
  const file = join(dir, 'not-a-db.sqlite');
  writeFileSync(file, 'this is a text file, not a database'.repeat(200));
  const inv = openInventory({ kind: 'sqlite', path: file });
  await assert.rejects(inv.ping(), (e: unknown) => code('UNREACHABLE')(e) && /not a database/.test((e as Error).message));
  await inv.close();
});
