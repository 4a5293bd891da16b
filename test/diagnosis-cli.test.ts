// `gatewatch diagnose` run as a user would (the built CLI on a real demo file): its answer, its JSON,
// its exit codes and an access request worded as recorded; the diagnosis SQL as
// SQL Server would get it (T-SQL parser, every @parameter bound), the SQL Server DDL of the new
// contract table, and a runbook section per verdict.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import * as parser from '@guanmingchiu/sqlparser-ts';
import { runbookAnchor, VERDICTS } from '../src/diagnosis/checks.js';
import { diagnoseByKeys, diagnosisTime, FLEET_SLICES, fleetVerdicts, sliceBoundaries, verdictRestriction } from '../src/diagnosis/run.js';
import { schemaSql } from '../src/demo/ddl.js';
import { SCENARIOS } from '../src/demo/diagnosis.js';
import type { BoundParam, Driver, QueryResult } from '../src/inventory/driver.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { demoDb, DEMO_NOW, removeDir } from './helpers/graphql.js';
import { runCli } from './helpers/cli.js';
import { EXIT } from '../src/exit-codes.js';

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

// Unset, diagnose links the runbooks shipped beside the code: a URL that opens on this machine.
const DEFAULT_RUNBOOKS = new URL('../docs/runbooks.md', import.meta.url).href;

