// Which SQLite statements run on the server's own thread: those whose plan proves them cheap (index
// seeks; an unfiltered page's LIMITed index walk; a reference list). Everything else, and anything
// that fails there, still goes to a worker process, where it can be stopped and a lock waited for.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { writeSlowQueries } from './helpers/slow.js';
import { buildDemoInventory } from '../src/demo/generate.js';
import { loadInventorySettings } from '../src/config.js';
import { InventoryError } from '../src/inventory/errors.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { livenessCutoffs } from '../src/inventory/liveness.js';
import { SqliteDriver } from '../src/inventory/sqlite.js';
import { InlineReader, planIsBounded, type PlanLine } from '../src/inventory/sqlite-inline.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-inline-'));
const path = join(dir, 'demo.sqlite');
before(() => buildDemoInventory(path, { computers: 300, seed: 4 }));
after(() => rmSync(dir, { recursive: true, force: true }));

const plan = (...lines: [number, number, string][]): PlanLine[] => lines.map(([id, parent, detail]) => ({ id, parent, detail }));

// Plan lines as SQLite 3.51 (better-sqlite3 12) spells them.
test('a plan is bounded by its seeks, by the LIMIT of an unfiltered page, or by a small table', () => {
  const seeks = plan([2, 0, 'SEARCH gw USING PRIMARY KEY (_ResourceGuid=?)'], [9, 0, 'SEARCH au USING PRIMARY KEY (_ResourceGuid=?) LEFT-JOIN']);
  assert.equal(planIsBounded(seeks), true, 'equality seeks');
  const prefixed = plan([2, 0, 'SEARCH vc USING INDEX IX_vComputer_1 (Name=?)'], [5, 0, 'CORRELATED SCALAR SUBQUERY 3'], [9, 5, 'SEARCH g2 USING PRIMARY KEY (_ResourceGuid=? AND Gateway<?)']);
  assert.equal(planIsBounded(prefixed), true, 'a range after an equality stays within one key');
  assert.equal(planIsBounded(plan([1, 0, 'SCAN CONSTANT ROW'])), true, 'SELECT 1');
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
  const skip = plan([3, 0, 'SEARCH vc USING INDEX IX_vComputer_2 (ANY(IsManaged) AND Name=?)']);
  assert.equal(planIsBounded(skip), false, 'a skip-scan walks every value of the skipped column');
  assert.equal(planIsBounded(plan([3, 0, 'SCAN g'], [9, 0, 'SCAN c LEFT-JOIN']), 'small'), true, 'reference lists');
  const refused: [number, number, string][][] = [
    [[3, 0, 'SCAN g'], [20, 0, 'USE TEMP B-TREE FOR ORDER BY']],
    [[2, 0, 'CO-ROUTINE q'], [10, 2, 'SEARCH vc USING COVERING INDEX IX_vComputer_3 (IsManaged=?)'], [26, 2, 'USE TEMP B-TREE FOR GROUP BY'], [86, 0, 'SCAN q']],
    [[2, 0, 'MATERIALIZE q'], [9, 2, 'SCAN g'], [20, 0, 'SCAN q']],
    [[3, 0, 'SEARCH x USING AUTOMATIC COVERING INDEX (a=?)']],
    [[3, 0, 'SEARCH vComputer USING INDEX sqlite_autoindex_vComputer_1 (Guid=?)'], [7, 0, 'LIST SUBQUERY 1'], [10, 7, 'SEARCH d USING COVERING INDEX IX_d (Gateway=?)'], [18, 7, 'CREATE BLOOM FILTER']],
    [[4, 0, 'MULTI-INDEX OR'], [5, 4, 'INDEX 1'], [11, 5, 'SEARCH vComputer USING INDEX sqlite_autoindex_vComputer_1 (Guid=?)']],
    [[8, 0, 'SCAN g'], [10, 0, 'SEARCH r USING PRIMARY KEY (Name=?)'], [42, 0, 'RIGHT-JOIN gatewatch_Relay'], [46, 42, 'SCAN r']],
    [[7, 0, 'SCAN 2-ROW VALUES CLAUSE']],
  ];
  for (const lines of refused) assert.equal(planIsBounded(plan(...lines), 'small'), false, lines.map((l) => l[2]).join(' / '));
  assert.equal(planIsBounded(plan(...refused[1]!), 'empty'), true, 'a zero-row probe reads nothing, whatever its plan');
});

