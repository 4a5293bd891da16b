// `gatewatch demo --db mssql://…` never drops a table it did not create: the tables it creates carry
// an extended property, only those are dropped (and the DROP re-checks it), and a database holding an
// ITMS table without that mark, empty or not, is a real CMDB and is refused. Tested through a
// recording executor: the statements the loader would send to SQL Server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_MARKER, dropStatement, INSPECT_SQL, inspectParams, MARK_SQL, markStatement, refusal, type ExistingObject } from '../src/demo/mssql-guard.js';
import { DemoRefused, loadDemo, type Executor } from '../src/demo/mssql-load.js';
import type { BoundParam } from '../src/inventory/driver.js';
import { TABLES, type Table } from '../src/inventory/tables.js';

class RecordingExecutor implements Executor {
  readonly sent: { sql: string; params: readonly BoundParam[] }[] = [];
  constructor(private readonly existing: ExistingObject[]) {}
  async query(sql: string, params: readonly BoundParam[] = []) {
    this.sent.push({ sql, params });
    if (sql !== INSPECT_SQL) return [];
    return this.existing.map((o) => ({ Name: o.name, Type: o.type, DefaultSchema: o.defaultSchema ? 1 : 0, Rows: o.rows, Demo: o.demo ? 1 : 0 }));
  }
  begin = async () => void this.sent.push({ sql: 'BEGIN', params: [] });
  commit = async () => void this.sent.push({ sql: 'COMMIT', params: [] });
  rollback = async () => void this.sent.push({ sql: 'ROLLBACK', params: [] });
  writes = () => this.sent.filter((s) => s.sql !== INSPECT_SQL);
}

const table = (name: string, rows: number, demo: boolean, defaultSchema = true): ExistingObject => ({ name, type: 'U', defaultSchema, rows, demo });
const itms = () => TABLES.filter((t) => t.source === 'itms').map((t) => t.name);
const load = (existing: ExistingObject[], opts: { replace?: boolean; ifEmpty?: boolean } = {}) => {
  const exec = new RecordingExecutor(existing);
  return { exec, done: loadDemo(exec, { computers: 20, seed: 3, database: 'gatewatch_demo', ...opts }) };
};

/** Each @name a statement uses is bound, or DECLAREd in it (a procedure's own `@arg =` names aside). */
function assertBound(sql: string, params: readonly BoundParam[]) {
  const declared = new Set([...sql.matchAll(/DECLARE\s+@(\w+)/gi)].map((m) => m[1]));
  const bound = new Set(params.map((p) => p.name));
  const body = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/((?:\bEXEC\s+[\w.]+|,)\s*)@\w+\s*=/g, '$1');
  for (const [, name] of body.matchAll(/@(\w+)/g)) assert.ok(bound.has(name!) || declared.has(name!), `@${name} is not bound in\n${sql}`);
}

test('the tables list says which are real ITMS tables: the three ITMS names, every gatewatch_* a contract table', () => {
  for (const name of ['vComputer', 'Inv_AeX_AC_Network_Zone', 'Inv_AeX_AC_InternetGatewayDetails']) assert.ok(itms().includes(name), name);
  for (const t of TABLES) assert.equal(t.source, t.name.startsWith('gatewatch_') ? 'contract' : 'itms', t.name);
});

test('an empty ITMS table the demo did not create is a real CMDB: refused, nothing dropped or written', async () => {
  for (const name of itms()) {
    for (const rows of [0, 1200]) {
      const { exec, done } = load([table(name, rows, false), table('gatewatch_Relay', 12, true)], { replace: true });
      await assert.rejects(done, (e: Error) => e instanceof DemoRefused && new RegExp(`holds the ITMS table ${name}.*which gatewatch demo did not create: it is a real ITMS CMDB`).test(e.message));
      assert.deepEqual(exec.writes(), [], `${name} with ${rows} rows: nothing but the inspection was sent`);
    }
  }
  // In any schema, and whatever kind of object: an ITMS name without the mark is ITMS's own.
  assert.match(refusal([table('Inv_AeX_AC_Network_Zone', 0, false, false)], 'd', true) ?? '', /real ITMS CMDB/);
  assert.match(refusal([{ name: 'Inv_AeX_AC_InternetGatewayDetails', type: 'SN', defaultSchema: true, rows: 0, demo: false }], 'd', true) ?? '', /Inv_AeX_AC_InternetGatewayDetails \(sys.objects type SN\).*real ITMS CMDB/);
});

