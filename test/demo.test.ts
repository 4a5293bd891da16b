// The demo generator: reproducible from a seed, shaped like the estate the dashboards and alerts
// expect (see src/demo/fleet.ts), and readable by every dataset's SQL.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import * as F from '../src/demo/fleet.js';
import { buildDemoInventory, type DemoSummary } from '../src/demo/generate.js';
import { demoRows } from '../src/demo/rows.js';
import { DATASETS } from '../src/inventory/datasets.js';
import { PLANTED_SQL } from '../src/demo/diagnosis.js';
import { TABLES } from '../src/inventory/tables.js';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const COMPUTERS = 2000;
const dir = mkdtempSync(join(tmpdir(), 'gatewatch-demo-'));
const path = join(dir, 'nested', 'demo.sqlite');
let summary: DemoSummary;
let db: Database.Database;
const progress: [number, number][] = [];

const rows = <T = Record<string, unknown>>(sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as T[];
const count = (sql: string, ...args: unknown[]) => Number(db.prepare(sql).pluck().get(...args));
const sql = (file: string) => readFileSync(new URL(`../queries/sql/${file}`, import.meta.url), 'utf8');

/** Every row of every contract table, in primary-key order: equal hashes mean equal data. */
function inventoryHash(file: string): string {
  const d = new Database(file, { readonly: true });
  const h = createHash('sha256');
  for (const t of TABLES) h.update(JSON.stringify(d.prepare(`SELECT * FROM [${t.name}] ORDER BY ${(t.primaryKey ?? ['rowid']).map((c) => `[${c}]`).join(', ')}`).raw().all()));
  d.close();
  return h.digest('hex');
}

before(async () => {
  summary = await buildDemoInventory(path, { computers: COMPUTERS, seed: 42, now: NOW, onProgress: (d, t) => progress.push([d, t]) });
  db = new Database(path, { readonly: true });
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('same seed and now give the same data; another seed does not', async () => {
  const again = join(dir, 'again.sqlite');
  const other = join(dir, 'other.sqlite');
  await buildDemoInventory(again, { computers: COMPUTERS, seed: 42, now: NOW });
  await buildDemoInventory(other, { computers: COMPUTERS, seed: 43, now: NOW });
  assert.equal(inventoryHash(again), inventoryHash(path));
  assert.notEqual(inventoryHash(other), inventoryHash(path));
  const first = JSON.stringify([...demoRows({ computers: 300, seed: 5, now: NOW })]);
  assert.equal(JSON.stringify([...demoRows({ computers: 300, seed: 5, now: NOW })]), first);
});

test('the file is renamed into place in WAL mode, with no .tmp left and counts as reported', () => {
  assert.ok(existsSync(path));
  assert.deepEqual(readdirSync(join(dir, 'nested')).filter((f) => f.includes('.tmp')), []);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  for (const t of TABLES) assert.equal(count(`SELECT COUNT(*) FROM [${t.name}]`), summary.rows[t.name], t.name);
  assert.equal(summary.unmanaged, Math.round(COMPUTERS * 0.03));
  assert.equal(count('SELECT COUNT(*) FROM vComputer WHERE IsManaged = 0'), summary.unmanaged);
  assert.deepEqual(progress.at(-1), [COMPUTERS + summary.unmanaged, COMPUTERS + summary.unmanaged]);
});

test('GUIDs are uppercase 8-4-4-4-12 and timestamps full ISO-8601 UTC with milliseconds', () => {
  const guid = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
  const stamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
  for (const t of TABLES) {
    for (const c of t.columns.filter((x) => x.type === 'guid' || x.type === 'datetime')) {
      const bad = rows<{ v: string }>(`SELECT [${c.name}] AS v FROM [${t.name}] WHERE [${c.name}] IS NOT NULL`).filter((r) => !(c.type === 'guid' ? guid : stamp).test(r.v));
      assert.deepEqual(bad, [], `${t.name}.${c.name}`);
    }
  }
  assert.equal(count('SELECT COUNT(DISTINCT Guid) FROM vComputer'), count('SELECT COUNT(*) FROM vComputer'));
  assert.equal(count('SELECT COUNT(DISTINCT Name) FROM vComputer'), count('SELECT COUNT(*) FROM vComputer'));
});

test('every managed computer has a network zone row, unmanaged ones none; 20-30% on the Internet', () => {
  assert.equal(count('SELECT COUNT(*) FROM vComputer vc JOIN Inv_AeX_AC_Network_Zone nz ON nz._ResourceGuid = vc.Guid WHERE vc.IsManaged = 1'), COMPUTERS);
  assert.equal(count('SELECT COUNT(*) FROM Inv_AeX_AC_Network_Zone'), COMPUTERS);
  const share = count('SELECT AVG(IsOnInternet) FROM Inv_AeX_AC_Network_Zone');
  assert.ok(share >= 0.2 && share <= 0.3, `Internet share ${share}`);
  const http = count('SELECT AVG(HTTPSMode = 0) FROM Inv_AeX_AC_Network_Zone');
  assert.ok(http > 0 && http < 0.1, `HTTP share ${http}`);
  assert.ok(count('SELECT AVG(InternetModeSupported) FROM Inv_AeX_AC_Network_Zone') > 0.8);
  assert.equal(count('SELECT COUNT(*) FROM Inv_AeX_AC_Network_Zone WHERE IsOnInternet = 1 AND InternetModeSupported = 0'), 0);
});

test('an Internet computer has exactly one current gateway, recently successful unless silent; a LAN one none', () => {
  const perInternet = rows<{ n: number; last: string | null; gw: string | null; auth: string | null; report: string | null }>(
    `SELECT (SELECT COUNT(*) FROM Inv_AeX_AC_InternetGatewayDetails g WHERE g._ResourceGuid = nz._ResourceGuid AND g.[Current] = 1) AS n,
            (SELECT MAX([Last Success]) FROM Inv_AeX_AC_InternetGatewayDetails g WHERE g._ResourceGuid = nz._ResourceGuid AND g.[Current] = 1) AS last,
            (SELECT MAX(Gateway) FROM Inv_AeX_AC_InternetGatewayDetails g WHERE g._ResourceGuid = nz._ResourceGuid AND g.[Current] = 1) AS gw,
            (SELECT AuthType FROM gatewatch_AgentAuth a WHERE a._ResourceGuid = nz._ResourceGuid) AS auth,
            (SELECT MAX(ModifiedDate) FROM ResourceUpdateSummary r WHERE r.ResourceGuid = nz._ResourceGuid) AS report
     FROM Inv_AeX_AC_Network_Zone nz WHERE nz.IsOnInternet = 1 AND nz._ResourceGuid NOT IN (${PLANTED_SQL})`,
  );
  assert.ok(perInternet.length > 0);
  assert.deepEqual(perInternet.filter((r) => r.n !== 1), []);
  const hourAgo = new Date(NOW.getTime() - 3600_000).toISOString();
  const dayAgo = new Date(NOW.getTime() - 86_400_000).toISOString();
  // Refused by their gateway since its problem began: neither through nor reporting since then.
  const problemBegan = new Date(NOW.getTime() - F.PROBLEM_SINCE_MS).toISOString();
  const refused = perInternet.filter((r) => F.blocks(r.gw!, r.auth ?? 'none'));
  assert.ok(refused.length > 0);
  assert.deepEqual(refused.filter((r) => r.last !== r.report || (r.last !== null && r.last > problemBegan)), []);
  const reporting = perInternet.filter((r) => !refused.includes(r) && r.report !== null && r.report >= dayAgo);
  assert.ok(reporting.length > perInternet.length * 0.75);
  assert.deepEqual(reporting.filter((r) => r.last === null || r.last < hourAgo || r.last > NOW.toISOString()), []);
  // A silent agent's last gateway success is its last report (or none, if it never reported).
  assert.deepEqual(perInternet.filter((r) => !reporting.includes(r) && r.last !== r.report), []);
  assert.equal(count('SELECT COUNT(*) FROM Inv_AeX_AC_InternetGatewayDetails g JOIN Inv_AeX_AC_Network_Zone nz ON nz._ResourceGuid = g._ResourceGuid WHERE nz.IsOnInternet = 0 AND g.[Current] = 1'), 0);
  const perComputer = rows<{ n: number }>('SELECT COUNT(*) AS n FROM Inv_AeX_AC_InternetGatewayDetails GROUP BY _ResourceGuid').map((r) => r.n);
  // Up to three site gateways in its policy, and a problem gateway for some.
  assert.ok(Math.max(...perComputer) <= 4 && perComputer.includes(2));
});

test('gateways, cores and broker connections are the healthy estate, one gateway out of Troubleshooting mode', () => {
  const gws = rows<{ Name: string; Port: number; Registered: number; Online: number; EphemeralAuthEnabled: number; TroubleshootingMode: number; Version: string }>('SELECT * FROM gatewatch_Gateway ORDER BY Name');
  assert.deepEqual(gws.map((g) => g.Name), F.GATEWAYS.map((g) => g.name).sort());
  // The site gateways are healthy but for nyc's Troubleshooting mode; the three others carry planted problems.
  const healthy = new Set(F.SITE_GATEWAYS.map((g) => g.name));
  assert.equal(healthy.size, 3);
  assert.ok(gws.filter((g) => healthy.has(g.Name)).every((g) => g.Port === 443 && g.Registered === 1 && g.Online === 1 && g.EphemeralAuthEnabled === 1 && /^8\.8\.1\.\d+$/.test(g.Version)));
  assert.deepEqual(gws.filter((g) => !healthy.has(g.Name)).map((g) => [g.Name, g.Online, g.Registered, g.EphemeralAuthEnabled]), [
    ['igw-dub-01.corp.example', 1, 0, 1],
    ['igw-fra-01.corp.example', 0, 1, 1],
    ['igw-lon-01.corp.example', 1, 1, 0],
  ]);
  assert.deepEqual(gws.filter((g) => g.TroubleshootingMode === 0).map((g) => g.Name), ['igw-nyc-01.corp.example']);
  const broker = rows<{ Gateway: string; Core: string; Connections: number }>('SELECT * FROM gatewatch_BrokerConnection');
  assert.equal(broker.length, F.GATEWAYS.length * F.CORES.length);
  assert.ok(broker.filter((b) => !F.plantedBroker(b.Gateway)).every((b) => b.Connections >= 5 && b.Connections <= 8));
  assert.deepEqual(broker.filter((b) => b.Connections < 5).map((b) => `${b.Gateway}/${b.Core}=${b.Connections}`).sort(), [
    'igw-fra-01.corp.example/NS-CORE-01=0',
    'igw-fra-01.corp.example/NS-CORE-02=0',
    'igw-lon-01.corp.example/NS-CORE-02=2',
  ]);
  for (const g of F.SITE_GATEWAYS) {
    const levels = Object.fromEntries(rows<{ Level: string; Connections: number }>('SELECT Level, Connections FROM gatewatch_GatewayConnection WHERE Gateway = ?', g.name).map((r) => [r.Level, r.Connections]));
    assert.deepEqual(Object.keys(levels).sort(), [...F.CONNECTION_LEVELS].sort());
    assert.equal(levels.broker, broker.filter((b) => b.Gateway === g.name).reduce((s, b) => s + b.Connections, 0));
    assert.ok(levels.client! > 0);
  }
});

test('certificate auth mixes permanent, ephemeral, both and none, with plausible expiry', () => {
  const byAuth = Object.fromEntries(rows<{ AuthType: string; Computers: number }>(sql('computers_by_auth.sql')).map((r) => [r.AuthType, r.Computers]));
  assert.deepEqual(Object.keys(byAuth).sort(), ['both', 'ephemeral', 'none', 'permanent']);
  assert.ok(byAuth.none! > 0 && byAuth.none! < COMPUTERS * 0.1);
  const sixHours = new Date(NOW.getTime() + F.EPHEMERAL_LIFETIME_MS).toISOString();
  assert.equal(count(`SELECT COUNT(*) FROM gatewatch_AgentAuth WHERE AuthType <> 'permanent' AND ValidUntil > ?`, sixHours), 0);
  // Lapsed only where the agent could not get through to make a new one: refused by its gateway.
  const lapsed = rows<{ gw: string | null; auth: string }>(`SELECT a.AuthType AS auth, (SELECT Gateway FROM Inv_AeX_AC_InternetGatewayDetails g WHERE g._ResourceGuid = a._ResourceGuid AND g.[Current] = 1) AS gw
    FROM gatewatch_AgentAuth a WHERE a.AuthType <> 'permanent' AND a.ValidUntil <= ? AND a._ResourceGuid NOT IN (${PLANTED_SQL})`, NOW.toISOString());
  assert.deepEqual(lapsed.filter((r) => !r.gw || !F.blocks(r.gw, r.auth)), []);
  assert.equal(count(`SELECT COUNT(*) FROM gatewatch_AgentAuth WHERE AuthType = 'permanent' AND ValidUntil < ?`, new Date(NOW.getTime() + 180 * 86_400_000).toISOString()), 0);
});

test('relays: all but one online and pinged in the last 20 minutes, one without its cache folder, exactly one under 2 GiB of cache', () => {
  const relays = rows<{ Name: string; Online: number; LastPing: string; CacheFreeBytes: number; CacheFolderValid: number; HttpServerErrors: number; ClientsServed: number }>('SELECT * FROM gatewatch_Relay');
  assert.equal(relays.length, 12);
  const since = new Date(NOW.getTime() - F.RELAY_PING_MS).toISOString();
  const online = relays.filter((r) => r.Name !== F.OFFLINE_RELAY);
  assert.ok(online.every((r) => r.Online === 1 && r.LastPing > since && r.LastPing <= NOW.toISOString()));
  assert.equal(relays.find((r) => r.Name === F.OFFLINE_RELAY)!.Online, 0);
  assert.deepEqual(relays.filter((r) => r.CacheFolderValid === 0).map((r) => r.Name), [F.BAD_CACHE_RELAY]);
  assert.deepEqual(relays.filter((r) => r.CacheFreeBytes < 2 * F.GIB).map((r) => r.Name), [F.LOW_DISK_RELAY]);
  assert.ok(relays.filter((r) => r.Name !== F.LOW_DISK_RELAY).every((r) => r.CacheFreeBytes >= 20 * F.GIB && r.CacheFreeBytes <= 401 * F.GIB));
  assert.ok(relays.filter((r) => r.HttpServerErrors === 0).length >= 10);
  assert.ok(relays.every((r) => r.ClientsServed >= 50 && r.ClientsServed <= 600));
});

test('access requests, denials and agent messages use the contract vocabulary', () => {
  const reqs = rows<{ Id: number; AgentName: string; _ResourceGuid: string | null; ReportedBy: string; Status: string; Reason: string }>('SELECT * FROM gatewatch_AccessRequest ORDER BY Id');
  assert.ok(reqs.length >= 24 && reqs.length <= 60);
  assert.ok(reqs.every((r) => ['pending', 'approved', 'blocked'].includes(r.Status)));
  assert.ok(reqs.every((r) => ['registration_not_found', 'time_skew', 'version_mismatch', 'gateway_not_registered', 'blocked'].includes(r.Reason)));
  const known = reqs.filter((r) => r._ResourceGuid !== null);
  assert.ok(known.length > 0 && known.length < reqs.length, 'some known agents, some lost in the rollback');
  for (const r of known) assert.equal(count('SELECT COUNT(*) FROM vComputer WHERE Name = ? AND Guid = ?', r.AgentName, r._ResourceGuid), 1);
  for (const r of reqs.filter((x) => x._ResourceGuid === null)) assert.equal(count('SELECT COUNT(*) FROM vComputer WHERE Name = ?', r.AgentName), 0);
  const troubleshooting = new Set(F.GATEWAYS.filter((g) => g.troubleshootingMode).map((g) => g.name));
  assert.ok(reqs.filter((r) => troubleshooting.has(r.ReportedBy)).length > reqs.length / 2);

  const dayAgo = new Date(NOW.getTime() - 86_400_000).toISOString();
  for (const g of F.GATEWAYS) assert.ok(count('SELECT COUNT(*) FROM gatewatch_Denial WHERE Gateway = ? AND DeniedAt >= ? AND DeniedAt <= ?', g.name, dayAgo, NOW.toISOString()) >= 20);
  assert.equal(count('SELECT COUNT(*) FROM gatewatch_Denial WHERE DeniedAt < ?', dayAgo), 0);

  const msgs = rows<{ Id: number; Component: string; Type: number; Priority: number; RaisedAt: string; Text: string }>('SELECT * FROM gatewatch_AgentMessage ORDER BY Id');
  assert.ok(msgs.length >= 100 && msgs.length <= 600);
  const components = new Set<string>(Object.values(F.MESSAGES).map((m) => m.component));
  assert.ok(msgs.every((m) => components.has(m.Component) && (m.Type === 0 || m.Type === 1) && m.Priority >= 0 && m.Priority <= 3));
  assert.ok(msgs.every((m, i) => i === 0 || m.RaisedAt >= msgs[i - 1]!.RaisedAt), 'ids ascend with time');
  assert.equal(count('SELECT COUNT(*) FROM gatewatch_AgentMessage WHERE Computer = ? AND Text LIKE ?', F.LOW_DISK_RELAY, 'Not enough disk space%'), 1);
});

test('every dataset SQL file runs against the demo and returns its declared columns', () => {
  for (const [name, def] of Object.entries(DATASETS)) {
    const stmt = db.prepare(sql(def.file));
    const result = stmt.all(nulls(name as keyof typeof DATASETS)) as Record<string, unknown>[];
    assert.deepEqual(stmt.columns().map((c) => c.name), Object.keys(def.columns), name);
    assert.ok(result.length > 0, `${name} returned no rows`);
  }
  const cem = db.prepare(sql('cem_summary.sql')).get() as Record<string, number>;
  assert.equal(cem.Total, COMPUTERS);
  const byGateway = rows<{ Computers: number }>(sql('computers_by_gateway.sql')).reduce((s, r) => s + r.Computers, 0);
  // The NO_CURRENT_GATEWAY scenario agent is on the Internet without a current gateway.
  assert.equal(byGateway, cem.Internet! - 1);
  const onInternet = db.prepare(sql('computers.sql')).all({ ...nulls('computers'), isOnInternet: 1, managed: 1 }) as { CurrentGateway: string | null }[];
  assert.equal(onInternet.length, cem.Internet);
  assert.equal(onInternet.filter((r) => r.CurrentGateway === null).length, 1);
  const pending = db.prepare(sql('access_requests.sql')).all({ ...nulls('access_requests'), status: 'pending' });
  assert.ok(pending.length > 0);
});

function nulls(name: keyof typeof DATASETS): Record<string, null> {
  return Object.fromEntries(Object.keys(DATASETS[name].params).map((p) => [p, null]));
}
