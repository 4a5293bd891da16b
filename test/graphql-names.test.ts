// Look-ups as an operator types them: any case (as SQL Server's default collation compares), a
// gateway's short host name, and a miss answered with the closest known names instead of a null.
// Checked on the demo SQLite file, with the query plan, and as T-SQL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import * as parser from '@guanmingchiu/sqlparser-ts';
import type { BoundParam, Driver, QueryResult } from '../src/inventory/driver.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { toSqliteParams } from '../src/inventory/sqlite.js';
import { closestNames, editDistance, neighbourComputerNames } from '../src/inventory/closest.js';
import { diagnoseByKeys, diagnosisTime } from '../src/diagnosis/run.js';
import { DEFAULT_LIVENESS } from '../src/inventory/liveness.js';
import { demoFixture, ok, oneError } from './helpers/graphql.js';

// Two gateways sharing a short name, so that short name is ambiguous.
const fx = demoFixture('graphql-names', {
  computers: 300,
  prepare: (path) => {
    const db = new Database(path);
    const add = db.prepare("INSERT INTO gatewatch_Gateway VALUES (?, 443, '8.8.1', 1, 1, 1, 1, 0)");
    for (const n of ['igw-par-01.corp.example', 'IGW-PAR-01.lab.example']) add.run(n);
    db.close();
  },
});

class RecordingDriver implements Driver {
  readonly description = 'recording';
  readonly sent: { sql: string; params: readonly BoundParam[] }[] = [];
  constructor(readonly dialect: 'sqlite' | 'mssql') {}
  async query(sql: string, params: readonly BoundParam[]): Promise<QueryResult> {
    this.sent.push({ sql, params });
    return { rows: [], columns: [] };
  }
  classify = () => ({ code: 'QUERY_FAILED' as const, message: 'recording' });
  async close() {}
}

/** The statements a computer and a gateway look-up by name send, in `dialect`. */
async function nameStatements(dialect: 'sqlite' | 'mssql') {
  const driver = new RecordingDriver(dialect);
  const inv = new SqlInventory(driver);
  await inv.byKeys('computers', 'Name', ['lt-ams-000001']);
  await inv.byKeys('gateways', 'Name', ['igw-fra-01']);
  await neighbourComputerNames(inv, 'lt-ams-000001', { managed: null });
  return driver.sent;
}

describe('names in any case', () => {
  test('computer(name:) finds an upper-case name typed in lower case, and the stored spelling comes back', async () => {
    const name = fx.sql.get<{ Name: string }>('SELECT Name FROM vComputer WHERE IsManaged = 1 ORDER BY Name LIMIT 1 OFFSET 7').Name;
    assert.match(name, /[A-Z]/, 'the demo names are upper-case');
    const d = ok(await fx.api.gql('query($n: String!) { computer(name: $n) { name } }', { n: name.toLowerCase() }));
    assert.deepEqual(d.computer, { name });
    const rows = await fx.api.inventory.byKeys('computers', 'Name', [name.toLowerCase()]);
    assert.deepEqual(rows.map((r) => r.Name), [name]);
    const t = diagnosisTime(new Date(), DEFAULT_LIVENESS);
    const diagnosed = await diagnoseByKeys(fx.api.inventory, 'Name', [name.toLowerCase()], t);
    assert.deepEqual(diagnosed.map((d) => d.name), [name], 'the look-up `gatewatch diagnose NAME` makes matches too');
  });

  test('gateway(name:) by full name in another case', async () => {
    const d = ok(await fx.api.gql('{ gateway(name: "IGW-AMS-01.Corp.Example") { name } }'));
    assert.deepEqual(d.gateway, { name: 'igw-ams-01.corp.example' });
  });

  test('on SQLite the look-up still seeks the name index (the columns are COLLATE NOCASE)', async () => {
    const db = new Database(fx.path, { readonly: true });
    try {
      const [computer, gateway] = await nameStatements('sqlite');
      const plan = (s: { sql: string; params: readonly BoundParam[] }) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(toSqliteParams(s.params)) as { detail: string }[]).map((p) => p.detail);
      const c = plan(computer!);
      assert.equal(c.filter((d) => /^SEARCH vc USING (COVERING )?INDEX IX_vComputer_\d \(Name=\?\)/.test(d)).length, 1, c.join('\n'));
      assert.equal(c.filter((d) => /^SCAN vc\b/.test(d)).length, 0, c.join('\n'));
      const g = plan(gateway!);
      assert.equal(g.filter((d) => /^SEARCH g USING (PRIMARY KEY|INDEX \S+) \(Name=\?\)/.test(d)).length, 1, g.join('\n'));
    } finally {
      db.close();
    }
  });

  test('on SQL Server the same look-ups are plain `=`/IN on the column, no UPPER() or COLLATE, and parse as T-SQL', async () => {
    await parser.init();
    const sent = await nameStatements('mssql');
    assert.equal(sent.length, 4);
    for (const { sql } of sent) {
      assert.doesNotMatch(sql, /\b(UPPER|LOWER|COLLATE)\b/i);
      assert.doesNotThrow(() => parser.parse(sql, 'mssql'), sql);
    }
    assert.match(sent[0]!.sql, /\[Name\] IN \(@\w+\)/);
  });
});