test('a contract table the demo did not create is never dropped, empty or not, --replace or not', async () => {
  for (const name of TABLES.filter((t) => t.source === 'contract').map((t) => t.name)) {
    for (const opts of [{}, { replace: true }, { ifEmpty: true }]) {
      const { exec, done } = load([table(name, 0, false)], opts);
      await assert.rejects(done, new RegExp(`table ${name} was not created by gatewatch demo \\(it lacks the ${DEMO_MARKER} extended property\\)`));
      assert.deepEqual(exec.writes(), []);
    }
  }
});

test('the refusal list comes from TABLES: an ITMS table added there is protected too', async () => {
  const added: Table = { name: 'Inv_Test_Added_Later', source: 'itms', columns: [{ name: 'X', type: 'int' }] };
  TABLES.push(added);
  try {
    assert.match(refusal([table(added.name, 0, false)], 'd', true) ?? '', /holds the ITMS table Inv_Test_Added_Later \(empty\)/);
    assert.ok(inspectParams().some((p) => p.value === added.name), 'the inspection looks for it');
  } finally {
    TABLES.splice(TABLES.indexOf(added), 1);
  }
});

test('only the marked tables found are dropped, each by a DROP that re-checks the mark', async () => {
  const existing = [table('vComputer', 5150, true), table('gatewatch_Relay', 12, true), table('gatewatch_Denial', 0, true, false)];
  const { exec, done } = load(existing, { replace: true });
  await done;
  const drops = exec.sent.filter((s) => /DROP TABLE/.test(s.sql));
  assert.deepEqual(drops.map((d) => d.params.find((p) => p.name === 'table')?.value), ['vComputer', 'gatewatch_Relay'], 'not the table in another schema');
  for (const d of drops) {
    assert.deepEqual(d, { sql: dropStatement(String(d.params[1]!.value)).sql, params: dropStatement(String(d.params[1]!.value)).params });
    assert.match(d.sql, /^IF EXISTS \(SELECT 1 FROM sys\.extended_properties AS ep\s+WHERE .*OBJECT_ID\(QUOTENAME\(@table\), N'U'\).*ep\.\[name\] = @marker\)\s+DROP TABLE \[\w+\];$/s);
    assert.equal(d.params.find((p) => p.name === 'marker')?.value, DEMO_MARKER);
  }
  assert.throws(() => dropStatement('Invoices'), /not a demo table/);
});

test('every table is created and marked in one transaction, before any row goes in', async () => {
  const { exec, done } = load([]);
  await done;
  const w = exec.writes();
  assert.ok(!w.some((s) => /DROP TABLE/.test(s.sql)), 'nothing to drop in an empty database');
  for (const t of TABLES) {
    const i = w.findIndex((s) => s.sql.startsWith(`CREATE TABLE [${t.name}]`));
    assert.ok(i > 0, t.name);
    assert.deepEqual(w.slice(i - 1, i + 3).map((s) => s.sql.slice(0, 12)), ['BEGIN', `CREATE TABLE`, MARK_SQL.slice(0, 12), 'COMMIT'], t.name);
    assert.deepEqual(w[i + 1], { sql: MARK_SQL, params: markStatement(t.name).params });
    assert.equal(w[i + 1]!.params.find((p) => p.name === 'table')?.value, t.name);
  }
  const lastMark = w.map((s) => s.sql).lastIndexOf(MARK_SQL);
  assert.ok(w.findIndex((s) => s.sql.startsWith('INSERT')) > lastMark);
  // A load over its own earlier tables is allowed again: they carry the mark now.
  assert.equal(refusal(TABLES.map((t) => table(t.name, 10, true)), 'gatewatch_demo', true), undefined);
});

test('the guard statements bind every value they use', () => {
  assertBound(INSPECT_SQL, inspectParams());
  assertBound(MARK_SQL, markStatement('vComputer').params);
  const drop = dropStatement('Inv_AeX_AC_Network_Zone');
  assertBound(drop.sql, drop.params);
  assert.equal(inspectParams().filter((p) => /^t\d+$/.test(p.name)).length, TABLES.length);
  for (const t of TABLES) assert.doesNotMatch(INSPECT_SQL, new RegExp(`'${t.name}'`), 'table names are parameters, not text');
});
