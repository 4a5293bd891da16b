// End to end through a real Prometheus: `gatewatch serve` exports the demo inventory on /metrics,
// Prometheus (scripts/ensure-tools.sh installs it) scrapes it every second and evaluates the committed
// dashboards/prometheus/alerts.yml, and the test drives the inventory itself with the demo simulator's
// scripted events (no --demo-live timer), asserting what Prometheus's HTTP API reports: series,
// values, and alerts going pending. Everything listens on 127.0.0.1 and dies with the test.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import * as F from '../src/demo/fleet.js';
import { buildDemoInventory } from '../src/demo/generate.js';
import { DemoSimulator } from '../src/demo/simulator.js';
import { M, VALUES } from '../src/metrics/names.js';
import { serve, type Served } from './helpers/cli.js';
import { killOnExit, startPrometheus, waitFor, type PromAlert, type Prometheus, type WaitOptions } from './helpers/prometheus.js';

const ALERTS_YML = fileURLToPath(new URL('../dashboards/prometheus/alerts.yml', import.meta.url));
const SPIKE = 'GatewatchBlockedAgentSpike';
const RELAY_OFFLINE = 'GatewatchRelayOffline';
/** A gateway in Troubleshooting mode, so its burst also shows on the Access Troubleshooting list. */
const GATEWAY = F.GATEWAYS.find((g) => g.troubleshootingMode)!.name;
const BURST = 80;
/** Safety net for each wait; Prometheus scrapes and evaluates every second. */
const WAIT: WaitOptions = { timeoutMs: 30_000, intervalMs: 250 };

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-prom-e2e-'));
const dbFile = join(dir, 'demo.sqlite');
let gatewatch: Served | undefined;
let prom: Prometheus | undefined;
let sim: DemoSimulator | undefined;

/** Both logs, for a failure message that says what the processes saw. */
const logs = () => `--- gatewatch serve ---\n${gatewatch?.output().slice(-4000) ?? ''}\n--- prometheus ---\n${prom?.log().slice(-8000) ?? ''}`;
const until = <T>(what: string, probe: () => Promise<T | undefined | false>) => waitFor(what, probe, { ...WAIT, context: logs });
const active = (a: PromAlert) => a.state === 'pending' || a.state === 'firing';

before(async () => {
  assert.ok(existsSync(ALERTS_YML), `${ALERTS_YML} is missing: it is generated from src/alerts/ and committed`);
  await buildDemoInventory(dbFile, { computers: 2000, seed: 1 });
  gatewatch = await serve(['--db', `sqlite:${dbFile}`, '--mode', 'demo', '--listen', '127.0.0.1:0', '--metrics-refresh-seconds', '1']);
  killOnExit(gatewatch.proc);
  const target = new URL(gatewatch.url).host;
  assert.match(target, /^127\.0\.0\.1:\d+$/, 'gatewatch serves on loopback');
  prom = await startPrometheus({ target, ruleFiles: [ALERTS_YML] });
  sim = new DemoSimulator(dbFile, { seed: 1, log: () => {} });
});

