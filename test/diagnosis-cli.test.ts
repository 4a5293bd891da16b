// `gatewatch diagnose` run as a user would (the built CLI on a real demo file), the diagnosis SQL as
// SQL Server would get it (T-SQL parser, every @parameter bound), the SQL Server DDL of the new
// contract table, and a runbook section per verdict.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import * as parser from '@guanmingchiu/sqlparser-ts';
import { runbookAnchor, VERDICTS } from '../src/diagnosis/checks.js';
import { render } from '../src/diagnosis/command.js';
import { diagnoseByKeys, diagnosisTime, FLEET_SLICES, fleetVerdicts, sliceBoundaries, verdictRestriction } from '../src/diagnosis/run.js';
import { schemaSql } from '../src/demo/ddl.js';
import { SCENARIOS } from '../src/demo/diagnosis.js';
import type { BoundParam, Driver, QueryResult } from '../src/inventory/driver.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { demoDb, DEMO_NOW, removeDir } from './helpers/graphql.js';
import { runCli } from './helpers/cli.js';

let dir: string;
let path: string;
/** Scenario agent names by verdict, read from the demo file. */
const byVerdict = new Map<string, string>();

before(async () => {
  ({ dir, path } = await demoDb('diagnose-cli', 120));
  const db = new Database(path, { readonly: true });
  const names = db.prepare('SELECT Name FROM vComputer WHERE IsManaged = 1 ORDER BY rowid LIMIT ?').pluck().all(SCENARIOS.length) as string[];
  db.close();
  SCENARIOS.forEach((s, i) => byVerdict.set(s.verdict, names[i]!));
});
after(() => removeDir(dir));

