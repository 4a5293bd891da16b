// Every dataset through the real driver against a live SQL Server, when GATEWATCH_TEST_MSSQL names one
// (e.g. mssql://sa:Passw0rd!@localhost:1433/gatewatch_test?trustServerCertificate=true). The database
// must be a throwaway one: the contract tables are dropped and created again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mssql from 'mssql';
import { dropSql, schemaSql } from '../src/demo/ddl.js';
import { DATASET_NAMES, DATASETS, type DatasetDef, type ParamType } from '../src/inventory/datasets.js';
import { InventoryError } from '../src/inventory/errors.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { MssqlDriver, poolConfig, sqlTypeOf } from '../src/inventory/mssql.js';
import type { MssqlSettings } from '../src/inventory/mssql-settings.js';
import { parseMssqlTarget } from '../src/inventory/mssql-url.js';
import { containsPattern } from '../src/inventory/sql-wrap.js';
import { TABLES, type Column, type ColumnType } from '../src/inventory/tables.js';

const url = process.env.GATEWATCH_TEST_MSSQL;
const skip = url ? false : 'set GATEWATCH_TEST_MSSQL=mssql://... (a throwaway database) to run against a live SQL Server';
const ROWS = 3;
const GUIDS = ['0A1B2C3D-0000-4000-8000-000000000001', '0A1B2C3D-0000-4000-8000-000000000002', '0A1B2C3D-0000-4000-8000-000000000003'];
const PARAM_TYPE: Record<ColumnType, ParamType> = { guid: 'guid', string: 'string', text: 'string', int: 'int', bigint: 'int', bool: 'bool', datetime: 'datetime' };

/** Row i of any contract table: the same GUIDs everywhere, so the joins find each other. */
function value(c: Column, i: number): string | number | boolean | Date {
  switch (c.type) {
    case 'guid':
      return GUIDS[i]!;
    case 'bool':
      return i % 2 === 0;
    case 'int':
    case 'bigint':
      return c.name === 'CacheFreeBytes' ? 5_000_000_000 + i : i + 1;
    case 'datetime':
      return new Date(Date.UTC(2026, 10, 25, 10, i, 0, 123));
    default:
      return `${c.name}-${i}`;
  }
}

let settings: MssqlSettings;
let admin: mssql.ConnectionPool;
let inv: SqlInventory;

before(async () => {
  if (!url) return;
  settings = parseMssqlTarget(url);
  admin = await new mssql.ConnectionPool(poolConfig(settings)).connect();
  const cmdb = await admin.request().query("SELECT COUNT(*) AS n FROM sys.views WHERE name = 'vComputer'");
  assert.equal(cmdb.recordset[0].n, 0, 'this database has a vComputer view: a real CMDB, not a throwaway test database');
  for (const sql of [...dropSql(), ...schemaSql('mssql')]) await admin.request().batch(sql);
  for (const t of TABLES) {
    const names = t.columns.map((c) => `[${c.name}]`).join(', ');
    const params = t.columns.map((_, j) => `@p${j}`).join(', ');
    for (let i = 0; i < ROWS; i++) {
      const req = admin.request();
      t.columns.forEach((c, j) => {
        const v = c.nullable && i === ROWS - 1 ? null : value(c, i);
        req.input(`p${j}`, sqlTypeOf({ name: `p${j}`, type: PARAM_TYPE[c.type], value: v }), v);
      });
      await req.query(`INSERT INTO [${t.name}] (${names}) VALUES (${params})`);
    }
  }
  inv = new SqlInventory(new MssqlDriver(settings));
});

after(async () => {
  await inv?.close();
  await admin?.close();
});

test('every dataset is available with its contract columns', { skip }, async () => {
  assert.deepEqual(
    (await inv.check()).filter((s) => !s.available),
    [],
  );
});

test('all, count, page and byKeys agree for every dataset', { skip }, async () => {
  for (const name of DATASET_NAMES) {
    const def: DatasetDef = DATASETS[name];
    const all = (await inv.all(name)) as Record<string, unknown>[];
    assert.equal(await inv.count(name), all.length, name);
    for (const [order, cols] of Object.entries(def.orders ?? {})) {
      const seen: unknown[] = [];
      let after: (string | number | Date)[] | undefined;
      for (let hasNext = true; hasNext; ) {
        const page = await inv.page(name as 'computers', {}, { order: order as 'NAME', direction: 'ASC', first: 2, after });
        assert.ok(page.rows.length <= 2);
        seen.push(...page.rows);
        const last = page.rows.at(-1) as Record<string, unknown> | undefined;
        after = last && cols.map((c) => last[c] as string | number | Date);
        hasNext = page.hasNextPage;
      }
      assert.equal(seen.length, all.length, `${name} ${order}: paging visits every row once`);
    }
    for (const key of def.keys ?? []) {
      const values = [...new Set(all.map((r) => String(r[key])))];
      const found = await inv.byKeys(name as 'computers', key as 'Name', values);
      assert.equal(found.length, all.length, `${name} by ${key}`);
    }
  }
});

test('values come back typed, filters bind typed parameters', { skip }, async () => {
  const computers = await inv.all('computers');
  assert.equal(computers.length, ROWS);
  assert.deepEqual(computers.map((c) => c.Guid).sort(), GUIDS);
  assert.ok(computers.some((c) => c.LastSuccess instanceof Date));
  assert.equal((await inv.all('computers', { managed: true })).length, 2);
  assert.deepEqual((await inv.all('computers', { namePattern: containsPattern('Name-1') })).map((c) => c.Name), ['Name-1']);
  const relays = await inv.all('relays');
  assert.deepEqual(relays.map((r) => r.CacheFreeBytes).sort(), [5_000_000_000, 5_000_000_001, 5_000_000_002]);
  const since = new Date(Date.UTC(2026, 10, 25, 10, 1, 0, 123));
  assert.equal((await inv.all('access_requests', { since })).length, 2);
  const newest = await inv.page('access_requests', {}, { order: 'NEWEST', direction: 'DESC', first: 1 });
  assert.deepEqual([newest.rows[0]?.Id, newest.hasNextPage], [3, true]);
});

test('missing table, statement timeout', { skip }, async () => {
  await admin.request().batch('DROP TABLE IF EXISTS [gatewatch_Relay]');
  await assert.rejects(inv.all('relays'), (e: InventoryError) => e.code === 'DATASET_UNAVAILABLE' && /gatewatch_Relay/.test(e.message));
  const slow = new MssqlDriver({ ...settings, requestTimeoutMs: 500 });
  try {
    const err = await slow.query("WAITFOR DELAY '00:00:03'; SELECT 1 AS [x]", []).catch((e: unknown) => e);
    assert.deepEqual(slow.classify(err), { code: 'TIMEOUT', message: 'statement exceeded the 500 ms request timeout' });
  } finally {
    await slow.close();
  }
});
