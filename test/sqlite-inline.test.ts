// Which SQLite statements run on the server's own thread: those whose plan proves them cheap (index
// seeks; an unfiltered page's LIMITed index walk; a reference list). Everything else, and anything
// that fails there, still goes to a worker process, where it can be stopped and a lock waited for.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { buildDemoInventory } from '../src/demo/generate.js';
import { InventoryError } from '../src/inventory/errors.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { livenessCutoffs } from '../src/inventory/liveness.js';
import { SqliteDriver } from '../src/inventory/sqlite.js';
import { planIsBounded, type PlanLine } from '../src/inventory/sqlite-inline.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-inline-'));
const path = join(dir, 'demo.sqlite');
before(() => buildDemoInventory(path, { computers: 300, seed: 4 }));
after(() => rmSync(dir, { recursive: true, force: true }));

const plan = (...lines: [number, number, string][]): PlanLine[] => lines.map(([id, parent, detail]) => ({ id, parent, detail }));

test('a plan is bounded by its seeks, by the LIMIT of an unfiltered page, or by a small table', () => {
  const seeks = plan([2, 0, 'SEARCH gw USING PRIMARY KEY (_ResourceGuid=?)'], [9, 0, 'SEARCH au USING PRIMARY KEY (_ResourceGuid=?) LEFT-JOIN']);
  assert.equal(planIsBounded(seeks), true, 'equality seeks');
  const prefixed = plan([2, 0, 'SEARCH vc USING INDEX IX_vComputer_1 (Name=?)'], [5, 0, 'CORRELATED SCALAR SUBQUERY 3'], [9, 5, 'SEARCH g2 USING PRIMARY KEY (_ResourceGuid=? AND Gateway<?)']);
  assert.equal(planIsBounded(prefixed), true, 'a range after an equality stays within one key');
  const walk = plan([10, 0, 'SCAN vc USING INDEX IX_vComputer_1'], [22, 0, 'CORRELATED SCALAR SUBQUERY 1'], [27, 22, 'SEARCH r USING COVERING INDEX IX_R (ResourceGuid=?)']);
  assert.equal(planIsBounded(walk), false, 'a scan with nothing said about it');
  assert.equal(planIsBounded(walk, 'limit'), true, "an unfiltered page's index walk");
  const after = plan([10, 0, 'SEARCH vc USING INDEX IX_vComputer_1 (Name>?)'], [20, 0, 'SEARCH nz USING PRIMARY KEY (_ResourceGuid=?) LEFT-JOIN']);
  assert.equal(planIsBounded(after), false, 'a range from the first index column reads to the end');
  assert.equal(planIsBounded(after, 'limit'), true, 'the next page walks from the cursor');
  const inner = plan([10, 0, 'SCAN vc USING INDEX IX_vComputer_1'], [22, 0, 'CORRELATED SCALAR SUBQUERY 1'], [27, 22, 'SCAN r']);
  assert.equal(planIsBounded(inner, 'limit'), false, 'a scan per row is not stopped by the LIMIT');
  const second = plan([10, 0, 'SCAN vc USING INDEX IX_vComputer_1'], [20, 0, 'SCAN g LEFT-JOIN']);
  assert.equal(planIsBounded(second, 'limit'), false, 'only the walk that feeds the LIMIT');
  const sorted = plan([3, 0, 'SCAN g'], [20, 0, 'USE TEMP B-TREE FOR ORDER BY']);
  assert.equal(planIsBounded(sorted, 'limit'), false, 'a sort reads everything before the first row');
  assert.equal(planIsBounded(plan([3, 0, 'SCAN g'], [9, 0, 'SCAN c LEFT-JOIN']), 'small'), true, 'reference lists');
  for (const detail of ['CO-ROUTINE q', 'MATERIALIZE q', 'USE TEMP B-TREE FOR GROUP BY', 'SEARCH x USING AUTOMATIC COVERING INDEX (a=?)', 'BLOOM FILTER ON g (Name=?)']) {
    assert.equal(planIsBounded(plan([2, 0, detail]), 'small'), false, detail);
  }
});

function demoDriver() {
  const driver = new SqliteDriver({ path, timeoutMs: 600_000 });
  return { driver, inventory: new SqlInventory(driver) };
}
const counts = (d: SqliteDriver) => ({ inline: d.inline!.executed, light: d.lanes.light.executed, heavy: d.lanes.heavy.executed });
const cutoffs = livenessCutoffs(new Date());

