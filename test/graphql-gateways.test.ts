// Every query of the GraphQL API over real HTTP against a demo inventory, checked against the
// demo file itself (read directly with SQL), not against what the resolvers happen to return.
// Gateways, the Access Troubleshooting list, relays and agent messages.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { DEMO_NOW, demoFixture, ok, sqlReader, startApi } from './helpers/graphql.js';

const fx = demoFixture('graphql-gateways');
const num = (q: string, ...args: unknown[]) => fx.sql.num(q, ...args);
const rows = <T>(q: string, ...args: unknown[]) => fx.sql.rows<T>(q, ...args);

describe('gateways', () => {
  const FIELDS = `name port version online registered troubleshootingMode ephemeralAuthEnabled authFailures brokerHealthy assignedComputers
    connections { level count } brokerConnections { core count healthy } denials { total byReason { reason count } }`;

  test('every gateway with its connection table, broker connections, load and denials', async () => {
    const d = ok(await fx.api.gql(`{ gateways { ${FIELDS} } }`));
    const gws = rows<Record<string, any>>('SELECT * FROM gatewatch_Gateway ORDER BY Name');
    assert.deepEqual(d.gateways.map((g: any) => g.name), gws.map((g) => g.Name));
    for (const [i, g] of d.gateways.entries()) {
      const r = gws[i]!;
      assert.deepEqual([g.port, g.version, g.online, g.registered, g.troubleshootingMode, g.ephemeralAuthEnabled, g.authFailures],
        [r.Port, r.Version, r.Online === 1, r.Registered === 1, r.TroubleshootingMode === 1, r.EphemeralAuthEnabled === 1, r.AuthFailures]);
      assert.deepEqual(g.connections.map((c: any) => c.level), ['BROKER', 'CLIENT', 'ADMIN', 'CONSOLE', 'UNPRIVILEGED']);
      assert.equal(g.connections[0].count, num("SELECT Connections FROM gatewatch_GatewayConnection WHERE Gateway = ? AND Level = 'broker'", g.name));
      assert.deepEqual(g.brokerConnections, rows<any>('SELECT Core AS core, Connections AS count, Connections >= 5 AS healthy FROM gatewatch_BrokerConnection WHERE Gateway = ? ORDER BY Core', g.name).map((b) => ({ ...b, healthy: b.healthy === 1 })));
      assert.equal(g.brokerHealthy, g.brokerConnections.every((b: any) => b.healthy));
      assert.equal(g.assignedComputers, num('SELECT COUNT(*) FROM vComputer vc JOIN Inv_AeX_AC_InternetGatewayDetails gw ON gw._ResourceGuid = vc.Guid AND gw.Current = 1 WHERE vc.IsManaged = 1 AND gw.Gateway = ?', g.name));
      assert.equal(g.denials.total, num('SELECT COUNT(*) FROM gatewatch_Denial WHERE Gateway = ?', g.name));
      assert.equal(g.denials.byReason.length, 5);
      for (const b of g.denials.byReason) assert.equal(b.count, num('SELECT COUNT(*) FROM gatewatch_Denial WHERE Gateway = ? AND Reason = ?', g.name, b.reason.toLowerCase()));
    }
  });

  test('denials since: each alias with its own since', async () => {
    const since = new Date(DEMO_NOW.getTime() - 6 * 3600_000).toISOString();
    const d = ok(await fx.api.gql('query($s: DateTime) { gateways { name all: denials { total } recent: denials(since: $s) { total } } }', { s: since }));
    for (const g of d.gateways) {
      assert.equal(g.recent.total, num('SELECT COUNT(*) FROM gatewatch_Denial WHERE Gateway = ? AND DeniedAt >= ?', g.name, since));
      assert.ok(g.recent.total < g.all.total);
    }
  });

  test('gateway(name): one, or NOT_FOUND (test/graphql-names.test.ts has the rest)', async () => {
    const d = ok(await fx.api.gql('{ gateway(name: "igw-ams-01.corp.example") { name troubleshootingMode } }'));
    assert.deepEqual(d, { gateway: { name: 'igw-ams-01.corp.example', troubleshootingMode: true } });
    const r = await fx.api.gql('{ none: gateway(name: "nope") { name } }');
    assert.deepEqual([r.data, r.errors?.map((e) => e.extensions?.code)], [{ none: null }, ['NOT_FOUND']]);
  });
});

