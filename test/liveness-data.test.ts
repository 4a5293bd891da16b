// The liveness data layer: ResourceUpdateSummary and Inv_AeX_AC_Client_Agent in the contract, in both
// dialects' DDL, and a demo where every reporting state occurs for plausible causes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { schemaSql } from '../src/demo/ddl.js';
import { INSPECT_SQL, loadDemo, type Executor } from '../src/demo/mssql-load.js';
import { DEMO_MARKER } from '../src/demo/mssql-guard.js';
import type { BoundParam } from '../src/inventory/driver.js';
import { buildDemoInventory } from '../src/demo/generate.js';
import * as L from '../src/demo/liveness.js';
import { Rng } from '../src/demo/rng.js';
import { table } from '../src/inventory/tables.js';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'gatewatch-liveness-data-'));
let db: Database.Database;

before(async () => {
  await buildDemoInventory(join(dir, 'demo.sqlite'), { computers: 3000, seed: 11, now: NOW });
  db = new Database(join(dir, 'demo.sqlite'), { readonly: true });
});
after(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const STATE_SQL = `SELECT CASE WHEN r.l IS NULL THEN 'never' WHEN r.l >= @late THEN 'reporting' WHEN r.l >= @inactive THEN 'late' ELSE 'inactive' END AS State, COUNT(*) AS n
  FROM vComputer vc LEFT JOIN (SELECT ResourceGuid, MAX(ModifiedDate) AS l FROM ResourceUpdateSummary GROUP BY ResourceGuid) r ON r.ResourceGuid = vc.Guid
  WHERE vc.IsManaged = 1 GROUP BY 1`;
const cutoffs = { late: new Date(NOW.getTime() - DAY).toISOString(), inactive: new Date(NOW.getTime() - 7 * DAY).toISOString() };

test('both tables are ITMS tables with the documented keys, in the SQLite and T-SQL DDL', () => {
  const rus = table('ResourceUpdateSummary');
  assert.equal(rus.source, 'itms');
  assert.deepEqual(rus.columns.map((c) => [c.name, c.type]), [['ResourceGuid', 'guid'], ['InventoryClassGuid', 'guid'], ['ModifiedDate', 'datetime']]);
  assert.deepEqual(rus.primaryKey, ['ResourceGuid', 'InventoryClassGuid']);
  assert.deepEqual(rus.indexes, [['ResourceGuid', 'ModifiedDate']]);
  const agent = table('Inv_AeX_AC_Client_Agent');
  assert.equal(agent.source, 'itms');
  assert.deepEqual(agent.columns.map((c) => c.name), ['_ResourceGuid', 'Agent Name', 'Product Version']);
  const mssql = schemaSql('mssql').join('\n');
  assert.match(mssql, /CREATE TABLE \[ResourceUpdateSummary\] \(\n {2}\[ResourceGuid\] UNIQUEIDENTIFIER NOT NULL,\n {2}\[InventoryClassGuid\] UNIQUEIDENTIFIER NOT NULL,\n {2}\[ModifiedDate\] DATETIME2\(3\) NOT NULL,\n {2}PRIMARY KEY \(\[ResourceGuid\], \[InventoryClassGuid\]\)/);
  assert.match(mssql, /CREATE INDEX \[IX_ResourceUpdateSummary_1\] ON \[ResourceUpdateSummary\] \(\[ResourceGuid\], \[ModifiedDate\]\)/);
  assert.match(mssql, /CREATE TABLE \[Inv_AeX_AC_Client_Agent\] \(\n {2}\[_ResourceGuid\] UNIQUEIDENTIFIER NOT NULL,\n {2}\[Agent Name\] NVARCHAR\(256\) NOT NULL,/);
  assert.match(schemaSql('sqlite').join('\n'), /CREATE TABLE \[ResourceUpdateSummary\][^;]*WITHOUT ROWID/);
});

test('the last report per computer is read from the covering index, not the table', () => {
  const plan = db.prepare('EXPLAIN QUERY PLAN SELECT MAX(ModifiedDate) FROM ResourceUpdateSummary WHERE ResourceGuid = ?').all('X') as { detail: string }[];
  assert.ok(plan.some((p) => /COVERING INDEX IX_ResourceUpdateSummary_1/.test(p.detail)), JSON.stringify(plan));
});

test('every reporting state occurs, in realistic proportions', () => {
  const by = Object.fromEntries((db.prepare(STATE_SQL).all(cutoffs) as { State: string; n: number }[]).map((r) => [r.State, r.n]));
  assert.deepEqual(Object.keys(by).sort(), ['inactive', 'late', 'never', 'reporting']);
  const total = Object.values(by).reduce((a, b) => a + b, 0);
  assert.equal(total, 3000);
  assert.ok(by.reporting! / total > 0.8 && by.reporting! / total < 0.95, `reporting ${by.reporting}`);
  for (const s of ['late', 'inactive', 'never']) assert.ok(by[s]! >= 15 && by[s]! < total * 0.1, `${s} ${by[s]}`);
});

test('a never-reported computer has no agent row; every other has one core agent row with a known version', () => {
  const versions = new Set(L.AGENT_VERSIONS.map(([v]) => v));
  const core = db.prepare(`SELECT _ResourceGuid AS g, [Product Version] AS v FROM Inv_AeX_AC_Client_Agent WHERE [Agent Name] IN (?, ?)`).all(...L.CORE_AGENT_NAMES) as { g: string; v: string }[];
  assert.ok(core.every((r) => versions.has(r.v)));
  assert.equal(new Set(core.map((r) => r.g)).size, core.length);
  const reported = Number(db.prepare('SELECT COUNT(DISTINCT ResourceGuid) FROM ResourceUpdateSummary').pluck().get());
  assert.equal(core.length, reported);
  assert.ok(Number(db.prepare('SELECT COUNT(*) FROM Inv_AeX_AC_Client_Agent WHERE [Agent Name] = ?').pluck().get(L.INVENTORY_PLUGIN)) > 0);
  // Agents before 8.8.1 hold ephemeral certificates only where an ephemeral-only policy reached them.
  const oldBoth = db.prepare(`SELECT COUNT(*) FROM Inv_AeX_AC_Client_Agent ca JOIN gatewatch_AgentAuth au ON au._ResourceGuid = ca._ResourceGuid WHERE ca.[Product Version] < '8.8.1' AND au.AuthType = 'both'`).pluck().get();
  assert.equal(Number(oldBoth), 0);
});

test('silence follows its causes: the rolled-back gateway has the most silent agents', () => {
  const rows = db.prepare(`SELECT g.Gateway AS gw, AVG(CASE WHEN r.l IS NULL OR r.l < @late THEN 1.0 ELSE 0 END) AS silent
    FROM Inv_AeX_AC_InternetGatewayDetails g LEFT JOIN (SELECT ResourceGuid, MAX(ModifiedDate) AS l FROM ResourceUpdateSummary GROUP BY ResourceGuid) r ON r.ResourceGuid = g._ResourceGuid
    WHERE g.[Current] = 1 GROUP BY g.Gateway ORDER BY silent DESC`).all({ late: cutoffs.late }) as { gw: string; silent: number }[];
  assert.equal(rows[0]!.gw, L.ROLLBACK_GATEWAY);
  assert.ok(rows[0]!.silent > 2 * rows[1]!.silent, JSON.stringify(rows));
  // Switched-off desktops: LAN computers make up most of the INACTIVE ones.
  const inactive = db.prepare(`SELECT nz.IsOnInternet AS i, COUNT(*) AS n FROM Inv_AeX_AC_Network_Zone nz JOIN (SELECT ResourceGuid, MAX(ModifiedDate) AS l FROM ResourceUpdateSummary GROUP BY ResourceGuid) r ON r.ResourceGuid = nz._ResourceGuid WHERE r.l < ? GROUP BY nz.IsOnInternet`).all(cutoffs.inactive) as { i: number; n: number }[];
  const lan = inactive.find((r) => r.i === 0)?.n ?? 0;
  const net = inactive.find((r) => r.i === 1)?.n ?? 0;
  assert.ok(lan > 3 * net, `LAN ${lan}, Internet ${net}`);
});

test('liveness rules: first match wins, and an ephemeral-only agent before 8.8.1 goes silent', () => {
  assert.ok(L.versionAtLeast('8.10.0', '8.8.1') && !L.versionAtLeast('8.8.0.3601', '8.8.1') && L.versionAtLeast('8.8.1', '8.8.1'));
  const causes = new Map<string, number>();
  const rng = new Rng(3);
  for (let i = 0; i < 2000; i++) {
    const live = L.livenessOf(rng, { laptop: true, onInternet: true, gateway: 'igw-nyc-01.corp.example', auth: 'ephemeral', version: '8.8.0.3601' }, NOW);
    causes.set(live.cause, (causes.get(live.cause) ?? 0) + 1);
    if (live.cause === 'never-reported') assert.equal(live.lastReport, null);
    else if (live.cause !== 'healthy') assert.ok(live.lastReport!.getTime() <= NOW.getTime() - DAY);
    else assert.ok(live.lastReport!.getTime() > NOW.getTime() - DAY);
  }
  assert.ok((causes.get('ephemeral-old-agent') ?? 0) > 1600, JSON.stringify([...causes]));
  assert.equal(causes.get('rollback'), undefined);
});

test('the SQL Server loader creates, fills and indexes both tables', async () => {
  const sent: { sql: string; params: readonly BoundParam[] }[] = [];
  const exec: Executor = {
    // An empty database: the inspection finds nothing, so nothing is refused.
    query: async (sql, params = []) => (sent.push({ sql, params }), []),
    begin: async () => {},
    commit: async () => {},
    rollback: async () => {},
  };
  const counts = await loadDemo(exec, { computers: 400, seed: 3, now: NOW, database: 'gatewatch_demo' });
  // The loader looks for both among the ITMS tables a real CMDB holds (names bound as parameters).
  const inspected = sent.find((s) => s.sql === INSPECT_SQL)!.params.map((p) => p.value);
  for (const name of ['ResourceUpdateSummary', 'Inv_AeX_AC_Client_Agent']) {
    const t = table(name);
    assert.ok(inspected.includes(name), `${name}: inspected`);
    // Created and marked as the demo's own, so a later load may drop it and nothing else.
    assert.ok(sent.some((s) => s.params.some((p) => p.value === DEMO_MARKER) && s.params.some((p) => p.value === name)), `${name}: marked`);
    assert.ok(sent.some((s) => s.sql.startsWith(`CREATE TABLE [${name}] (`) && s.sql.includes('UNIQUEIDENTIFIER')), `${name}: created`);
    const inserts = sent.filter((s) => s.sql.startsWith(`INSERT INTO [${name}]`));
    const rows = inserts.reduce((n, s) => n + s.params.length / t.columns.length, 0);
    assert.ok(rows > 400, `${name}: ${rows} rows`);
    assert.equal(rows, counts?.[name]);
  }
  assert.ok(sent.some((s) => s.sql === 'CREATE INDEX [IX_ResourceUpdateSummary_1] ON [ResourceUpdateSummary] ([ResourceGuid], [ModifiedDate])'));
  const dates = sent.filter((s) => s.sql.startsWith('INSERT INTO [ResourceUpdateSummary]')).flatMap((s) => s.params.filter((p) => p.type === 'datetime'));
  assert.ok(dates.length > 0 && dates.every((p) => p.value instanceof Date));
});
