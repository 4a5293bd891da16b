// What a request's statements do while they wait for a SQLite worker: one abort listener per request
// however many statements it queues (no MaxListenersExceededWarning), and waits bounded per request,
// not per statement (queue-wait.ts). The waits are counted on a scripted clock; the heavy worker is
// held busy by an aggregate that counts to a billion, stopped by the test: nothing here is timed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeSlowQueries } from './helpers/slow.js';
import { buildDemoInventory } from '../src/demo/generate.js';
import { startServer } from '../src/http/server.js';
import { InventoryError } from '../src/inventory/errors.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { QueueWait } from '../src/inventory/queue-wait.js';
import { SqliteDriver } from '../src/inventory/sqlite.js';
import { withStatementScope } from '../src/inventory/stats.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-queue-'));
const path = join(dir, 'demo.sqlite');
const slowQueries = join(dir, 'slow-queries');
before(async () => {
  await buildDemoInventory(path, { computers: 300, seed: 6 });
  writeSlowQueries(slowQueries);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setTimeout(r, 20));
}

test('a 20-alias request whose statements all queue for a worker adds one abort listener: no MaxListenersExceededWarning', async (t) => {
  // Workers only: every page and look-up of the request waits in the light lane with the request's signal.
  const inventory = new SqlInventory(new SqliteDriver({ path, inline: false }));
  const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: true, metrics: { schedule: false } });
  const warnings: string[] = [];
  const onWarning = (w: Error) => void warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  t.after(async () => {
    process.off('warning', onWarning);
    await server.close();
    await inventory.close();
  });
  const page = 'computers(first: 5) { nodes { name gatewayAssignments { gateway } } }';
  const query = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: ${page}`).join(' ')} }`;
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await res.json()) as { errors?: unknown; extensions: { sqlStatements: number } };
    assert.equal(body.errors, undefined);
    assert.ok(body.extensions.sqlStatements >= 20);
  }
  await new Promise(setImmediate); // warnings are emitted on the next tick
  assert.deepEqual(warnings.filter((w) => /MaxListeners/.test(w)), []);
});

test("a request's waits for the heavy worker share one queue bound: past it in all, BUSY, though no single wait reached it", async (t) => {
  // A bound no real wait here reaches: only the scripted clock spends it.
  const bound = 600_000;
  const driver = new SqliteDriver({ path, timeoutMs: 600_000, queueTimeoutMs: bound, heavyWorkers: 1 });
  const inventory = new SqlInventory(driver, slowQueries);
  t.after(() => inventory.close());
  let now = 0;
  const wait = new QueueWait(() => now);
  /** The heavy worker runs the slow aggregate until the returned function stops it. */
  const holdHeavy = async () => {
    const stop = new AbortController();
    const ran = driver.lanes.heavy.executed;
    withStatementScope(() => inventory.all('cem_summary'), stop.signal).catch(() => {});
    await until(() => driver.lanes.heavy.executed === ran + 1);
    return () => stop.abort();
  };
  const inRequest = <T>(fn: () => Promise<T>) =>
    withStatementScope((s) => {
      s.queueWait = wait;
      return fn();
    });
  // Two statements of one request each wait half the bound behind the held worker, then run.
  for (const dataset of ['computers_by_state', 'computers_by_auth'] as const) {
    const release = await holdHeavy();
    const read = inRequest(() => inventory.all(dataset));
    now += 0.5 * bound;
    release();
    assert.ok((await read).length > 0, `${dataset} waited under the bound and ran`);
  }
  assert.equal(wait.left(bound), 0, 'the request has waited the bound in all');
  // Its third statement may not wait at all: BUSY at once, and it never runs.
  const release = await holdHeavy();
  const ran = driver.lanes.heavy.executed;
  const third = inRequest(() => inventory.all('computers_by_gateway'));
  const state = { error: undefined as unknown, done: false };
  third.then(
    () => (state.done = true),
    (e: unknown) => Object.assign(state, { done: true, error: e }),
  );
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(state.done, true, 'answered without waiting for the worker');
  assert.ok(state.error instanceof InventoryError && state.error.code === 'BUSY', String(state.error));
  assert.match((state.error as Error).message, /in all; retry later/);
  assert.equal(driver.lanes.heavy.waiting, 0, 'nothing left queued');
  // Another request has its own bound: it waits.
  const other = withStatementScope(() => inventory.all('computers_by_gateway'));
  await until(() => driver.lanes.heavy.waiting === 1);
  release();
  assert.ok((await other).length > 0);
  assert.equal(driver.lanes.heavy.executed, ran + 1, 'the refused statement never ran; the other one did');
});

test('diagnosisSummary(live: true) while the heavy worker is held: every live client is answered BUSY, none is held', async (t) => {
  const driver = new SqliteDriver({ path, timeoutMs: 600_000, queueTimeoutMs: 300, heavyWorkers: 1 });
  const inventory = new SqlInventory(driver, slowQueries);
  // No background refresh: its reads would take the heavy lane this test holds.
  const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: true, metrics: { schedule: false } });
  const stop = new AbortController();
  t.after(async () => {
    stop.abort();
    await server.close();
    await inventory.close();
  });
  withStatementScope(() => inventory.all('cem_summary'), stop.signal).catch(() => {});
  await until(() => driver.lanes.heavy.executed === 1);
  const live = () =>
    fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ diagnosisSummary(live: true) { verdict count } }' }) }).then(
      (r) => r.json() as Promise<{ errors?: { extensions: { code: string } }[] }>,
    );
  const answers = await Promise.all(Array.from({ length: 6 }, live));
  assert.deepEqual(answers.map((a) => a.errors?.[0]?.extensions.code), Array(6).fill('BUSY'));
  assert.equal(driver.lanes.heavy.executed, 1, 'no slice ran behind the held worker');
  assert.equal(driver.lanes.heavy.waiting, 0, 'and none is left queued');
});