test('pages without a filter, keyed look-ups and reference lists run on the calling thread; no worker starts', async (t) => {
  const { driver, inventory } = demoDriver();
  t.after(() => inventory.close());
  const first = await inventory.page('computers', { managed: true, ...cutoffs }, { order: 'NAME', direction: 'ASC', first: 5 });
  const last = first.rows.at(-1)!;
  const next = await inventory.page('computers', { managed: true, ...cutoffs }, { order: 'NAME', direction: 'ASC', first: 5, after: [last.Name, last.Guid] });
  const byGuid = await inventory.byKeys('computers', 'Guid', first.rows.map((r) => r.Guid), cutoffs);
  const assignments = await inventory.byKeys('gateway_assignments', 'ResourceGuid', first.rows.map((r) => r.Guid));
  const gateways = await inventory.all('gateways');
  assert.equal(next.rows.length, 5);
  assert.notEqual(next.rows[0]!.Guid, first.rows[0]!.Guid);
  assert.equal(byGuid.length, 5);
  assert.ok(assignments.length > 0 && gateways.length > 0);
  assert.deepEqual(counts(driver), { inline: 5, light: 0, heavy: 0 });
  assert.equal(driver.lanes.light.workers + driver.lanes.heavy.workers, 0, 'no worker process was started');
});

test('a filtered page and an aggregate go to the workers, and answer the same as they always did', async (t) => {
  const { driver, inventory } = demoDriver();
  t.after(() => inventory.close());
  const lan = await inventory.page('computers', { managed: true, isOnInternet: false, ...cutoffs }, { order: 'NAME', direction: 'ASC', first: 5 });
  const unmanaged = await inventory.page('computers', { managed: false, ...cutoffs }, { order: 'NAME', direction: 'ASC', first: 5 });
  const summary = await inventory.all('cem_summary');
  assert.ok(lan.rows.length > 0 && lan.rows.every((r) => !r.IsOnInternet));
  assert.ok(unmanaged.rows.every((r) => !r.IsManaged), 'managed: false is a filter: only managed: true is declared broad');
  assert.equal(summary.length, 1);
  assert.deepEqual(counts(driver), { inline: 0, light: 2, heavy: 1 });
});

test('the same rows inline as from a worker', async (t) => {
  const { driver, inventory } = demoDriver();
  const workers = new SqlInventory(new SqliteDriver({ path, timeoutMs: 600_000, inline: false }));
  t.after(() => Promise.all([inventory.close(), workers.close()]));
  const read = (inv: SqlInventory) => inv.page('computers', { managed: true, ...cutoffs }, { order: 'NAME', direction: 'DESC', first: 40 });
  assert.deepEqual(await read(inventory), await read(workers));
  assert.deepEqual(await inventory.all('relays'), await workers.all('relays'));
  assert.equal(driver.inline!.executed, 2);
});

test('a writer holding a rollback-journal file locked: the page is not waited for on the server thread, a worker waits within its timeout', async (t) => {
  const file = join(dir, 'locked.sqlite');
  await buildDemoInventory(file, { computers: 50, seed: 5 });
  const writer = new Database(file);
  writer.pragma('journal_mode = DELETE');
  const driver = new SqliteDriver({ path: file, timeoutMs: 400, workers: 1 });
  const inventory = new SqlInventory(driver);
  t.after(async () => {
    if (writer.inTransaction) writer.exec('ROLLBACK');
    writer.close();
    await inventory.close();
  });
  const page = () => inventory.page('computers', { managed: true, ...cutoffs }, { order: 'NAME', direction: 'ASC', first: 5 });
  assert.equal((await page()).rows.length, 5);
  writer.exec('BEGIN EXCLUSIVE');
  writer.prepare('UPDATE gatewatch_Relay SET Online = Online').run();
  await assert.rejects(page(), (e) => e instanceof InventoryError && e.code === 'TIMEOUT' && /locked by a writer/.test(e.message));
  assert.deepEqual(counts(driver), { inline: 1, light: 1, heavy: 0 }, 'the locked read went to the worker');
  writer.exec('COMMIT');
  assert.equal((await page()).rows.length, 5);
  assert.equal(driver.inline!.executed, 2, 'back on the server thread once the lock is gone');
});