test('diagnose prints the checklist, the remedy and runbook of the first failure, and exits 1', () => {
  const r = runCli(['diagnose', byVerdict.get('GATEWAY_OFFLINE')!, '--db', path]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^verdict: GATEWAY_OFFLINE — Gateway online: FAIL — igw-fra-01\.corp\.example is offline$/m);
  assert.match(r.stdout, /^ {2}FAIL {2}Gateway online: /m);
  assert.match(r.stdout, /^ {2}PASS {2}Managed by the Notification Server: managed/m);
  assert.match(r.stdout, /^remedy: {2}Bring the Internet Gateway back/m);
  assert.match(r.stdout, /^runbook: docs\/runbooks\.md#diagnosis-gateway_offline$/m);
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colours when stdout is not a terminal');
  assert.equal(r.stdout.split('\n').filter((l) => /^ {2}(PASS|FAIL|WARN|\?\?\?\?|n\/a ) /.test(l)).length, 20, 'one line per check');
});

test('diagnose exits 0 for a healthy agent, and --json gives the whole diagnosis', () => {
  const healthy = runCli(['diagnose', byVerdict.get('HEALTHY')!, '--db', path]);
  assert.equal(healthy.code, 0, healthy.stderr);
  assert.match(healthy.stdout, /^verdict: HEALTHY — healthy: no check fails/m);
  assert.doesNotMatch(healthy.stdout, /^remedy:/m);
  const j = runCli(['diagnose', byVerdict.get('ACCESS_BLOCKED')!, '--db', path, '--json']);
  assert.equal(j.code, 1, j.stderr);
  const d = JSON.parse(j.stdout);
  assert.equal(d.verdict, 'ACCESS_BLOCKED');
  assert.equal(d.checks.length, 20);
  const failed = d.checks.find((c: { id: string }) => c.id === 'ACCESS_BLOCKED');
  assert.match(failed.detail, /pending at igw-ams-01\.corp\.example: registration not found/);
  // On a terminal the statuses are coloured: red FAIL, green PASS.
  const coloured = render(d, true);
  assert.ok(coloured.some((l) => l.includes('\x1b[31mFAIL\x1b[0m  No access request pending or blocked')));
  assert.ok(coloured.some((l) => l.startsWith('  \x1b[32mPASS\x1b[0m')));
  const byGuid = runCli(['diagnose', d.guid.toLowerCase(), '--db', path, '--json']);
  assert.equal(JSON.parse(byGuid.stdout).name, d.name, 'by GUID too, in any case');
});

test('diagnose exits 2 with one line on an unknown computer, a missing database or bad arguments', () => {
  for (const [args, message] of [
    [['diagnose', 'NO-SUCH-PC', '--db', path], /no computer named "NO-SUCH-PC"/],
    [['diagnose', 'X', '--db', join(dir, 'missing.sqlite')], /missing\.sqlite/],
    [['diagnose', '--db', path], /one computer name or GUID, got 0/],
    [['diagnose', 'A', 'B', '--db', path], /unexpected argument "B" \(see gatewatch diagnose --help\)/],
    [['diagnose', 'A', '--bogus'], /bogus/],
  ] as const) {
    const r = runCli([...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

class RecordingDriver implements Driver {
  readonly dialect = 'mssql' as const;
  readonly description = 'recording';
  readonly sent: { sql: string; params: readonly BoundParam[] }[] = [];
  async query(sql: string, params: readonly BoundParam[]): Promise<QueryResult> {
    this.sent.push({ sql, params });
    return { rows: [], columns: [] };
  }
  classify = () => ({ code: 'QUERY_FAILED' as const, message: 'recording' });
  async close() {}
}

test('the diagnosis statements parse as T-SQL and bind every @parameter they name', async () => {
  await parser.init();
  const driver = new RecordingDriver();
  const inv = new SqlInventory(driver);
  const t = diagnosisTime(DEMO_NOW);
  await diagnoseByKeys(inv, 'Name', ['a', 'b'], t);
  await fleetVerdicts(inv, t);
  const restrict = verdictRestriction('GATEWAY_OFFLINE', t);
  await inv.page('computers', { managed: true, ...t.cutoffs }, { order: 'NAME', direction: 'ASC', first: 5, after: ['x', 'y'], restrict });
  await inv.count('computers', { managed: true, ...t.cutoffs }, restrict);
  // one per-agent batch, the fleet's slices, a page and a count
  assert.equal(driver.sent.length, 3 + FLEET_SLICES);
  const code = (sql: string) => sql.replace(/--[^\n]*/g, '').replace(/'(?:[^']|'')*'/g, "''").replace(/\[[^\]]*\]/g, '[]');
  for (const { sql, params } of driver.sent) {
    const bound = new Set(params.map((p) => p.name));
    assert.equal(bound.size, params.length, 'each parameter bound once');
    for (const [, name] of code(sql).matchAll(/@(\w+)/g)) assert.ok(bound.has(name!), `@${name} is not bound`);
    assert.doesNotMatch(code(sql), /\bLIMIT\b|\bTRUE\b|\bFALSE\b/i);
    parser.parse(sql, 'mssql');
    // Thresholds are parameters, never text.
    assert.doesNotMatch(code(sql), /2147483648|8\.8\.1/);
  }
  // A restriction computed at another instant would bind @lateSince twice with two values: refused.
  await assert.rejects(inv.count('computers', { managed: true, ...diagnosisTime(new Date(0)).cutoffs }, restrict), /two different values/);
});

test('SQL Server DDL creates gatewatch_AgentRelay; every verdict has its runbook section', () => {
  assert.ok(schemaSql('mssql').some((s) => /CREATE TABLE \[gatewatch_AgentRelay\]/.test(s)));
  const slug = (h: string) => h.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
  const anchors = new Set(readFileSync(new URL('../docs/runbooks.md', import.meta.url), 'utf8').split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => slug(l.replace(/^#+ /, ''))));
  for (const v of VERDICTS) assert.ok(anchors.has(runbookAnchor(v)), `docs/runbooks.md has a section for ${v}`);
  assert.ok(anchors.has('diagnosis'));
});

/** A GUID's sort key in SQL Server's uniqueidentifier order: the last group first, then the 4th, 3rd, 2nd and 1st. */
const mssqlKey = (guid: string) => {
  const [a, b, c, d, e] = guid.split('-') as [string, string, string, string, string];
  const swap = (hex: string) => hex.match(/../g)!.reverse().join('');
  return e + d + swap(c) + swap(b) + swap(a);
};

test("the fleet slices split random GUIDs evenly in each database's own order", () => {
  // 100 a slice on average; 50 or 150 would be five standard deviations away.
  const guids = Array.from({ length: 1600 }, () => randomUUID().toUpperCase());
  for (const [dialect, key] of [['sqlite', (g: string) => g], ['mssql', mssqlKey]] as const) {
    const bounds = sliceBoundaries(dialect).map(key);
    assert.equal(bounds.length + 1, FLEET_SLICES);
    assert.deepEqual([...bounds].sort(), bounds, `${dialect}: boundaries rise`);
    const perSlice = new Array<number>(FLEET_SLICES).fill(0);
    for (const g of guids) perSlice[bounds.filter((b) => key(g) >= b).length]!++;
    for (const n of perSlice) assert.ok(n > 50 && n < 150, `${dialect}: ${perSlice.join(' ')}`);
  }
});
