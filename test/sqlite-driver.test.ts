// The SQLite driver's faults, on real files: a statement past its timeout is stopped without stalling
// the event loop, a removed or replaced file is noticed, a writer's lock is a TIMEOUT, and each of
// them recovers by itself on the next statement. Every test closes what it opened in t.after, so a
// failed assertion cannot leave a timer or a worker behind; timeouts are seconds against statements
// that run for minutes on purpose, or milliseconds, so the machine's load cannot decide a result.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { writeSlowQueries } from './helpers/slow.js';
import { buildDemoInventory } from '../src/demo/generate.js';
import { InventoryError } from '../src/inventory/errors.js';
import { openInventory } from '../src/inventory/index.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { WORKER_V8_FLAGS } from '../src/inventory/sqlite-process.js';
import { SqliteDriver } from '../src/inventory/sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-sqlite-'));
const path = join(dir, 'demo.sqlite');
const code = (c: string) => (e: unknown) => e instanceof InventoryError && e.code === c;
const slowQueries = join(dir, 'slow-queries');

before(async () => {
  await buildDemoInventory(path, { computers: 300, seed: 2 });
  writeSlowQueries(slowQueries);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a statement past its timeout is stopped, the event loop keeps turning, the next statement works', async (t) => {
  const inv = openInventory({ kind: 'sqlite', path }, { queriesDir: slowQueries, requestTimeoutMs: 2000 });
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 10);
  t.after(async () => {
    clearInterval(ticker);
    await inv.close();
  });
  const slow = inv.all('cem_summary');
  const queued = inv.all('gateways');
  assert.ok((await queued).length > 0, 'a statement sent meanwhile is answered');
  await assert.rejects(slow, (e: unknown) => code('TIMEOUT')(e) && /exceeded the 2000 ms timeout/.test((e as Error).message));
  clearInterval(ticker);
  assert.ok(ticks >= 5, `the event loop ran while SQLite worked (${ticks} ticks)`);
  assert.ok((await inv.all('gateways')).length > 0, 'a fresh worker answers the next statement');
});

test('with one worker per lane, statements queued behind a slow one wait their turn and each gets its own full timeout', async (t) => {
  const inv = new SqlInventory(new SqliteDriver({ path, timeoutMs: 2000, queueTimeoutMs: 600_000, workers: 1, heavyWorkers: 1 }), slowQueries);
  t.after(() => inv.close());
  const slow = inv.all('cem_summary');
  const behind = [inv.all('computers_by_state'), inv.all('computers_by_auth'), inv.all('gateways'), inv.ping()];
  await assert.rejects(slow, code('TIMEOUT'));
  const [states, auths, gateways] = await Promise.all(behind);
  assert.ok(states!.length > 0 && auths!.length > 0 && gateways!.length > 0);
});

test('a removed file is unreachable at once, and reading resumes when it is back', async (t) => {
  const file = join(dir, 'removed.sqlite');
  copyFileSync(path, file);
  const inv = openInventory({ kind: 'sqlite', path: file });
  t.after(() => inv.close());
  assert.ok((await inv.all('gateways')).length > 0);
  renameSync(file, `${file}.away`);
  await assert.rejects(inv.all('gateways'), code('UNREACHABLE'));
  await assert.rejects(inv.ping(), code('UNREACHABLE'));
  renameSync(`${file}.away`, file);
  assert.ok((await inv.all('gateways')).length > 0);
});

for (const inline of [true, false]) test(`a replaced file is read anew, not through the old handle (${inline ? 'server thread' : 'worker'})`, async (t) => {
  const file = join(dir, `replaced-${inline}.sqlite`);
  copyFileSync(path, file);
  const inv = new SqlInventory(new SqliteDriver({ path: file, inline }));
  t.after(() => inv.close());
  const before = (await inv.all('gateways')).length;
  const next = join(dir, `next-${inline}.sqlite`);
  copyFileSync(path, next);
  const w = new Database(next);
  w.prepare("INSERT INTO gatewatch_Gateway VALUES ('igw-new.corp.example', 443, '8.8.1', 1, 1, 1, 1, 0)").run();
  w.close();
  renameSync(next, file);
  assert.equal((await inv.all('gateways')).length, before + 1);
});

test("a writer's exclusive lock is a TIMEOUT, and the lock's release is a recovery", async (t) => {
  const file = join(dir, 'locked.sqlite');
  copyFileSync(path, file);
  // A rollback-journal file, as an ETL job's SQLite export might be: its writer can lock readers out.
  const setup = new Database(file);
  setup.pragma('journal_mode = DELETE');
  setup.close();
  // The lock is held until the test releases it: the statement waits out its whole (generous) budget.
  const inv = openInventory({ kind: 'sqlite', path: file }, { requestTimeoutMs: 3000 });
  const writer = new Database(file);
  t.after(async () => {
    if (writer.open) writer.close();
    await inv.close();
  });
  assert.ok((await inv.all('relays')).length > 0);
  writer.exec('BEGIN EXCLUSIVE');
  writer.prepare('UPDATE gatewatch_Relay SET Online = 0').run();
  await assert.rejects(inv.all('relays'), code('TIMEOUT'));
  writer.exec('COMMIT');
  writer.close();
  const relays = await inv.all('relays');
  assert.ok(relays.length > 0 && relays.every((r) => !r.Online), 'the committed change is read after the lock is gone');
});

test('a file that is not SQLite is unreachable with the reason, not a crash', async (t) => {
  const file = join(dir, 'not-a-db.sqlite');
  writeFileSync(file, 'this is a text file, not a database'.repeat(200));
  const inv = openInventory({ kind: 'sqlite', path: file });
  t.after(() => inv.close());
  await assert.rejects(inv.ping(), (e: unknown) => code('UNREACHABLE')(e) && /not a database/.test((e as Error).message));
});

test("a worker keeps SQLite's page cache at 4 MB, not better-sqlite3's 16 MB", async (t) => {
  const driver = new SqliteDriver({ path });
  t.after(() => driver.close());
  const { rows } = await driver.query('SELECT cache_size FROM pragma_cache_size', []);
  assert.deepEqual(rows, [[-4000]]);
});

test('the workers start with their V8 flags on this Node.js, and nothing on stderr', () => {
  const started = spawnSync(process.execPath, [...WORKER_V8_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
  assert.equal(started.stderr, '');
  assert.equal(started.stdout, 'ok');
  assert.equal(started.status, 0);
});
