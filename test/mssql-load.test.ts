// `gatewatch demo --db mssql://…` without a server: the INSERT builder (chunks under SQL Server's
// 2,100-parameter limit, every value bound once, T-SQL that parses), what the loader sends and what it
// refuses, through a recording executor. With GATEWATCH_TEST_MSSQL (a throwaway database) it loads a
// live SQL Server and every dataset reads the result.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import * as parser from '@guanmingchiu/sqlparser-ts';
import mssql from 'mssql';
import {
  CREATE_DATABASE_SQL, DemoRefused, ensureDatabase, INSPECT_SQL, insertStatement, loadDemo, MAX_ROWS, refusal, rowsPerInsert, withPool,
  type ExistingObject, type Executor,
} from '../src/demo/mssql-load.js';
import { dropStatement, MARK_SQL } from '../src/demo/mssql-guard.js';
import { dropSql } from '../src/demo/ddl.js';
import { demoRows } from '../src/demo/rows.js';
import type { BoundParam } from '../src/inventory/driver.js';
import { openInventory } from '../src/inventory/index.js';
import { poolConfig, sqlTypeOf } from '../src/inventory/mssql.js';
import { parseMssqlTarget } from '../src/inventory/mssql-url.js';
import { table, TABLES } from '../src/inventory/tables.js';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const rowsOf = (computers: number) => [...demoRows({ computers, seed: 7, now: NOW })];

class RecordingExecutor implements Executor {
  readonly sent: { sql: string; params: readonly BoundParam[] }[] = [];
  constructor(private readonly existing: ExistingObject[] = [], private readonly failOn?: RegExp) {}
  async query(sql: string, params: readonly BoundParam[] = []) {
    this.sent.push({ sql, params });
    if (this.failOn?.test(sql)) throw new Error('injected failure');
    if (sql === INSPECT_SQL) return this.existing.map((o) => ({ Name: o.name, Type: o.type, DefaultSchema: o.defaultSchema ? 1 : 0, Rows: String(o.rows), Demo: o.demo ? 1 : 0 }));
    return [];
  }
  begin = async () => void this.sent.push({ sql: 'BEGIN', params: [] });
  commit = async () => void this.sent.push({ sql: 'COMMIT', params: [] });
  rollback = async () => void this.sent.push({ sql: 'ROLLBACK', params: [] });
  writes = () => this.sent.filter((s) => s.sql !== INSPECT_SQL);
}

/** A table the loader created earlier: it carries the demo's mark. */
const demoTable = (name: string, rows: number): ExistingObject => ({ name, type: 'U', defaultSchema: true, rows, demo: true });

test('rows per INSERT: as many as fit under 2,000 parameters and 1,000 rows', () => {
  for (const t of TABLES) {
    const n = rowsPerInsert(t);
    assert.ok(n * t.columns.length <= 2000 && n <= MAX_ROWS, t.name);
    assert.ok(n === MAX_ROWS || (n + 1) * t.columns.length > 2000, `${t.name}: ${n} rows is not the most that fit`);
  }
});

test('every demo row binds each column of its table once, in a statement that parses as T-SQL', async () => {
  await parser.init();
  const byTable = new Map<string, Record<string, unknown>[]>();
  for (const { table: name, row } of rowsOf(600)) {
    assert.deepEqual(Object.keys(row).sort(), table(name).columns.map((c) => c.name).sort(), `${name}: row columns`);
    byTable.set(name, [...(byTable.get(name) ?? []), row]);
  }
  assert.deepEqual([...byTable.keys()].sort(), TABLES.map((t) => t.name).sort());
  for (const t of TABLES) {
    const rows = byTable.get(t.name)!.slice(0, rowsPerInsert(t));
    const { sql, params } = insertStatement(t, rows);
    assert.ok(params.length <= 2100 && params.length === rows.length * t.columns.length, `${t.name}: ${params.length} parameters`);
    const used = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1]);
    assert.deepEqual(used, params.map((p) => p.name), `${t.name}: each parameter appears once, in order`);
    assert.equal(new Set(used).size, used.length);
    params.forEach((p, i) => {
      const c = t.columns[i % t.columns.length]!;
      assert.equal(p.value, rows[Math.floor(i / t.columns.length)]![c.name] ?? null, `${t.name}.${c.name}`);
      assert.ok(sqlTypeOf(p), `${t.name}.${c.name} has a SQL type`);
    });
    assert.ok(sql.startsWith(`INSERT INTO [${t.name}] (${t.columns.map((c) => `[${c.name}]`).join(', ')}) VALUES`));
    assert.doesNotThrow(() => parser.parse(sql, 'mssql'), t.name);
  }
  assert.throws(() => insertStatement(TABLES[0]!, []), RangeError);
  assert.throws(() => insertStatement(TABLES[0]!, byTable.get(TABLES[0]!.name)!.slice(0, rowsPerInsert(TABLES[0]!) + 1)), RangeError);
  for (const sql of [INSPECT_SQL, CREATE_DATABASE_SQL, MARK_SQL, dropStatement('vComputer').sql]) assert.doesNotThrow(() => parser.parse(sql, 'mssql'), sql);
});

