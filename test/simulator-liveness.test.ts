// The simulator's liveness step: agents keep reporting (ResourceUpdateSummary rows move to the tick's
// time), some drift into silence on their own and some silent ones come back, agents denied in a
// rollback burst stay silent, and a seed replays the same reports.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { buildDemoInventory } from '../src/demo/generate.js';
import { DemoSimulator } from '../src/demo/simulator.js';
import { livenessCutoffs, stateOf, type ReportingState } from '../src/inventory/liveness.js';

const T0 = new Date('2026-11-25T10:00:00.000Z').getTime();
const HOUR = 3_600_000;
const at = (ms: number) => new Date(T0 + ms);
const dir = mkdtempSync(join(tmpdir(), 'gatewatch-sim-liveness-'));
const base = join(dir, 'base.sqlite');
const open: { sim: DemoSimulator; db: Database.Database }[] = [];
let copies = 0;

before(async () => {
  await buildDemoInventory(base, { computers: 2000, seed: 11, now: at(0) });
});
after(() => {
  for (const o of open) (o.sim.close(), o.db.close());
  rmSync(dir, { recursive: true, force: true });
});

function fresh(seed = 1) {
  const file = join(dir, `copy-${++copies}.sqlite`);
  copyFileSync(base, file);
  const o = { sim: new DemoSimulator(file, { seed, rollbackEveryTicks: 0, log: () => {} }), db: new Database(file, { readonly: true }) };
  open.push(o);
  return o;
}

/** Each managed computer's state at `now`, read straight from ResourceUpdateSummary. */
function states(db: Database.Database, now: Date): Map<string, ReportingState> {
  const c = livenessCutoffs(now);
  const rows = db.prepare('SELECT vc.Guid AS g, (SELECT MAX(ModifiedDate) FROM ResourceUpdateSummary r WHERE r.ResourceGuid = vc.Guid) AS l FROM vComputer vc WHERE vc.IsManaged = 1').all() as { g: string; l: string | null }[];
  return new Map(rows.map((r) => [r.g, stateOf(r.l === null ? null : new Date(r.l), c)]));
}

test('over two days of hourly ticks agents keep reporting, some go silent and some come back', () => {
  const { sim, db } = fresh();
  const start = states(db, at(0));
  const reports = Array.from({ length: 48 }, (_, i) => sim.tick(at((i + 1) * HOUR)));
  const end = states(db, at(48 * HOUR));
  // About 2,000 agents × 1 h / 4 h a tick; the first tick has no previous one to measure from.
  assert.ok(reports.slice(1).every((r) => r.reports > 300 && r.reports < 600), JSON.stringify(reports.map((r) => r.reports)));
  assert.ok(reports.reduce((n, r) => n + r.cameBack, 0) > 0);
  const moved = (from: ReportingState[], to: ReportingState[]) => [...start].filter(([g, s]) => from.includes(s) && to.includes(end.get(g)!)).length;
  assert.ok(moved(['reporting'], ['late']) > 0, 'some reporting agents went silent');
  assert.ok(moved(['late', 'inactive', 'never'], ['reporting']) > 0, 'some silent agents came back');
  const reporting = [...end.values()].filter((s) => s === 'reporting').length;
  assert.ok(reporting / end.size > 0.8, `${reporting} of ${end.size} still reporting`);
  const newest = db.prepare('SELECT MAX(ModifiedDate) FROM ResourceUpdateSummary').pluck().get() as string;
  assert.ok(newest <= at(48 * HOUR).toISOString() && newest > at(47 * HOUR).toISOString());
  // A first report brings the core agent row with it.
  assert.equal(Number(db.prepare(`SELECT COUNT(DISTINCT r.ResourceGuid) FROM ResourceUpdateSummary r WHERE NOT EXISTS (SELECT 1 FROM Inv_AeX_AC_Client_Agent ca WHERE ca._ResourceGuid = r.ResourceGuid AND ca.[Agent Name] IN ('Symantec Management Agent', 'Altiris Agent'))`).pluck().get()), 0);
});

test('agents denied in a rollback burst stop reporting while the others go on', () => {
  const { sim, db } = fresh(3);
  sim.tick(at(5_000));
  const burstAt = at(10_000);
  sim.rollbackBurst({ gateway: 'igw-ams-01.corp.example', agents: 200, now: burstAt });
  const before = new Map((db.prepare('SELECT ResourceGuid AS g, MAX(ModifiedDate) AS l FROM ResourceUpdateSummary GROUP BY ResourceGuid').all() as { g: string; l: string }[]).map((r) => [r.g, r.l]));
  const denied = new Set((db.prepare(`SELECT DISTINCT vc.Guid FROM gatewatch_Denial d JOIN vComputer vc ON vc.Name = d.AgentName WHERE d.Reason = 'registration_not_found' AND d.DeniedAt >= ?`).pluck().all(new Date(burstAt.getTime() - 5_000).toISOString()) as string[]));
  assert.ok(denied.size > 20, `${denied.size} known agents denied`);
  // Held at least an hour: 50 minutes of ticks.
  for (let i = 1; i <= 5; i++) sim.tick(at(10_000 + i * 10 * 60_000));
  const after = db.prepare('SELECT ResourceGuid AS g, MAX(ModifiedDate) AS l FROM ResourceUpdateSummary GROUP BY ResourceGuid').all() as { g: string; l: string }[];
  const reported = after.filter((r) => before.get(r.g) !== r.l).map((r) => r.g);
  assert.equal(reported.filter((g) => denied.has(g)).length, 0, 'a denied agent reported');
  assert.ok(reported.length > 150, `${reported.length} other agents reported`);
  // Held at most a day: then approved, and reporting again with no request left pending.
  for (let h = 1; h <= 30; h++) sim.tick(at(10_000 + 50 * 60_000 + h * HOUR));
  const since = new Date(burstAt.getTime() + 60 * 60_000).toISOString();
  const back = [...denied].filter((g) => Number(db.prepare('SELECT COUNT(*) FROM ResourceUpdateSummary WHERE ResourceGuid = ? AND ModifiedDate >= ?').pluck().get(g, since)) > 0);
  assert.ok(back.length > denied.size / 2, `${back.length} of ${denied.size} denied agents reported again`);
  const stillPending = back.filter((g) => Number(db.prepare(`SELECT COUNT(*) FROM gatewatch_AccessRequest WHERE _ResourceGuid = ? AND Status = 'pending'`).pluck().get(g)) > 0);
  assert.deepEqual(stillPending, [], 'agents reporting again whose access request is still pending');
});

test('the same seed replays the same reports; another seed does not', () => {
  const digest = (db: Database.Database) => JSON.stringify(db.prepare('SELECT * FROM ResourceUpdateSummary ORDER BY 1, 2').raw().all());
  const [a, b, c] = [fresh(5), fresh(5), fresh(6)];
  for (const o of [a, b, c]) for (let i = 1; i <= 5; i++) o.sim.tick(at(i * HOUR));
  assert.equal(digest(a.db), digest(b.db));
  assert.notEqual(digest(a.db), digest(c.db));
});
