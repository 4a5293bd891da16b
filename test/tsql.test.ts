// Every statement gatewatch sends to SQL Server, checked without a server: each @name it uses is bound,
// nothing SQLite- or ANSI-only slipped in, and it parses as T-SQL with sqlparser-rs's MsSql dialect
// (a dev dependency), which reads TOP (@p), [IP Address] and LIKE ... ESCAPE '\'.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DATASET_NAMES, DATASETS, type DatasetDef } from '../src/inventory/datasets.js';
import type { BoundParam, Driver, QueryResult } from '../src/inventory/driver.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { dropSql, schemaSql } from '../src/demo/ddl.js';
import { dropStatement, INSPECT_SQL, MARK_SQL } from '../src/demo/mssql-guard.js';
import { TABLES } from '../src/inventory/tables.js';

import * as parser from '@guanmingchiu/sqlparser-ts';

class RecordingDriver implements Driver {
  readonly dialect = 'mssql' as const;
  readonly description = 'recording';
  readonly sent: { label: string; sql: string; params: readonly BoundParam[] }[] = [];
  label = '';
  async query(sql: string, params: readonly BoundParam[]): Promise<QueryResult> {
    this.sent.push({ label: this.label, sql, params });
    return { rows: [], columns: [] };
  }
  classify = () => ({ code: 'QUERY_FAILED' as const, message: 'recording' });
  async close() {}
}

/** Every statement shape: all, count, probe, ping, pages both ways with cursors, batch look-ups. */
async function statements() {
  const driver = new RecordingDriver();
  const inv = new SqlInventory(driver);
  const step = async (label: string, run: () => Promise<unknown>) => {
    driver.label = label;
    await run();
  };
  await step('check', () => inv.check());
  await step('ping', () => inv.ping());
  for (const name of DATASET_NAMES) {
    const def: DatasetDef = DATASETS[name];
    await step(`${name} all`, () => inv.all(name));
    await step(`${name} count`, () => inv.count(name));
    for (const order of Object.keys(def.orders ?? {})) {
      const cursor = inv.orderColumns(name as 'computers', order as 'NAME').map((c) => (c.kind === 'datetime' ? new Date() : c.kind === 'int' ? 1 : 'x'));
      const o = order as 'NAME';
      await step(`${name} page ${order}`, () => inv.page(name as 'computers', {}, { order: o, direction: 'DESC', first: 5, after: cursor, before: cursor }));
      await step(`${name} last ${order}`, () => inv.page(name as 'computers', {}, { order: o, direction: 'ASC', last: 5, before: cursor }));
      // A page of only the columns a request's fields read (src/graphql/projection.ts).
      const some = Object.keys(def.columns).slice(-2);
      await step(`${name} projected page ${order}`, () => inv.page(name as 'computers', {}, { order: o, direction: 'ASC', first: 5, after: cursor, columns: some }));
    }
    for (const key of def.keys ?? []) await step(`${name} byKeys ${key}`, () => inv.byKeys(name as 'computers', key as 'Name', ['a', 'b', 'c']));
  }
  return driver.sent;
}

/** The SQL with comments, string literals and [bracketed names] blanked, so only code is searched. */
const code = (sql: string) =>
  sql.replace(/--[^\n]*/g, '').replace(/'(?:[^']|'')*'/g, "''").replace(/\[[^\]]*\]/g, '[]');

test('every statement binds each @parameter it names and uses only T-SQL forms', async () => {
  const sent = await statements();
  assert.ok(sent.length > 40, `${sent.length} statements`);
  for (const { label, sql, params } of sent) {
    const body = code(sql);
    const bound = new Set(params.map((p) => p.name));
    for (const [, name] of body.matchAll(/@(\w+)/g)) assert.ok(bound.has(name!), `${label}: @${name} is not bound`);
    assert.ok(params.length <= 2100, `${label}: ${params.length} parameters`);
    assert.doesNotMatch(body, /\bLIMIT\b|\bOFFSET\b(?![\s\S]*\bFETCH\b)/i, `${label}: LIMIT/OFFSET is not T-SQL`);
    assert.doesNotMatch(body, /\b(TRUE|FALSE|ILIKE|NULLS\s+(FIRST|LAST))\b|\|\||`|"/i, `${label}: not T-SQL`);
    assert.doesNotMatch(body, /\)\s*(<|>|<=|>=|=)\s*\(\s*@/, `${label}: SQL Server has no row-value comparison`);
    for (const m of body.matchAll(/\bFROM\s*\([\s\S]*?\n\)\s*(\w*)/g)) assert.equal(m[1], 'AS', `${label}: a derived table needs an alias`);
  }
});

test('every statement parses as T-SQL', async () => {
  await parser.init();
  assert.throws(() => parser.parse('SELECT TOP (@n) * FROM (SELECT 1 AS [a]) AS q WHERE', 'mssql'), 'the parser rejects broken SQL');
  assert.throws(() => parser.parse("SELECT 'it\\'s' AS [x]", 'mssql'), "the parser reads '\\' as T-SQL does: no escape");
  for (const { label, sql } of await statements()) {
    try {
      parser.parse(sql, 'mssql');
    } catch (e) {
      assert.fail(`${label}: ${String(e)}\n${sql}`);
    }
  }
});

test('the contract tables DDL for SQL Server parses as T-SQL', async () => {
  await parser.init();
  const ddl = [...schemaSql('mssql'), ...dropSql()];
  assert.ok(ddl.some((s) => s.includes('[IP Address] NVARCHAR(256) NULL')));
  for (const sql of ddl) parser.parse(sql, 'mssql');
});

test('the demo loader guard statements (inspect, mark, marked drop) parse as T-SQL', async () => {
  await parser.init();
  for (const sql of [INSPECT_SQL, MARK_SQL, ...TABLES.map((t) => dropStatement(t.name).sql)]) {
    assert.doesNotThrow(() => parser.parse(sql, 'mssql'), sql);
  }
});