// Counting tests give the server thread a budget no pause on a loaded machine reaches: which thread
// a statement runs on then depends on its plan alone. The budget's own tests use the default.
const NO_BUDGET = 600_000;

test('on unless turned off: --no-sqlite-inline or GATEWATCH_SQLITE_INLINE=false', async () => {
  for (const [options, on] of [[{}, true], [{ inline: false }, false]] as const) {
    const driver = new SqliteDriver({ path, ...options });
    assert.equal(driver.inline !== undefined, on);
    await driver.close();
  }
  assert.equal(loadInventorySettings({}, {}).sqliteInline, undefined);
  assert.equal(loadInventorySettings({ 'sqlite-inline': false }, {}).sqliteInline, false);
  assert.equal(loadInventorySettings({}, { GATEWATCH_SQLITE_INLINE: 'false' }).sqliteInline, false);
});

function demoDriver() {
  const driver = new SqliteDriver({ path, timeoutMs: 600_000, inline: true, inlineBudgetMs: NO_BUDGET });
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

test("the datasets' zero-row probes run on the calling thread, even the slowest aggregate's", async (t) => {
  const slowQueries = writeSlowQueries(join(dir, 'slow-queries'));
  const driver = new SqliteDriver({ path, timeoutMs: 600_000, inline: true, inlineBudgetMs: NO_BUDGET });
  const inventory = new SqlInventory(driver, slowQueries);
  t.after(() => inventory.close());
  const statuses = await inventory.check();
  assert.ok(statuses.every((s) => s.available), JSON.stringify(statuses.filter((s) => !s.available)));
  assert.deepEqual(counts(driver), { inline: statuses.length, light: 0, heavy: 0 });
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
  // Forking the worker is not the statement's time, nor a queue wait: only the lock is waited out.
  const driver = new SqliteDriver({ path: file, timeoutMs: 400, queueTimeoutMs: 600_000, workers: 1, inline: true, inlineBudgetMs: NO_BUDGET });
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

/** A demo file with 100,000 more (unmanaged) computers under one name, which sorts first or last. */
async function crowded(name: string, seed: number, first: boolean, rows = 100_000): Promise<string> {
  const file = join(dir, `${name}.sqlite`);
  await buildDemoInventory(file, { computers: 50, seed });
  const w = new Database(file);
  w.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @rows)
    INSERT INTO vComputer ([Guid], [Name], [IsManaged]) SELECT printf(@guid, i), @name, 0 FROM n`).run({
    rows,
    guid: first ? '00000000-0000-4000-8000-%012d' : 'ffffffff-0000-4000-8000-%012d',
    name: first ? 'AAA-DUP-HOST' : 'ZZZ-DUP-HOST',
  });
  w.close();
  return file;
}

// Reading 100,000 rows takes far longer than the 10 ms budget on any machine: no race with the clock.
test('a seek that matches too many rows is given up for a worker; after three times, its text goes to a worker at once', async (t) => {
  const file = await crowded('crowded-seek', 6, false);
  const look = new Database(file, { readonly: true });
  const managed = look.prepare('SELECT [Name] FROM vComputer WHERE IsManaged = 1 LIMIT 1').pluck().get() as string;
  look.close();
  const driver = new SqliteDriver({ path: file, timeoutMs: 600_000, inline: true });
  const inventory = new SqlInventory(driver);
  t.after(() => inventory.close());
  for (let i = 1; i <= 4; i++) {
    assert.equal((await inventory.byKeys('computers', 'Name', ['ZZZ-DUP-HOST'], cutoffs)).length, 100_000, 'every row, from the worker');
    assert.equal(driver.lanes.light.executed, i, `read ${i}`);
  }
  // Three strikes, or fewer if a pause on a loaded machine made one step alone ten budgets (100 ms) long.
  const abandoned = driver.inline!.abandoned;
  assert.ok(abandoned >= 1 && abandoned <= 3, `given up ${abandoned} times`);
  assert.equal((await inventory.byKeys('computers', 'Name', [managed], cutoffs)).length, 1);
  assert.deepEqual([driver.inline!.executed, driver.inline!.abandoned, driver.lanes.light.executed], [0, abandoned, 5], 'the same text for another name is a worker’s for now');
});

// A budget of 1 ms: one step of ten budgets (10 ms) benches a text at once, and walking 300,000 rows
// takes several times that on any machine (~90 ms here).
test('a page whose walk passes a block of filtered-out rows before its first row goes to a worker at once', async (t) => {
  const file = await crowded('crowded-walk', 8, true, 300_000);
  const driver = new SqliteDriver({ path: file, timeoutMs: 600_000, inline: true, inlineBudgetMs: 1 });
  const inventory = new SqlInventory(driver);
  t.after(() => inventory.close());
  // managed: true is declared broad, but here the first 100,000 names are unmanaged.
  const page = () => inventory.page('computers', { managed: true, ...cutoffs }, { order: 'NAME', direction: 'ASC', first: 5 });
  assert.equal((await page()).rows.length, 5);
  assert.deepEqual([driver.inline!.abandoned, driver.lanes.light.executed], [1, 1], 'one long step: benched at once, answered by the worker');
  assert.equal((await page()).rows.length, 5);
  assert.deepEqual([driver.inline!.abandoned, driver.lanes.light.executed], [1, 2], 'not tried on the server thread again');
});

test('a step stretched past the budget by a pause is one strike; ten budgets long, it benches its text at once', () => {
  const look = new Database(path, { readonly: true });
  const guid = look.prepare('SELECT [Guid] FROM vComputer LIMIT 1').pluck().get() as string;
  look.close();
  const sql = 'SELECT [Name] FROM vComputer WHERE [Guid] = @guid';
  // A scripted clock: every reading is `step` ms after the one before, so each row "took" `step`.
  let step = 0;
  let t = 0;
  const reader = new InlineReader(path, 10, () => (t += step));
  try {
    step = 0;
    assert.ok(reader.run(sql, { guid }), 'a seek within the budget runs here');
    step = 20;
    for (let i = 1; i <= 3; i++) assert.equal(reader.run(sql, { guid }), undefined, `a 20 ms step: given up (${i})`);
    assert.equal(reader.abandoned, 3, 'each read, not benched before the third strike');
    step = 0;
    assert.equal(reader.run(sql, { guid }), undefined, 'three strikes: benched, not read here');
    assert.equal(reader.abandoned, 3);

    const other = `${sql} AND [IsManaged] IN (0, 1)`;
    step = 150;
    assert.equal(reader.run(other, { guid }), undefined, 'a 150 ms step: given up');
    step = 0;
    assert.equal(reader.run(other, { guid }), undefined, 'and benched at once');
    assert.equal(reader.abandoned, 4);
    // More texts than the file keeps prepared statements for (200): the bench is still remembered.
    for (let i = 0; i < 300; i++) assert.ok(reader.run(`SELECT [Name] AS [n${i}] FROM vComputer WHERE [Guid] = @guid`, { guid }));
    assert.equal(reader.run(other, { guid }), undefined, 'still benched');
    assert.equal(reader.executed, 301);
  } finally {
    reader.close();
  }
});

test('a dropped index is noticed: the statement that used it is judged again and goes to a worker', async (t) => {
  const file = join(dir, 'reindexed.sqlite');
  await buildDemoInventory(file, { computers: 50, seed: 7 });
  const driver = new SqliteDriver({ path: file, timeoutMs: 600_000, inline: true, inlineBudgetMs: NO_BUDGET });
  const inventory = new SqlInventory(driver);
  t.after(() => inventory.close());
  const [one] = (await inventory.page('computers', { managed: true, ...cutoffs }, { order: 'NAME', direction: 'ASC', first: 1 })).rows;
  const byName = () => inventory.byKeys('computers', 'Name', [one!.Name], cutoffs);
  assert.equal((await byName()).length, 1);
  assert.deepEqual(counts(driver), { inline: 2, light: 0, heavy: 0 });
  const w = new Database(file);
  w.exec('DROP INDEX IX_vComputer_1; DROP INDEX IX_vComputer_2');
  w.close();
  assert.equal((await byName()).length, 1);
  assert.deepEqual(counts(driver), { inline: 2, light: 1, heavy: 0 }, 'a scan of every computer is not run inline');
});