describe('blockedAgents', () => {
  test('newest first, with the registered computer or null when its registration was lost', async () => {
    const d = ok(await fx.api.gql('{ blockedAgents(first: 100) { totalCount nodes { id agentName createdAt status reason reportedBy computer { guid name } gateway { name } } } }'));
    const expected = rows<Record<string, any>>('SELECT * FROM gatewatch_AccessRequest ORDER BY CreatedAt DESC, Id DESC');
    assert.equal(d.blockedAgents.totalCount, expected.length);
    assert.deepEqual(d.blockedAgents.nodes.map((n: any) => [n.id, n.agentName, n.createdAt, n.status, n.reason, n.reportedBy, n.computer?.guid ?? null, n.gateway.name]),
      expected.map((r) => [String(r.Id), r.AgentName, r.CreatedAt, r.Status.toUpperCase(), r.Reason.toUpperCase(), r.ReportedBy, r._ResourceGuid, r.ReportedBy]));
    assert.ok(d.blockedAgents.nodes.some((n: any) => n.computer === null));
    assert.ok(d.blockedAgents.nodes.filter((n: any) => n.computer).every((n: any) => n.computer.name === n.agentName));
  });

  test('filters: status, gateway, since', async () => {
    const since = new Date(DEMO_NOW.getTime() - 24 * 3600_000).toISOString();
    const d = ok(await fx.api.gql(`query($s: DateTime) {
      p: blockedAgents(filter: { status: PENDING }) { totalCount nodes { status } }
      g: blockedAgents(filter: { gateway: "igw-sgp-01.corp.example" }) { totalCount }
      s: blockedAgents(filter: { since: $s, status: BLOCKED }) { totalCount } }`, { s: since }));
    assert.equal(d.p.totalCount, num("SELECT COUNT(*) FROM gatewatch_AccessRequest WHERE Status = 'pending'"));
    assert.ok(d.p.nodes.every((n: any) => n.status === 'PENDING'));
    assert.equal(d.g.totalCount, num("SELECT COUNT(*) FROM gatewatch_AccessRequest WHERE ReportedBy = 'igw-sgp-01.corp.example'"));
    assert.equal(d.s.totalCount, num("SELECT COUNT(*) FROM gatewatch_AccessRequest WHERE Status = 'blocked' AND CreatedAt >= ?", since));
  });
});

describe('relays', () => {
  test('health per relay, messages, ping age', async () => {
    const before = Date.now();
    const d = ok(await fx.api.gql(`{ relays { name online lastPing lastPingAgeSeconds cacheFolderValid cacheFreeBytes cacheDiskLow
      httpServerErrors clientsServed healthy messages { id severity component text computer } } }`));
    const after = Date.now();
    const expected = rows<Record<string, any>>('SELECT * FROM gatewatch_Relay ORDER BY Name');
    assert.deepEqual(d.relays.map((r: any) => r.name), expected.map((r) => r.Name));
    for (const [i, r] of d.relays.entries()) {
      const e = expected[i]!;
      assert.deepEqual([r.online, r.lastPing, r.cacheFolderValid, r.cacheFreeBytes, r.httpServerErrors, r.clientsServed],
        [e.Online === 1, e.LastPing, e.CacheFolderValid === 1, e.CacheFreeBytes, e.HttpServerErrors, e.ClientsServed]);
      assert.equal(r.cacheDiskLow, e.CacheFreeBytes < 2 * 1024 ** 3);
      const age = (t: number) => Math.max(0, Math.floor((t - Date.parse(e.LastPing)) / 1000));
      assert.ok(r.lastPingAgeSeconds >= age(before) && r.lastPingAgeSeconds <= age(after), `${r.name} ping age`);
      assert.equal(r.messages.length, num('SELECT COUNT(*) FROM gatewatch_AgentMessage WHERE Computer = ?', r.name));
    }
    const low = d.relays.find((r: any) => r.name === 'RELAY-SGP-02');
    assert.deepEqual([low.cacheDiskLow, low.healthy, low.messages[0].severity], [true, false, 'WARNING']);
    const apache = d.relays.find((r: any) => r.name === 'RELAY-NYC-03');
    assert.deepEqual([apache.httpServerErrors > 0, apache.healthy, apache.messages[0].severity], [true, false, 'ERROR']);
    // Also planted for the diagnosis: one relay offline, one without its cache folder.
    assert.deepEqual(d.relays.filter((r: any) => !r.healthy).map((r: any) => r.name).sort(), ['RELAY-AMS-03', 'RELAY-LON-02', 'RELAY-NYC-03', 'RELAY-SGP-02']);
  });

  test('filter and relay(name)', async () => {
    const d = ok(await fx.api.gql('{ nyc: relays(filter: { nameContains: "nyc", online: true }) { name } off: relays(filter: { online: false }) { name } one: relay(name: "RELAY-LON-02") { name } none: relay(name: "X") { name } }'));
    assert.deepEqual(d.nyc.map((r: any) => r.name), ['RELAY-NYC-01', 'RELAY-NYC-02', 'RELAY-NYC-03']);
    assert.deepEqual(d.off, [{ name: 'RELAY-LON-02' }]);
    assert.deepEqual([d.one, d.none], [{ name: 'RELAY-LON-02' }, null]);
  });
});