test('a database with a vComputer view, or a contract name that is not a table, is refused before anything is written', async () => {
  const view = { name: 'vComputer', type: 'V', defaultSchema: false, rows: 0, demo: false };
  for (const [existing, why] of [
    [[view], /has a vComputer view: it is a real ITMS CMDB/],
    [[{ ...view, defaultSchema: true }, demoTable('gatewatch_Relay', 0)], /real ITMS CMDB/],
    [[{ name: 'gatewatch_Relay', type: 'V', defaultSchema: true, rows: 0, demo: false }], /gatewatch_Relay is not a table \(sys.objects type V\)/],
    [[{ name: 'gatewatch_Denial', type: 'SN', defaultSchema: true, rows: 0, demo: false }], /gatewatch_Denial is not a table/],
  ] as const) {
    assert.match(refusal(existing, 'Symantec_CMDB', true) ?? '', why);
    const exec = new RecordingExecutor([...existing]);
    await assert.rejects(loadDemo(exec, { computers: 10, database: 'Symantec_CMDB', replace: true }), (e: Error) => e instanceof DemoRefused && why.test(e.message));
    assert.deepEqual(exec.writes(), [], 'nothing but the inspection was sent');
  }
  assert.equal(refusal([{ ...view, type: 'U', defaultSchema: true, demo: true }], 'd', false), undefined, 'a marked vComputer table is the demo');
  assert.equal(refusal([{ name: 'gatewatch_Relay', type: 'V', defaultSchema: false, rows: 0, demo: false }], 'd', false), undefined, 'other schemas are not touched');
});

test('demo tables with data need --replace; empty ones are re-created without it', async () => {
  const filled = [demoTable('vComputer', 5150), demoTable('gatewatch_Relay', 0)];
  const exec = new RecordingExecutor(filled);
  await assert.rejects(loadDemo(exec, { computers: 10, database: 'gatewatch_demo' }), /already holds the demo tables with data \(vComputer 5,150 rows\); add --replace/);
  assert.deepEqual(exec.writes(), []);
  assert.equal(refusal([demoTable('vComputer', 0)], 'd', false), undefined);
  assert.equal(refusal(filled, 'd', true), undefined);
});

test('--if-empty keeps a loaded demo untouched and loads an empty database', async () => {
  const kept = new RecordingExecutor([demoTable('vComputer', 5150)]);
  assert.equal(await loadDemo(kept, { computers: 10, database: 'gatewatch_demo', ifEmpty: true }), undefined);
  assert.deepEqual(kept.writes(), [], 'nothing dropped, nothing written');
  const empty = new RecordingExecutor([demoTable('vComputer', 0)]);
  assert.ok((await loadDemo(empty, { computers: 10, database: 'gatewatch_demo', ifEmpty: true }))!.vComputer! > 0);
});

test('system databases are refused, whatever the flags', async () => {
  for (const db of ['master', 'MSDB', 'model', 'tempdb']) {
    assert.match(refusal([], db, true) ?? '', /is a SQL Server system database/);
    const exec = new RecordingExecutor([]);
    await assert.rejects(loadDemo(exec, { computers: 10, database: db, replace: true }), DemoRefused);
    assert.deepEqual(exec.writes(), []);
  }
});

test('the load: drop, create, INSERTs in transactions, then indexes; every row written once', async () => {
  const exec = new RecordingExecutor([demoTable('vComputer', 5150)]);
  const counts = await loadDemo(exec, { computers: 12_000, seed: 7, now: NOW, database: 'gatewatch_demo', replace: true });
  const expected: Record<string, number> = {};
  for (const { table: name } of rowsOf(12_000)) expected[name] = (expected[name] ?? 0) + 1;
  assert.deepEqual(counts, expected);
  const kinds = exec.writes().map((s) => (s.sql === MARK_SQL ? 'MARK' : /^(IF EXISTS|CREATE TABLE|CREATE INDEX|INSERT|BEGIN|COMMIT)/.exec(s.sql)?.[1]));
  const statements = kinds.filter((k) => k !== 'BEGIN' && k !== 'COMMIT' && k !== 'MARK');
  const order = statements.filter((k, i) => k !== statements[i - 1]);
  assert.deepEqual(order, ['IF EXISTS', 'CREATE TABLE', 'INSERT', 'CREATE INDEX']);
  assert.equal(kinds.filter((k) => k === 'IF EXISTS').length, 1, 'only the one marked table found is dropped');
  assert.ok(kinds.filter((k) => k === 'COMMIT').length > 1, 'a large load commits in several transactions');
  assert.equal(kinds.filter((k) => k === 'BEGIN').length, kinds.filter((k) => k === 'COMMIT').length);
  let inserted = 0;
  for (const s of exec.sent.filter((x) => x.sql.startsWith('INSERT'))) {
    assert.ok(s.params.length <= 2100);
    const name = /^INSERT INTO \[([^\]]+)\]/.exec(s.sql)![1]!;
    inserted += s.params.length / table(name).columns.length;
  }
  assert.equal(inserted, Object.values(expected).reduce((a, b) => a + b));
});