test('diagnose answers first: verdict, what fails or warns, remedy, runbook URL; plain and 80 wide when piped; exits 1', () => {
  const r = runCli(['diagnose', byVerdict.get('GATEWAY_OFFLINE')!, '--db', path], { env: { GATEWATCH_RUNBOOK_BASE_URL: '', NO_COLOR: '' } });
  assert.equal(r.code, EXIT.FINDING, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^GATEWAY_OFFLINE — \S+ \([0-9A-F-]{36}\)$/);
  assert.match(lines[1]!, /^Gateway online: FAIL( \((\d+ failing|\d+ warnings?)(, \d+ warnings?)?\))?$/);
  assert.match(r.stdout, /^ {2}FAIL {2}Gateway online: igw-fra-01\.corp\.example is offline$/m);
  assert.match(r.stdout, /^ {8}Broadcom ITMS CEM, Part 1 step 1: Internet Gateway Manager$/m);
  assert.doesNotMatch(r.stdout, /^ {2}(PASS|n\/a ) /m, 'passing and not-applicable rows only with --all');
  assert.match(r.stdout, /^remedy: {2}Bring the Internet Gateway back/m);
  const url = `${DEFAULT_RUNBOOKS}#diagnosis-gateway_offline`;
  assert.ok(lines.includes(url) || lines.includes(`runbook: ${url}`), r.stdout);
  assert.doesNotMatch(r.stdout, /^(runbook: )?docs\/|\bseed\b/m, 'a URL that opens, no repository path; no "seed"');
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colours when stdout is not a terminal');
  for (const l of lines) assert.ok(l.length <= 80 || l === url, `${l.length}: ${l}`);

  const all = runCli(['diagnose', byVerdict.get('GATEWAY_OFFLINE')!, '--db', path, '--all', '--runbook-base-url', 'https://wiki.corp.example/gatewatch/runbooks']);
  assert.equal(all.stdout.split('\n').filter((l) => /^ {2}(PASS|FAIL|WARN|\?\?\?\?|n\/a ) {2}\S/.test(l)).length, 20, 'one row per check');
  assert.match(all.stdout, /^ {2}PASS {2}Managed by the Notification Server: managed$/m);
  assert.match(all.stdout, /^runbook: https:\/\/wiki\.corp\.example\/gatewatch\/runbooks#diagnosis-gateway_offline$/m);
  const env = runCli(['diagnose', byVerdict.get('GATEWAY_OFFLINE')!, '--db', path], { env: { GATEWATCH_RUNBOOK_BASE_URL: 'https://rb.example/gw' } });
  assert.match(env.stdout, /^runbook: https:\/\/rb\.example\/gw#diagnosis-gateway_offline$/m, 'the setting the alert rules use');
});

test('diagnose exits 0 for a healthy agent; --json puts verdict, failing, warnings, runbookUrl and at on top', () => {
  const healthy = runCli(['diagnose', byVerdict.get('HEALTHY')!, '--db', path]);
  assert.equal(healthy.code, EXIT.OK, healthy.stderr);
  assert.match(healthy.stdout, /^HEALTHY — /);
  assert.doesNotMatch(healthy.stdout, /^(remedy|runbook):/m);
  const hj = JSON.parse(runCli(['diagnose', byVerdict.get('HEALTHY')!, '--db', path, '--json']).stdout);
  assert.deepEqual([hj.verdict, hj.failing, hj.runbookUrl], ['HEALTHY', [], null]);

  const j = runCli(['diagnose', byVerdict.get('ACCESS_BLOCKED')!, '--db', path, '--json', '--runbook-base-url', 'https://rb.example']);
  assert.equal(j.code, EXIT.FINDING, j.stderr);
  const d = JSON.parse(j.stdout);
  assert.equal(d.verdict, 'ACCESS_BLOCKED');
  assert.equal(d.failing[0], 'ACCESS_BLOCKED');
  assert.deepEqual(d.failing, d.checks.filter((c: { status: string }) => c.status === 'FAIL').map((c: { id: string }) => c.id));
  assert.deepEqual(d.warnings, d.checks.filter((c: { status: string }) => c.status === 'WARN').map((c: { id: string }) => c.id));
  assert.equal(d.runbookUrl, 'https://rb.example#diagnosis-access_blocked');
  assert.ok(Math.abs(Date.parse(d.at) - Date.now()) < 3_600_000, d.at);
  assert.equal(d.checks.length, 20);
  const failed = d.checks.find((c: { id: string }) => c.id === 'ACCESS_BLOCKED');
  assert.match(failed.detail, /^pending request reported by igw-ams-01\.corp\.example with reason registration_not_found at \d{4}-/);
  assert.match(failed.remedy, /CMDB was rolled back .* approve the agent/);
  assert.match(failed.source, /^Broadcom ITMS CEM, Part 1 step 2: /);
  const byGuid = runCli(['diagnose', d.guid.toLowerCase(), '--db', path, '--json']);
  assert.equal(JSON.parse(byGuid.stdout).name, d.name, 'by GUID too, in any case');
});

test('an access request reported by another gateway reads as recorded, not as that gateway\'s state now', () => {
  // The issue's contradiction: "igw-ams-01 is registered" PASSed, then "latest request pending at
  // igw-sgp-01: the gateway is not registered with the NS" FAILed, while igw-sgp-01 was registered.
  const copy = join(dir, 'recorded.sqlite');
  copyFileSync(path, copy);
  const db = new Database(copy);
  const name = byVerdict.get('ACCESS_BLOCKED')!;
  const guid = db.prepare('SELECT Guid FROM vComputer WHERE Name = ?').pluck().get(name);
  db.prepare(`INSERT INTO gatewatch_AccessRequest (Id, AgentName, _ResourceGuid, ReportedBy, CreatedAt, Status, Reason)
    VALUES ((SELECT MAX(Id) + 1 FROM gatewatch_AccessRequest), ?, ?, 'igw-sgp-01.corp.example', ?, 'pending', 'gateway_not_registered')`).run(name, guid, new Date(DEMO_NOW.getTime() - 60_000).toISOString());
  assert.equal(db.prepare("SELECT Registered FROM gatewatch_Gateway WHERE Name = 'igw-sgp-01.corp.example'").pluck().get(), 1);
  db.close();
  const r = runCli(['diagnose', name, '--db', copy, '--all']);
  assert.equal(r.code, EXIT.FINDING, r.stderr);
  const text = r.stdout.replace(/\n {8}/g, ' ');
  assert.match(text, /PASS {2}Gateway registered with the Notification Server: igw-ams-01\.corp\.example is registered/);
  assert.match(text, /FAIL {2}No access request pending or blocked: pending request reported by igw-sgp-01\.corp\.example with reason gateway_not_registered at \S+Z \(the reporting gateway was not registered with the Notification Server at that time\); the agent's current gateway is igw-ams-01\.corp\.example/);
  assert.doesNotMatch(text, /: the gateway is not registered/);
  assert.match(r.stdout.replace(/\n {9}/g, ' '), /^remedy: {2}Check that igw-sgp-01\.corp\.example is registered with the Notification Server in Internet Gateway Manager .* approve the agent/m);
});

test('diagnose exits 3 on an unknown computer or an inventory that does not answer, 2 on bad arguments; one line each', () => {
  for (const [args, code, message] of [
    [['diagnose', 'NO-SUCH-PC', '--db', path], EXIT.UNAVAILABLE, /no computer named "NO-SUCH-PC"/],
    // A digit too many: the names that sort beside it are offered, the nearest first.
    [['diagnose', 'WS-SGP-0010080', '--db', path], EXIT.UNAVAILABLE, /no computer named "WS-SGP-0010080" .*; closest: WS-SGP-001008\b/],
    [['diagnose', 'X', '--db', join(dir, 'missing.sqlite')], EXIT.UNAVAILABLE, /missing\.sqlite/],
    // Nothing listens on port 1: refused at once, as an unreachable SQL Server is.
    [['diagnose', 'X', '--db', 'mssql://gw:secret@127.0.0.1:1/cmdb?trustServerCertificate=true'], EXIT.UNAVAILABLE, /cannot reach SQL Server 127\.0\.0\.1:1/],
    [['diagnose', '--db', path], EXIT.USAGE, /one computer name or GUID, got 0/],
    [['diagnose', 'A', 'B', '--db', path], EXIT.USAGE, /unexpected argument "B" \(see gatewatch diagnose --help\)/],
    [['diagnose', 'A', '--bogus'], EXIT.USAGE, /bogus/],
    [['diagnose', 'A', '--db', path, '--runbook-base-url', 'docs/runbooks.md'], EXIT.USAGE, /--runbook-base-url \(GATEWATCH_RUNBOOK_BASE_URL\): not a URL/],
  ] as const) {
    const r = runCli([...args]);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
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