test('agentMessages: newest first, every filter', async () => {
  const d = ok(await fx.api.gql('{ agentMessages(first: 1000) { totalCount nodes { id messageTypeId component priority severity computer text raisedAt } } }'));
  const expected = rows<Record<string, any>>('SELECT * FROM gatewatch_AgentMessage ORDER BY RaisedAt DESC, Id DESC');
  assert.equal(d.agentMessages.totalCount, expected.length);
  assert.deepEqual(d.agentMessages.nodes.map((n: any) => [n.id, n.messageTypeId, n.component, n.priority, n.severity, n.computer, n.text, n.raisedAt]),
    expected.map((r) => [String(r.Id), r.MessageTypeId, r.Component, r.Priority, r.Type === 0 ? 'ERROR' : 'WARNING', r.Computer, r.Text, r.RaisedAt]));
  const since = new Date(DEMO_NOW.getTime() - 2 * 86400_000).toISOString();
  const [m] = expected.filter((r) => r.Component === 'Update.exe');
  const f = ok(await fx.api.gql(`query($s: DateTime, $c: String) {
    w: agentMessages(filter: { severity: WARNING }) { totalCount }
    c: agentMessages(filter: { component: "Update.exe", severity: ERROR, since: $s }) { totalCount }
    p: agentMessages(filter: { computer: $c }) { nodes { computer } } }`, { s: since, c: m!.Computer }));
  assert.equal(f.w.totalCount, num('SELECT COUNT(*) FROM gatewatch_AgentMessage WHERE Type = 1'));
  assert.equal(f.c.totalCount, num("SELECT COUNT(*) FROM gatewatch_AgentMessage WHERE Type = 0 AND Component = 'Update.exe' AND RaisedAt >= ?", since));
  assert.equal(f.p.nodes.length, num('SELECT COUNT(*) FROM gatewatch_AgentMessage WHERE Computer = ?', m!.Computer));
  assert.ok(f.p.nodes.every((n: any) => n.computer === m!.Computer));
});

test('gateways and relays come back in the database\'s order by name (ORDER BY, one statement each)', async () => {
  // Names whose order depends on the collation: the list must agree with the database (as the
  // keyset-paged lists do), not with JavaScript's localeCompare.
  const copy = join(fx.dir, 'order.sqlite');
  copyFileSync(fx.path, copy);
  const rw = new Database(copy);
  rw.prepare('INSERT INTO gatewatch_Gateway (Name, Port, Version, Online, Registered, TroubleshootingMode, EphemeralAuthEnabled, AuthFailures) VALUES (?, 443, ?, 1, 1, 0, 1, 0)')
    .run('IGW-ZRH-01.CORP.EXAMPLE', '8.8.1');
  rw.prepare('INSERT INTO gatewatch_Relay (Name, Online, LastPing, CacheFolderValid, CacheFreeBytes, HttpServerErrors, ClientsServed) VALUES (?, 1, NULL, 1, ?, 0, 0)')
    .run('relay-aaa-01', 10 * 1024 ** 3);
  rw.close();
  const api = await startApi(copy);
  const db = sqlReader(copy);
  try {
    const names = (sql: string) => db.rows<{ Name: string }>(sql).map((r) => r.Name);
    const g = await api.gql('{ gateways(live: true) { name } }');
    assert.deepEqual(ok(g).gateways.map((x: any) => x.name), names('SELECT Name FROM gatewatch_Gateway ORDER BY Name'));
    assert.equal(g.extensions?.sqlStatements, 1);
    const r = await api.gql('{ relays { name } }');
    assert.deepEqual(ok(r).relays.map((x: any) => x.name), names('SELECT Name FROM gatewatch_Relay ORDER BY Name'));
    assert.equal(r.extensions?.sqlStatements, 1);
    const some = ok(await api.gql('{ relays(filter: { nameContains: "a" }) { name } }')).relays.map((x: any) => x.name);
    assert.deepEqual(some, names("SELECT Name FROM gatewatch_Relay WHERE Name LIKE '%a%' ORDER BY Name"));
  } finally {
    db.close();
    await api.close();
  }
});
