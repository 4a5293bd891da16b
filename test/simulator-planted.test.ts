// The planted cases survive the live simulator: over two simulated days (ticks driven with their own
// clock, five seconds apart and then ten minutes apart, CMDB rollbacks included) every diagnosis
// scenario agent keeps its verdict after every tick, every verdict has agents at the end, and the
// planted gateway problems still agree with every signal they touch.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { SCENARIOS } from '../src/demo/diagnosis.js';
import { buildDemoInventory } from '../src/demo/generate.js';
import { DemoSimulator } from '../src/demo/simulator.js';
import { FLEET_VERDICTS } from '../src/diagnosis/checks.js';
import { diagnoseByKeys, diagnosisTime, fleetVerdicts, type VerdictCount } from '../src/diagnosis/run.js';
import { openInventory, type Inventory } from '../src/inventory/index.js';
import { contradictions } from './helpers/demo-realism.js';

const T0 = new Date('2026-11-25T10:00:00.000Z').getTime();
const dir = mkdtempSync(join(tmpdir(), 'gatewatch-sim-planted-'));
const file = join(dir, 'demo.sqlite');
let inventory: Inventory | undefined;
let sim: DemoSimulator | undefined;
let db: Database.Database | undefined;
/** Scenario agents whose verdict changed, tick by tick. */
const drifted: string[] = [];
let ticks = 0;
let end = T0;
let fleet: VerdictCount[] = [];

before(async () => {
  await buildDemoInventory(file, { computers: 2000, seed: 7, now: new Date(T0) });
  db = new Database(file, { readonly: true });
  const planted = db.prepare('SELECT Guid FROM vComputer WHERE IsManaged = 1 ORDER BY rowid LIMIT ?').pluck().all(SCENARIOS.length) as string[];
  inventory = openInventory({ kind: 'sqlite', path: file });
  sim = new DemoSimulator(file, { seed: 3, rollbackEveryTicks: 60, log: () => {} });
  // Half an hour at the live interval, then two days in ten-minute steps.
  const steps = [...Array(360).fill(5_000), ...Array(288).fill(600_000)] as number[];
  for (const step of steps) {
    end += step;
    sim.tick(new Date(end));
    ticks++;
    const got = await diagnoseByKeys(inventory, 'Guid', planted, diagnosisTime(new Date(end)));
    for (const [i, s] of SCENARIOS.entries()) {
      const d = got.find((x) => x.guid === planted[i]);
      if (d?.verdict !== s.verdict) drifted.push(`tick ${ticks} (+${(end - T0) / 60_000} min): ${planted[i]} planted ${s.verdict}, now ${d?.verdict}: ${d?.summary}`);
    }
  }
  fleet = await fleetVerdicts(inventory, diagnosisTime(new Date(end)));
});
after(async () => {
  sim?.close();
  db?.close();
  await inventory?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('every scenario agent keeps its verdict after every tick of two simulated days', () => {
  assert.equal(ticks, 648);
  assert.deepEqual(drifted.slice(0, 10), [], `${drifted.length} drifts`);
});

test('after two simulated days every verdict has at least one agent', () => {
  assert.deepEqual(fleet.filter((f) => f.count < 1).map((f) => f.verdict), []);
  assert.deepEqual(fleet.map((f) => f.verdict), FLEET_VERDICTS);
  assert.ok(Number(db!.prepare('SELECT COUNT(*) FROM vComputer WHERE IsManaged = 0').pluck().get()) > 0, 'NOT_MANAGED: unmanaged computers');
});

test('after two simulated days the planted gateway problems still agree with every signal they touch', () => {
  assert.deepEqual(contradictions(db!, new Date(end)), []);
  // The simulator kept writing: agents roamed and reported, rollbacks were denied.
  const lastSuccess = String(db!.prepare('SELECT MAX([Last Success]) FROM Inv_AeX_AC_InternetGatewayDetails').pluck().get());
  assert.ok(lastSuccess > new Date(end - 600_000).toISOString(), lastSuccess);
  assert.ok(Number(db!.prepare(`SELECT COUNT(*) FROM gatewatch_Denial WHERE Reason = 'registration_not_found' AND DeniedAt > ?`).pluck().get(new Date(T0).toISOString())) > 0);
});

test('after two simulated days agents that get through still hold ephemeral certificates: they renew their own', () => {
  const at = new Date(end).toISOString();
  const dayAgo = new Date(end - 86_400_000).toISOString();
  const [lapsed, all] = ['AND a.ValidUntil < ?', ''].map((extra) => Number(db!.prepare(`SELECT COUNT(*) FROM gatewatch_AgentAuth a
    JOIN Inv_AeX_AC_InternetGatewayDetails g ON g._ResourceGuid = a._ResourceGuid AND g.[Current] = 1 AND g.[Last Success] >= ?
    WHERE a.AuthType <> 'permanent' ${extra}`).pluck().get(dayAgo, ...(extra ? [at] : []))));
  assert.ok(all! > 100, `${all} Internet agents with ephemeral certificates that got through in a day`);
  assert.ok(lapsed! < all! * 0.1, `${lapsed} of ${all} lapsed`);
});