after(async () => {
  sim?.close();
  await prom?.stop();
  await gatewatch?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves once every rule group has been evaluated after this call, so on the data scraped by now. */
async function nextEvaluation(p: Prometheus): Promise<void> {
  const since = Date.now();
  await until('a rule evaluation after the last scrape', async () => {
    const groups = await p.ruleGroups();
    return groups.length > 0 && groups.every((g) => Date.parse(g.lastEvaluation) > since);
  });
}

test('Prometheus scrapes gatewatch serve: gatewatch_up is 1 and the contract metrics match the inventory', async () => {
  const p = prom!;
  const target = await p.waitTargetUp({ ...WAIT });
  assert.equal(target.scrapeUrl, `${gatewatch!.url}/metrics`);

  const up = await until(`${M.up} == 1`, async () => {
    const r = await p.query(`${M.up} == 1`);
    return r.length ? r : undefined;
  });
  assert.equal(up.length, 1);

  const db = new Database(dbFile, { readonly: true });
  try {
    const gateways = await p.query(M.gatewayOnline);
    assert.deepEqual(gateways.map((s) => s.labels.gateway).sort(), F.GATEWAYS.map((g) => g.name).sort(), 'one series per demo gateway');
    const relays = await p.query(M.relayUp);
    assert.deepEqual(relays.map((s) => s.labels.relay).sort(), [...F.RELAYS].sort(), 'one series per demo relay');
    const onlineRelays = Number(db.prepare('SELECT COUNT(*) FROM gatewatch_Relay WHERE Online = 1').pluck().get());
    assert.equal(relays.filter((s) => s.value === 1).length, onlineRelays);

    const [denials] = await p.query(`sum(${M.gatewayDenials})`);
    assert.equal(denials?.value, Number(db.prepare('SELECT COUNT(*) FROM gatewatch_Denial').pluck().get()), 'the denial counter is the rows recorded');
    const perReason = await p.query(`count(${M.gatewayDenials})`);
    assert.equal(perReason[0]?.value, F.GATEWAYS.length * VALUES.reason.length, 'every gateway × reason series exists, zeros included');

    const [computers] = await p.query(`sum(${M.computers})`);
    assert.ok(computers && computers.value > 0 && computers.value <= 2000, `managed computers: ${computers?.value}`);
  } finally {
    db.close();
  }

  const rules = (await p.ruleGroups()).flatMap((g) => g.rules);
  for (const name of [SPIKE, RELAY_OFFLINE]) {
    const r = rules.find((x) => x.name === name);
    assert.ok(r, `${name} is loaded from alerts.yml`);
    assert.notEqual(r.health, 'err', `${name}: ${r.lastError}`);
  }
});

test(`a CMDB-rollback burst of denials at one gateway makes ${SPIKE} pending for that gateway`, async () => {
  const p = prom!;
  // Quiet first: a few scrapes of the untouched inventory are in, and the rules have seen them.
  await until('three scrapes of gatewatch', async () => ((await p.query(`count_over_time(${M.up}[1m])`))[0]?.value ?? 0) >= 3);
  await nextEvaluation(p);
  assert.deepEqual((await p.alerts()).filter((a) => a.labels.alertname === SPIKE), [], 'no spike before the burst');

  assert.equal(sim!.rollbackBurst({ gateway: GATEWAY, agents: BURST }), BURST);

  const alert = await until(`${SPIKE} for ${GATEWAY}`, async () => (await p.alerts()).find((a) => a.labels.alertname === SPIKE && a.labels.gateway === GATEWAY && active(a)));
  assert.ok(['pending', 'firing'].includes(alert.state));
  assert.equal(alert.labels.severity, 'critical');
  // increase() over the burst: at least the denials added (extrapolation only adds).
  assert.ok(Number(alert.value) >= BURST, `alert value ${alert.value}`);
  const others = (await p.alerts()).filter((a) => a.labels.alertname === SPIKE && a.labels.gateway !== GATEWAY);
  assert.deepEqual(others, [], 'only the gateway with the burst');
});

test(`a relay going offline makes ${RELAY_OFFLINE} pending for it, and coming back clears it`, async () => {
  const p = prom!;
  const up = await p.query(`${M.relayUp} == 1`);
  const relay = up.map((s) => s.labels.relay!).sort()[0];
  assert.ok(relay, 'an online relay in the demo');
  const alerted = async () => (await p.alerts()).filter((a) => a.labels.alertname === RELAY_OFFLINE && active(a)).map((a) => a.labels.relay).sort();
  const earlier = await alerted();
  assert.ok(!earlier.includes(relay));

  sim!.setRelayOnline(relay, false);
  const alert = await until(`${RELAY_OFFLINE} for ${relay}`, async () => (await p.alerts()).find((a) => a.labels.alertname === RELAY_OFFLINE && a.labels.relay === relay && active(a)));
  assert.ok(['pending', 'firing'].includes(alert.state));
  assert.deepEqual(await alerted(), [...earlier, relay].sort(), 'only that relay is new');

  sim!.setRelayOnline(relay, true);
  await until(`${RELAY_OFFLINE} for ${relay} to clear`, async () => !(await alerted()).includes(relay));
});

test('GatewatchEphemeralAuthDisabled goes pending for the demo gateway refusing ephemeral certificates, and no other', async () => {
  const p = prom!;
  const refusing = F.GATEWAYS.filter((g) => g.ephemeralAuth === false).map((g) => g.name);
  assert.ok(refusing.length > 0, 'the demo plants a gateway with ephemeral auth off');
  const alerted = async () => (await p.alerts()).filter((a) => a.labels.alertname === 'GatewatchEphemeralAuthDisabled' && active(a)).map((a) => a.labels.gateway!).sort();
  const got = await until('GatewatchEphemeralAuthDisabled for the planted gateway', async () => {
    const names = await alerted();
    return names.length > 0 && names;
  });
  assert.deepEqual(got, [...refusing].sort());
});
