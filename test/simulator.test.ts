// The live simulator: its ticks keep the inventory's invariants, its scripted events (CMDB rollback,
// relay outage, broken broker) show up where the datasets look, and its timer never throws.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { PLANTED_SQL } from '../src/demo/diagnosis.js';
import * as F from '../src/demo/fleet.js';
import { buildDemoInventory } from '../src/demo/generate.js';
import type { TickReport } from '../src/demo/sim-state.js';
import { DemoSimulator } from '../src/demo/simulator.js';

const T0 = new Date('2026-11-25T10:00:00.000Z').getTime();
const at = (ms: number) => new Date(T0 + ms);
const dir = mkdtempSync(join(tmpdir(), 'gatewatch-sim-'));
const base = join(dir, 'base.sqlite');
let copies = 0;
const open: { sim: DemoSimulator; db: Database.Database }[] = [];

before(async () => {
  await buildDemoInventory(base, { computers: 2000, seed: 11, now: at(0) });
});
after(() => {
  for (const o of open) {
    o.sim.close();
    o.db.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A simulator on a fresh copy of the demo, and a reader on the same file. */
function fresh(opts: ConstructorParameters<typeof DemoSimulator>[1] = {}) {
  const file = join(dir, `copy-${++copies}.sqlite`);
  copyFileSync(base, file);
  const o = { file, sim: new DemoSimulator(file, { seed: 1, rollbackEveryTicks: 0, log: () => {}, ...opts }), db: new Database(file, { readonly: true }) };
  open.push(o);
  const count = (sql: string, ...args: unknown[]) => Number(o.db.prepare(sql).pluck().get(...args));
  return { ...o, count };
}

function ticks(sim: DemoSimulator, n: number, from = 0, stepMs = 5000): TickReport[] {
  return Array.from({ length: n }, (_, i) => sim.tick(at(from + (i + 1) * stepMs)));
}

const digest = (db: Database.Database) =>
  createHash('sha256')
    .update(JSON.stringify(['vComputer', 'Inv_AeX_AC_Network_Zone', 'Inv_AeX_AC_InternetGatewayDetails', 'gatewatch_GatewayConnection', 'gatewatch_BrokerConnection', 'gatewatch_Gateway', 'gatewatch_Denial', 'gatewatch_AccessRequest', 'gatewatch_Relay', 'gatewatch_AgentMessage'].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).raw().all())))
    .digest('hex');

test('ticks move agents and keep one current gateway per Internet agent and broker = sum of cores', () => {
  const { sim, count, db } = fresh();
  const reports = ticks(sim, 40);
  assert.ok(reports.every((r) => r.toInternet + r.toLan >= 10 && r.toInternet + r.toLan <= 20), 'about 0.5-1% of 2,000 agents a tick');
  assert.ok(reports.some((r) => r.lastSuccessRefreshed > 0));
  assert.equal(count(`SELECT COUNT(*) FROM Inv_AeX_AC_Network_Zone nz WHERE nz.IsOnInternet = 1 AND nz._ResourceGuid NOT IN (${PLANTED_SQL}) AND (SELECT COUNT(*) FROM Inv_AeX_AC_InternetGatewayDetails g WHERE g._ResourceGuid = nz._ResourceGuid AND g.[Current] = 1) <> 1`), 0);
  assert.equal(count(`SELECT COUNT(*) FROM Inv_AeX_AC_Network_Zone nz JOIN Inv_AeX_AC_InternetGatewayDetails g ON g._ResourceGuid = nz._ResourceGuid WHERE nz.IsOnInternet = 0 AND g.[Current] = 1`), 0);
  assert.equal(count('SELECT COUNT(*) FROM Inv_AeX_AC_Network_Zone WHERE IsOnInternet = 1 AND InternetModeSupported = 0'), 0);
  const share = count('SELECT AVG(IsOnInternet) FROM Inv_AeX_AC_Network_Zone');
  assert.ok(share >= 0.2 && share <= 0.3, `Internet share drifted to ${share}`);
  assert.equal(count(`SELECT COUNT(*) FROM gatewatch_GatewayConnection c WHERE c.Level = 'broker' AND c.Connections <> (SELECT SUM(b.Connections) FROM gatewatch_BrokerConnection b WHERE b.Gateway = c.Gateway)`), 0);
  assert.ok(reports.some((r) => r.brokerChanged > 0));
  assert.equal(db.prepare('SELECT MAX([Last Success]) FROM Inv_AeX_AC_InternetGatewayDetails').pluck().get(), at(40 * 5000).toISOString());
  assert.ok(reports.reduce((s, r) => s + r.denials, 0) > 0);
});

test('the same seed replays the same ticks; another seed does not', () => {
  const a = fresh({ seed: 9 });
  const b = fresh({ seed: 9 });
  const c = fresh({ seed: 10 });
  for (const s of [a, b, c]) {
    ticks(s.sim, 15);
    s.sim.rollbackBurst({ now: at(80_000) });
  }
  assert.equal(digest(a.db), digest(b.db));
  assert.notEqual(digest(a.db), digest(c.db));
});

test('a CMDB rollback burst reaches the Access Troubleshooting list only from a gateway in Troubleshooting mode', () => {
  const { sim, count } = fresh();
  const [on, off] = [F.GATEWAYS.find((g) => g.troubleshootingMode)!.name, F.GATEWAYS.find((g) => !g.troubleshootingMode)!.name];
  const denials = (gw: string) => count(`SELECT COUNT(*) FROM gatewatch_Denial WHERE Gateway = ? AND Reason = 'registration_not_found'`, gw);
  const pending = (gw: string) => count(`SELECT COUNT(*) FROM gatewatch_AccessRequest WHERE ReportedBy = ? AND Status = 'pending'`, gw);
  const failures = (gw: string) => count('SELECT AuthFailures FROM gatewatch_Gateway WHERE Name = ?', gw);
  const before = { on: denials(on), off: denials(off), pendingOn: pending(on), pendingOff: pending(off), failuresOff: failures(off), all: count('SELECT COUNT(*) FROM gatewatch_AccessRequest') };

  assert.equal(sim.rollbackBurst({ gateway: off, agents: 50, now: at(1000) }), 50);
  assert.equal(denials(off), before.off + 50);
  assert.equal(count('SELECT COUNT(*) FROM gatewatch_AccessRequest'), before.all, 'no troubleshooting mode: nothing reported');
  assert.equal(failures(off), before.failuresOff + 50);

  assert.equal(sim.rollbackBurst({ gateway: on, agents: 40, now: at(2000) }), 40);
  assert.equal(denials(on), before.on + 40);
  const added = pending(on) - before.pendingOn;
  assert.ok(added > 30 && added <= 40, `${added} new pending requests`);
  assert.equal(pending(off), before.pendingOff);
  assert.ok(count(`SELECT COUNT(*) FROM gatewatch_AccessRequest WHERE ReportedBy = ? AND CreatedAt >= ? AND _ResourceGuid IS NULL`, on, at(0).toISOString()) > 0);
  assert.equal(count(`SELECT COUNT(*) FROM gatewatch_AccessRequest r WHERE r._ResourceGuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM vComputer vc WHERE vc.Guid = r._ResourceGuid AND vc.Name = r.AgentName)`), 0);
  assert.throws(() => sim.rollbackBurst({ gateway: 'igw-nowhere' }), /unknown gateway/);
});

test('scheduled rollbacks come every rollbackEveryTicks with 30-80 denials', () => {
  const { sim } = fresh({ rollbackEveryTicks: 4 });
  const bursts = ticks(sim, 12).map((r) => r.rollbackDenials);
  assert.deepEqual(bursts.map((n) => n > 0), [false, false, false, true, false, false, false, true, false, false, false, true]);
  assert.ok(bursts.filter((n) => n > 0).every((n) => n >= 30 && n <= 80));
});

test('setRelayOnline: an offline relay stops pinging and posts "Relay agent is offline" until it is back', () => {
  const { sim, count, db } = fresh();
  const relay = 'RELAY-AMS-02';
  const ping = () => db.prepare('SELECT LastPing FROM gatewatch_Relay WHERE Name = ?').pluck().get(relay) as string;
  const offlineMessages = () => count('SELECT COUNT(*) FROM gatewatch_AgentMessage WHERE Computer = ? AND MessageTypeId = ?', relay, F.MESSAGES.relayOffline.id);
  sim.setRelayOnline(relay, false, at(0));
  assert.equal(count('SELECT Online FROM gatewatch_Relay WHERE Name = ?', relay), 0);
  assert.equal(offlineMessages(), 1);
  const frozen = ping();
  ticks(sim, 3, 0, 15 * 60_000); // 45 minutes: two ping rounds missed
  assert.equal(ping(), frozen);
  assert.equal(count('SELECT Online FROM gatewatch_Relay WHERE Name = ?', relay), 0, 'a manual outage lasts until ended');
  assert.ok(count(`SELECT COUNT(*) FROM gatewatch_AgentMessage WHERE Text LIKE ?`, `%Relay ${relay}:%`) > 0, 'its agents complain');
  const since = at(-F.RELAY_PING_MS + 45 * 60_000).toISOString();
  assert.equal(count('SELECT COUNT(*) FROM gatewatch_Relay WHERE Online = 1 AND LastPing <= ?', since), 0, 'the others keep their 20-minute pings');

  sim.setRelayOnline(relay, true, at(50 * 60_000));
  assert.equal(count('SELECT Online FROM gatewatch_Relay WHERE Name = ?', relay), 1);
  assert.equal(ping(), at(50 * 60_000).toISOString());
  assert.equal(offlineMessages(), 0);
  assert.equal(count(`SELECT COUNT(*) FROM gatewatch_AgentMessage WHERE Text LIKE ?`, `%Relay ${relay}:%`), 0);
  assert.throws(() => sim.setRelayOnline('RELAY-NOWHERE', false), /unknown relay/);
});

test('setBrokerConnections holds a core below 5 and the broker level follows', () => {
  const { sim, count } = fresh();
  const gw = 'igw-sgp-01.corp.example';
  sim.setBrokerConnections(gw, 'NS-CORE-02', 2);
  const reports = ticks(sim, 10);
  assert.equal(count('SELECT Connections FROM gatewatch_BrokerConnection WHERE Gateway = ? AND Core = ?', gw, 'NS-CORE-02'), 2);
  assert.ok(reports.every((r) => r.brokerDegraded.includes(`${gw}/NS-CORE-02`)));
  assert.equal(count(`SELECT Connections FROM gatewatch_GatewayConnection WHERE Gateway = ? AND Level = 'broker'`, gw), count('SELECT SUM(Connections) FROM gatewatch_BrokerConnection WHERE Gateway = ?', gw));
  assert.throws(() => sim.setBrokerConnections(gw, 'NS-CORE-09', 5), /no broker connections/);
});

test('over an hour of ticks relays fail and recover on their own, a broker pair dips and recovers, denials only ever grow', () => {
  const { sim, count, db, file } = fresh({ seed: 4 });
  const writer = new Database(file);
  writer.prepare(`INSERT INTO gatewatch_Denial (Id, Gateway, AgentName, Reason, DeniedAt) VALUES (999999, ?, 'OLD', 'time_skew', ?)`).run(F.GATEWAYS[0]!.name, at(-8 * 86_400_000).toISOString());
  writer.close();
  // The exporter turns the row count into a counter: a deleted denial would read as a counter reset.
  let denials = count('SELECT COUNT(*) FROM gatewatch_Denial');
  const complaining = () => count(`SELECT COUNT(DISTINCT Computer) FROM gatewatch_AgentMessage WHERE Type = 0 AND Computer NOT LIKE 'RELAY-%'`);
  const complainingBefore = complaining();
  const reports = Array.from({ length: 720 }, (_, i) => {
    const [r] = ticks(sim, 1, i * 5000);
    const now = count('SELECT COUNT(*) FROM gatewatch_Denial');
    assert.ok(now >= denials, `denials went from ${denials} to ${now}`);
    denials = now;
    return r!;
  });
  assert.equal(count(`SELECT COUNT(*) FROM gatewatch_Denial WHERE AgentName = 'OLD'`), 1);
  const down = reports.findIndex((r) => r.relaysOffline.length > 0);
  assert.ok(down >= 0, 'a relay went offline');
  const relay = reports[down]!.relaysOffline[0]!;
  assert.ok(reports.slice(down).some((r) => r.relaysOnline.includes(relay)), `${relay} came back`);
  const dip = reports.findIndex((r) => r.brokerDegraded.length > 0);
  assert.ok(dip >= 0, 'a broker pair dipped below 5');
  assert.ok(reports.slice(dip).some((r) => r.brokerDegraded.length === 0), 'and recovered');
  assert.equal(count('SELECT COUNT(*) FROM gatewatch_BrokerConnection WHERE Connections > 8'), 0);
  // The demo's planted offline relay stays down; at most one other is down at a time.
  assert.ok(count(`SELECT COUNT(*) FROM gatewatch_Relay WHERE Online = 1`) >= 10);
  // Complaints about a relay the simulator took down clear when it is back; the planted dead relay
  // adds none, or every agent would carry an error within a day.
  assert.ok(complaining() < complainingBefore + 100, `agents with errors: ${complainingBefore} -> ${complaining()}`);
  assert.ok(db.open);
});

// The timer tests drive setInterval and Date with node:test's mock timers: every interval is one
// synchronous tick, so they count ticks and log lines instead of sleeping and hoping the timer ran.
const INTERVAL = 10;

/** Mocks setInterval and Date for this test (undone when it ends), starting the clock at `now`. */
function mockClock(t: TestContext, now: number) {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'], now });
  return (intervals: number) => t.mock.timers.tick(intervals * INTERVAL);
}

test('the timer logs a failing tick and keeps going: the process never crashes', (t) => {
  const lines: string[] = [];
  const elapse = mockClock(t, T0);
  const { sim, file } = fresh({ intervalMs: INTERVAL, log: (l) => lines.push(l) });
  const tick = t.mock.method(sim, 'tick');
  const failed = () => lines.filter((l) => /tick failed/.test(l));
  sim.start();
  elapse(6); // a throw out of the timer's callback would surface here and fail the test
  assert.equal(tick.mock.callCount(), 6);
  assert.deepEqual(failed(), []);
  const dropper = new Database(file);
  dropper.exec('DROP TABLE gatewatch_Relay');
  dropper.close();
  elapse(8);
  assert.equal(tick.mock.callCount(), 14, 'the timer keeps ticking after a failure');
  assert.ok(lines.some((l) => /tick failed.*no such table: gatewatch_Relay/.test(l)), lines.join('\n'));
  assert.equal(failed().length, 1, 'the same failure is logged once');
  // A database closed under the running timer is just another failing tick.
  (sim as unknown as { db: Database.Database }).db.close();
  elapse(5);
  assert.equal(tick.mock.callCount(), 19);
  assert.ok(lines.some((l) => /tick failed.*not open/.test(l)), lines.join('\n'));
  assert.equal(failed().length, 2, 'one line per distinct failure');
  sim.stop();
  elapse(5);
  assert.equal(tick.mock.callCount(), 19, 'stop() ends the ticks');
});

test('a simulator on a file that is not there yet fails its ticks quietly and starts once it appears', (t) => {
  const lines: string[] = [];
  const file = join(dir, 'later.sqlite');
  const elapse = mockClock(t, T0 + 3_600_000);
  const sim = new DemoSimulator(file, { intervalMs: INTERVAL, log: (l) => lines.push(l) });
  const tick = t.mock.method(sim, 'tick');
  sim.start();
  elapse(5);
  assert.equal(tick.mock.callCount(), 5);
  assert.equal(lines.filter((l) => /tick failed/.test(l)).length, 1, 'the missing file is logged, once');
  copyFileSync(base, file);
  const appeared = new Date().toISOString();
  elapse(8);
  assert.equal(tick.mock.callCount(), 13);
  assert.equal(lines.filter((l) => /tick failed/.test(l)).length, 1, 'no failures once the file exists');
  const last = new Date().toISOString(); // the mocked clock: the time of the last tick
  sim.close();
  const db = new Database(file, { readonly: true });
  const moved = db.prepare(`SELECT COUNT(*) FROM Inv_AeX_AC_InternetGatewayDetails WHERE [Last Success] > ?`).pluck().get(at(0).toISOString());
  const latest = String(db.prepare(`SELECT MAX([Last Success]) FROM Inv_AeX_AC_InternetGatewayDetails`).pluck().get());
  db.close();
  assert.ok(Number(moved) > 0, 'ticks ran against the file once it existed');
  assert.ok(latest > appeared && latest <= last, `the latest success ${latest} is from a tick after the file appeared`);
  assert.throws(() => sim.tick(), /closed/);
});

test('the simulator refuses to write to a SQLite file that is not a gatewatch demo', () => {
  const file = join(dir, 'foreign.sqlite');
  copyFileSync(base, file);
  const w = new Database(file);
  w.pragma('application_id = 0');
  const before = w.prepare('SELECT COUNT(*) FROM gatewatch_Denial').pluck().get();
  const sim = new DemoSimulator(file, { seed: 1, log: () => {} });
  assert.throws(() => sim.tick(at(5_000)), /not a gatewatch demo inventory/);
  assert.throws(() => sim.rollbackBurst({ now: at(5_000) }), /not a gatewatch demo inventory/);
  assert.equal(w.prepare('SELECT COUNT(*) FROM gatewatch_Denial').pluck().get(), before, 'nothing written');
  sim.close();
  w.close();
});