test('a failed INSERT rolls the open transaction back and fails the load', async () => {
  const exec = new RecordingExecutor([], /^INSERT INTO \[gatewatch_Relay\]/);
  await assert.rejects(loadDemo(exec, { computers: 50, database: 'd' }), /injected failure/);
  assert.equal(exec.sent.at(-1)?.sql, 'ROLLBACK');
});

test('gatewatch demo --db mssql://… that cannot connect says so in one line, without the password', () => {
  const cli = new URL('../src/cli.ts', import.meta.url).pathname;
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'demo', '--db', 'mssql://sa:Sup3rSecret@127.0.0.1:1/gatewatch_demo?connectTimeout=2000', '--computers', '10'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /^gatewatch: cannot reach SQL Server 127\.0\.0\.1:1 \(database gatewatch_demo\)/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.doesNotMatch(r.stderr + r.stdout, /Sup3rSecret/);
  const both = spawnSync(process.execPath, ['--import', 'tsx', cli, 'demo', '--replace'], { encoding: 'utf8' });
  assert.match(both.stderr, /^gatewatch: --replace, --if-empty and --create-database apply to --db mssql:\/\/… only/);
});

const url = process.env.GATEWATCH_TEST_MSSQL;
const skip = url ? false : 'set GATEWATCH_TEST_MSSQL=mssql://... (a throwaway database) to run against a live SQL Server';

test('live: load, refuse a second load without --replace, every dataset reads it; a vComputer view is refused', { skip }, async () => {
  const settings = parseMssqlTarget(url!);
  await ensureDatabase(settings); // exists already: a no-op that still runs the statement
  // Tables another test made here lack the demo's mark: the loader would rightly refuse them.
  await withPool(settings, async (exec) => {
    for (const sql of dropSql()) await exec.query(sql);
    await exec.query('CREATE TABLE [Inv_AeX_AC_Network_Zone] ([X] INT NULL)');
  });
  const opts = { computers: 300, seed: 7, now: NOW, database: settings.database };
  await assert.rejects(withPool(settings, (exec) => loadDemo(exec, { ...opts, replace: true })), /holds the ITMS table Inv_AeX_AC_Network_Zone \(empty\)/);
  await withPool(settings, async (exec) => {
    assert.equal((await exec.query("SELECT COUNT(*) AS [n] FROM sys.tables WHERE [name] = N'Inv_AeX_AC_Network_Zone'"))[0]?.n, 1, 'not dropped');
    await exec.query('DROP TABLE [Inv_AeX_AC_Network_Zone]');
  });
  const counts = (await withPool(settings, (exec) => loadDemo(exec, { ...opts, replace: true })))!;
  await withPool(settings, async (exec) => {
    for (const [name, n] of Object.entries(counts)) {
      const [row] = await exec.query(`SELECT COUNT(*) AS [n] FROM [${name}]`);
      assert.equal(row?.n, n, name);
    }
  });
  await assert.rejects(withPool(settings, (exec) => loadDemo(exec, opts)), /add --replace/);
  const inv = openInventory({ kind: 'mssql', settings });
  try {
    assert.deepEqual((await inv.check()).filter((s) => !s.available), []);
    assert.equal(await inv.count('computers'), counts.vComputer);
  } finally {
    await inv.close();
  }
  const admin = await new mssql.ConnectionPool(poolConfig(settings)).connect();
  try {
    await admin.request().batch('DROP TABLE IF EXISTS [vComputer]');
    await admin.request().batch('CREATE VIEW [vComputer] AS SELECT 1 AS [Guid]');
    await assert.rejects(withPool(settings, (exec) => loadDemo(exec, { ...opts, replace: true })), /real ITMS CMDB/);
    assert.equal((await admin.request().query("SELECT COUNT(*) AS n FROM sys.views WHERE name = 'vComputer'")).recordset[0].n, 1, 'the view is still there');
  } finally {
    await admin.request().batch('DROP VIEW IF EXISTS [vComputer]');
    await admin.close();
  }
});
