// GET /metrics on the real server over a demo file: each collector's values equal counts taken with
// SQL straight on the file, every enumerated label value is there (zeros included), and promtool
// finds nothing to lint.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { DEPRECATED, L, M, PROCESS, VALUES } from '../src/metrics/names.js';
import { ARTICLES } from '../src/articles.js';
import { VERSION } from '../src/version.js';
import { defaultMetricNames, demoFile, pick, promtoolFindings, scrape, serveMetrics, value, type Exposition, type MetricsServer } from './helpers/metrics.js';

let dir: string;
let db: Database.Database;
let server: MetricsServer;
let e: Exposition;
let contentType: string;

before(async () => {
  const demo = await demoFile('metrics');
  dir = demo.dir;
  db = new Database(demo.path, { readonly: true });
  server = await serveMetrics(demo);
  const r = await scrape(server.url);
  assert.equal(r.status, 200);
  ({ e, contentType } = r);
});
after(async () => {
  db.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (sql: string, ...params: unknown[]): number => Number((db.prepare(sql).pluck().get(...params) as number | null) ?? 0);
const gatewayNames = (): string[] => db.prepare('SELECT Name FROM gatewatch_Gateway').pluck().all() as string[];
const MANAGED = `FROM vComputer v LEFT JOIN Inv_AeX_AC_Network_Zone nz ON nz._ResourceGuid = v.Guid
  LEFT JOIN gatewatch_AgentAuth a ON a._ResourceGuid = v.Guid WHERE v.IsManaged = 1`;

test('the exposition is Prometheus text 0.0.4, and promtool check metrics finds nothing', () => {
  assert.match(contentType, /^text\/plain; version=0\.0\.4/);
  assert.equal(promtoolFindings(e.text), '');
});

test('computers_by_state: every connectivity × auth × transport, each equal to a direct count', () => {
  assert.equal(pick(e, M.computers).length, 2 * 4 * 2, 'all 16 combinations, the empty ones at 0');
  for (const connectivity of VALUES.connectivity)
    for (const auth of VALUES.auth)
      for (const transport of VALUES.transport) {
        const expected = count(
          `SELECT COUNT(*) ${MANAGED} AND COALESCE(nz.IsOnInternet, 0) = ? AND COALESCE(a.AuthType, 'none') = ? AND COALESCE(nz.HTTPSMode, 1) = ?`,
          connectivity === 'internet' ? 1 : 0,
          auth,
          transport === 'https' ? 1 : 0,
        );
        assert.equal(value(e, M.computers, { connectivity, auth, transport }), expected, `${connectivity}/${auth}/${transport}`);
      }
  const total = pick(e, M.computers).reduce((n, s) => n + s.value, 0);
  assert.equal(total, count('SELECT COUNT(*) FROM vComputer WHERE IsManaged = 1'));
  assert.ok(pick(e, M.computers).some((s) => s.value === 0), 'the demo has an empty combination, exported at 0');
});

test('cem_summary: CEM configured and policy applied equal direct counts', () => {
  assert.equal(value(e, M.cemConfigured), count(`SELECT COUNT(*) ${MANAGED} AND nz.InternetModeSupported = 1`));
  assert.equal(value(e, M.cemPolicyApplied), count(`SELECT COUNT(*) ${MANAGED} AND nz.AppliedPolicyCount > 0`));
});

test('computers_by_gateway: managed computers per current gateway, every gateway present', () => {
  for (const gateway of gatewayNames()) {
    const expected = count(
      `SELECT COUNT(*) FROM (SELECT d._ResourceGuid, MIN(d.Gateway) AS g FROM Inv_AeX_AC_InternetGatewayDetails d
         JOIN vComputer v ON v.Guid = d._ResourceGuid AND v.IsManaged = 1 WHERE d.[Current] = 1 GROUP BY d._ResourceGuid) WHERE g = ?`,
      gateway,
    );
    assert.equal(value(e, M.gatewayAssignedComputers, { gateway }), expected, gateway);
  }
});

test('gateways: info with the version, status flags and the auth-failure counter per gateway', () => {
  const rows = db.prepare('SELECT * FROM gatewatch_Gateway').all() as Record<string, number | string>[];
  assert.ok(rows.length >= 2);
  assert.equal(pick(e, M.gatewayInfo).length, rows.length);
  assert.equal(e.types.get(M.gatewayAuthFailures), 'counter');
  for (const g of rows) {
    const gateway = String(g.Name);
    assert.equal(value(e, M.gatewayInfo, { gateway, version: String(g.Version) }), 1);
    assert.equal(value(e, M.gatewayOnline, { gateway }), g.Online);
    assert.equal(value(e, M.gatewayRegistered, { gateway }), g.Registered);
    assert.equal(value(e, M.gatewayTroubleshootingMode, { gateway }), g.TroubleshootingMode);
    assert.equal(value(e, M.gatewayEphemeralAuthEnabled, { gateway }), g.EphemeralAuthEnabled);
    assert.equal(value(e, M.gatewayAuthFailures, { gateway }), g.AuthFailures);
  }
});

test('gateway_connections: every gateway × level, equal to the table', () => {
  assert.equal(pick(e, M.gatewayConnections).length, gatewayNames().length * VALUES.level.length);
  for (const gateway of gatewayNames())
    for (const level of VALUES.level) {
      const expected = count('SELECT SUM(Connections) FROM gatewatch_GatewayConnection WHERE Gateway = ? AND Level = ?', gateway, level);
      assert.equal(value(e, M.gatewayConnections, { gateway, level }), expected, `${gateway}/${level}`);
    }
});

test('broker_connections: each core to each gateway, as the table lists them', () => {
  const rows = db.prepare('SELECT Gateway, Core, Connections FROM gatewatch_BrokerConnection').all() as { Gateway: string; Core: string; Connections: number }[];
  assert.ok(rows.length > 0);
  assert.equal(pick(e, M.gatewayBrokerConnections).length, rows.length);
  for (const r of rows) assert.equal(value(e, M.gatewayBrokerConnections, { gateway: r.Gateway, core: r.Core }), r.Connections);
});

test('denials: a counter of all denial rows, every gateway × reason', () => {
  assert.equal(e.types.get(M.gatewayDenials), 'counter');
  for (const gateway of gatewayNames())
    for (const reason of VALUES.reason) {
      const expected = count('SELECT COUNT(*) FROM gatewatch_Denial WHERE Gateway = ? AND Reason = ?', gateway, reason);
      assert.equal(value(e, M.gatewayDenials, { gateway, reason }), expected, `${gateway}/${reason}`);
    }
  const total = pick(e, M.gatewayDenials).reduce((n, s) => n + s.value, 0);
  assert.equal(total, count('SELECT COUNT(*) FROM gatewatch_Denial'), 'no denial row left out');
});

test('access_requests_by_status: access requests for every gateway × status', () => {
  for (const gateway of gatewayNames())
    for (const status of VALUES.status) {
      const expected = count('SELECT COUNT(*) FROM gatewatch_AccessRequest WHERE ReportedBy = ? AND Status = ?', gateway, status);
      assert.equal(value(e, M.accessRequests, { gateway, status }), expected, `${gateway}/${status}`);
    }
  const total = pick(e, M.accessRequests).reduce((n, s) => n + s.value, 0);
  assert.equal(total, count('SELECT COUNT(*) FROM gatewatch_AccessRequest'));
});

test('deprecated names: the same series as their replacement, HELP saying which to use', () => {
  for (const [old, replacement] of Object.entries(DEPRECATED)) {
    const now = pick(e, replacement!);
    assert.ok(now.length > 0, replacement);
    assert.deepEqual(pick(e, old).map((s) => [s.labels, s.value]), now.map((s) => [s.labels, s.value]), old);
    assert.match(e.text, new RegExp(`^# HELP ${old} DEPRECATED: use ${replacement} `, 'm'));
  }
  assert.equal(DEPRECATED[M.blockedAgentsDeprecated], M.accessRequests);
});

test('the process metrics: prom-client defaults under their standard names, the ones names.ts lists among them', () => {
  const defaults = defaultMetricNames();
  for (const name of Object.values(PROCESS)) {
    assert.ok(defaults.has(name), `${name} is a prom-client default metric`);
    assert.ok(pick(e, name).length > 0, `${name} is exported`);
  }
  assert.ok(value(e, PROCESS.residentMemory, {}) > 0, 'resident memory');
});

test('access_requests_by_status: the oldest pending entry per gateway, 0 where none is pending', () => {
  let pending = 0;
  for (const gateway of gatewayNames()) {
    const oldest = db.prepare("SELECT MIN(CreatedAt) FROM gatewatch_AccessRequest WHERE ReportedBy = ? AND Status = 'pending'").pluck().get(gateway) as string | null;
    const expected = oldest === null ? 0 : Date.parse(oldest) / 1000;
    if (oldest !== null) pending++;
    assert.equal(value(e, M.accessRequestOldestPending, { gateway }), expected, gateway);
  }
  assert.ok(pending > 0, 'the demo has a gateway with pending entries');
  assert.equal(pick(e, M.accessRequestOldestPending).length, gatewayNames().length, 'one series per gateway');
});

test('relays: each relay with its health figures', () => {
  const rows = db.prepare('SELECT * FROM gatewatch_Relay').all() as Record<string, number | string | null>[];
  assert.ok(rows.length > 0);
  for (const r of rows) {
    const relay = { relay: String(r.Name) };
    assert.equal(value(e, M.relayUp, relay), r.Online);
    assert.equal(value(e, M.relayLastPing, relay), r.LastPing === null ? 0 : Date.parse(String(r.LastPing)) / 1000);
    assert.equal(value(e, M.relayCacheFreeBytes, relay), r.CacheFreeBytes);
    assert.equal(value(e, M.relayCacheFolderValid, relay), r.CacheFolderValid);
    assert.equal(value(e, M.relayHttpServerErrors, relay), r.HttpServerErrors);
    assert.equal(value(e, M.relayClients, relay), r.ClientsServed);
  }
  assert.equal(pick(e, M.relayUp).length, rows.length);
});

test('agent_messages_by_component: both severities for every component seen', () => {
  const components = db.prepare('SELECT DISTINCT Component FROM gatewatch_AgentMessage').pluck().all() as string[];
  assert.ok(components.length > 0);
  assert.equal(pick(e, M.agentMessages).length, components.length * VALUES.severity.length);
  for (const component of components) {
    const n = (type: number) => count('SELECT COUNT(*) FROM gatewatch_AgentMessage WHERE Component = ? AND Type = ?', component, type);
    assert.equal(value(e, M.agentMessages, { component, severity: 'error' }), n(0), component);
    assert.equal(value(e, M.agentMessages, { component, severity: 'warning' }), n(1), component);
  }
});

test("the exporter's own series: up, every collector succeeded, the build", () => {
  assert.equal(value(e, M.up), 1);
  assert.equal(value(e, M.buildInfo, { version: VERSION }), 1);
  for (const collector of VALUES.collector) {
    assert.equal(value(e, M.collectorSuccess, { collector }), 1, collector);
    assert.ok(value(e, M.collectorLastSuccess, { collector }) > 0, collector);
    assert.ok(value(e, M.collectorDuration, { collector }) >= 0, collector);
  }
  assert.equal(pick(e, M.collectorSuccess).length, VALUES.collector.length);
});

test('every sample is a metric of the contract or a prom-client process metric, and no label carries a computer', () => {
  const names = new Set<string>(Object.values(M));
  const defaults = defaultMetricNames();
  const computers = new Set(db.prepare('SELECT Name FROM vComputer').pluck().all() as string[]);
  const labelNames = new Set<string>(Object.values(L));
  for (const s of e.samples) {
    const family = s.name.replace(/_(bucket|sum|count)$/, '');
    const isDefault = defaults.has(family);
    assert.ok(names.has(family) || isDefault, s.name);
    for (const [k, v] of Object.entries(s.labels)) {
      // The default metrics carry their own labels (version, kind, space); none names a computer either.
      assert.ok(labelNames.has(k) || k === 'le' || isDefault, `${s.name}: label ${k}`);
      assert.ok(!computers.has(v), `${s.name}: ${k}=${v} is a computer`);
    }
  }
});

test('metric help speaks the vendors\' language: never "seed", the verdict family names the three articles', () => {
  const help = [...e.text.matchAll(/^# HELP (\S+) (.*)$/gm)].map((m) => [m[1]!, m[2]!] as const);
  assert.ok(help.length > 20);
  for (const [name, text] of help) assert.doesNotMatch(text, /\bseeds?\b/i, name);
  const verdict = help.find(([name]) => name === M.agentsByVerdict)![1];
  for (const a of Object.values(ARTICLES)) assert.ok(verdict.includes(a.short), `${M.agentsByVerdict} cites ${a.short}: ${verdict}`);
});