describe('short names and misses', () => {
  test('gateway(name:) accepts the short host name in any case when only one gateway has it', async () => {
    const d = ok(await fx.api.gql('{ a: gateway(name: "igw-fra-01") { name } b: gateway(name: "IGW-AMS-01") { name online } }'));
    assert.deepEqual(d.a, { name: 'igw-fra-01.corp.example' });
    assert.equal(d.b.name, 'igw-ams-01.corp.example');
  });

  test('an ambiguous short name is an error naming every gateway that has it', async () => {
    const e = oneError(await fx.api.gql('{ gateway(name: "igw-par-01") { name } }'));
    assert.equal(e.extensions?.code, 'BAD_USER_INPUT');
    assert.match(e.message, /2 gateways have the short name "igw-par-01" \(IGW-PAR-01\.lab\.example, igw-par-01\.corp\.example\); give the full name/);
  });

  test('an unknown gateway is NOT_FOUND with the closest names, not a silent null', async () => {
    const r = await fx.api.gql('{ gateway(name: "igw-fra-1") { name } }');
    assert.deepEqual(r.data, { gateway: null });
    const e = oneError(r);
    assert.equal(e.extensions?.code, 'NOT_FOUND');
    assert.equal((e.extensions?.closest as string[])[0], 'igw-fra-01.corp.example');
    assert.match(e.message, /^no gateway named "igw-fra-1"; closest: igw-fra-01\.corp\.example/);
  });

  test('an unknown computer is NOT_FOUND with its neighbours by name, nearest first', async () => {
    const names = fx.sql.rows<{ Name: string }>('SELECT Name FROM vComputer ORDER BY Name').map((r) => r.Name);
    const real = names[20]!;
    const typo = `${real.slice(0, -1)}x`.toLowerCase();
    assert.ok(!names.some((n) => n.toLowerCase() === typo));
    const e = oneError(await fx.api.gql('query($n: String!) { computer(name: $n) { name } }', { n: typo }));
    assert.equal(e.extensions?.code, 'NOT_FOUND');
    const closest = e.extensions?.closest as string[];
    assert.ok(closest.includes(real), `${real} not in ${closest}`);
    assert.ok(closest.length >= 1 && closest.length <= 5);
    assert.ok(closest.every((c) => names.includes(c)));
  });

  test('a name with nothing close gets no suggestions', async () => {
    const e = oneError(await fx.api.gql('{ gateway(name: "completely-unrelated-thing") { name } }'));
    assert.deepEqual([e.message, e.extensions?.closest], ['no gateway named "completely-unrelated-thing"', []]);
  });
});

test('edit distance ignores case; a short host name counts as much as the full one', () => {
  assert.equal(editDistance('lt-ams-001005', 'LT-AMS-001005'), 0);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.deepEqual(closestNames('igw-fra-1', ['igw-fra-01.corp.example', 'igw-sgp-01.corp.example', 'relay-01']), ['igw-fra-01.corp.example', 'igw-sgp-01.corp.example']);
  assert.deepEqual(closestNames('x', []), []);
});
