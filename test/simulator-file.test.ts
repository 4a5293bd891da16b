// The live simulator follows its file: when `gatewatch demo` replaces the demo file under a running
// simulator it reopens the new one (instead of writing on the deleted one, which nobody reads), and
// when the file is removed it says so once and waits for it to come back. The timer is driven with
// node:test's mock timers, so each interval is one synchronous tick.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { buildDemoInventory } from '../src/demo/generate.js';
import { DemoSimulator } from '../src/demo/simulator.js';

const T0 = new Date('2026-11-25T10:00:00.000Z').getTime();
const INTERVAL = 10;
const dir = mkdtempSync(join(tmpdir(), 'gatewatch-simfile-'));
const base = join(dir, 'base.sqlite');

before(async () => {
  await buildDemoInventory(base, { computers: 300, seed: 5, now: new Date(T0) });
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The latest [Last Success] in the file: ticks refresh it to their (mocked) time. */
function latestSuccess(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return String(db.prepare('SELECT MAX([Last Success]) FROM Inv_AeX_AC_InternetGatewayDetails').pluck().get());
  } finally {
    db.close();
  }
}

function running(t: TestContext, file: string) {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'], now: T0 + 3_600_000 });
  const lines: string[] = [];
  const sim = new DemoSimulator(file, { seed: 1, intervalMs: INTERVAL, rollbackEveryTicks: 0, log: (l) => lines.push(l) });
  t.after(() => sim.close());
  const tick = t.mock.method(sim, 'tick');
  sim.start();
  return { sim, lines, ticks: () => tick.mock.callCount(), elapse: (n: number) => t.mock.timers.tick(n * INTERVAL) };
}

test('a demo file replaced under the running simulator is reopened, and the new file moves', async (t) => {
  const file = join(dir, 'replaced.sqlite');
  copyFileSync(base, file);
  const r = running(t, file);
  r.elapse(3);
  assert.ok(latestSuccess(file) > new Date(T0).toISOString(), 'the first file moves');
  const firstIno = statSync(file).ino;

  // What `gatewatch demo --out` does: a new file renamed over the old one.
  await buildDemoInventory(file, { computers: 300, seed: 6, now: new Date(T0) });
  assert.notEqual(statSync(file).ino, firstIno);
  const built = latestSuccess(file);
  const replacedAt = new Date().toISOString();
  r.elapse(4);
  assert.equal(r.ticks(), 7);
  const now = latestSuccess(file);
  assert.ok(now > built && now > replacedAt, `the new file is written on (latest success ${now}, built ${built})`);
  assert.deepEqual(r.lines.filter((l) => /was replaced: reopening it/.test(l)).length, 1, r.lines.join('\n'));
  assert.deepEqual(r.lines.filter((l) => /tick failed/.test(l)), [], 'no tick failed');
});

test('a demo file removed under the running simulator: one line, nothing re-created, ticks resume when it is back', (t) => {
  const file = join(dir, 'removed.sqlite');
  copyFileSync(base, file);
  const r = running(t, file);
  r.elapse(2);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  r.elapse(6);
  assert.equal(r.ticks(), 8, 'the timer keeps going');
  const failed = r.lines.filter((l) => /tick failed/.test(l));
  assert.equal(failed.length, 1, r.lines.join('\n'));
  assert.match(failed[0]!, /removed\.sqlite does not exist \(removed\?\)/);
  assert.ok(!existsSync(file), 'the simulator does not create an empty file in its place');

  copyFileSync(base, file);
  const back = new Date().toISOString();
  r.elapse(3);
  assert.ok(latestSuccess(file) > back, 'ticks write to the file once it is back');
  assert.equal(r.lines.filter((l) => /tick failed/.test(l)).length, 1, 'no new failure');
});
