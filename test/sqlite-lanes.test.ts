// Heavy work cannot starve light work, on a real SQLite file and a real HTTP server. Slowness is made
// on purpose (an aggregate that counts to a billion), and the tests assert what ran and in what
// order — statement counts, what is still pending — never how long anything took.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeSlowQueries } from './helpers/slow.js';
import { buildDemoInventory } from '../src/demo/generate.js';
import { cursorStats } from '../src/graphql/cursor.js';
import { startServer } from '../src/http/server.js';
import { InventoryError } from '../src/inventory/errors.js';
import { openInventory } from '../src/inventory/index.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { SqliteDriver, type SqliteOptions } from '../src/inventory/sqlite.js';
import { outsideStatementScope, withStatementScope } from '../src/inventory/stats.js';
import { DEFAULT_LIVENESS, livenessCutoffs } from '../src/inventory/liveness.js';
import { diagnosisTime, verdictRestriction } from '../src/diagnosis/run.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-lanes-'));
const path = join(dir, 'demo.sqlite');
const slowQueries = join(dir, 'slow-queries');
const code = (c: string) => (e: unknown) => e instanceof InventoryError && e.code === c;

before(async () => {
  await buildDemoInventory(path, { computers: 300, seed: 2 });
  writeSlowQueries(slowQueries);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Polls until `ready` holds; the per-test timeout bounds it. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setTimeout(r, 20));
}

function slowInventory(options: Partial<SqliteOptions> = {}) {
  const driver = new SqliteDriver({ path, timeoutMs: 600_000, ...options });
  return { driver, inventory: new SqlInventory(driver, slowQueries) };
}

const settled = (p: Promise<unknown>) => {
  const state = { done: false };
  p.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
};

test('keyed look-ups and pages are answered while a slow aggregate is still running', async (t) => {
  // In the light worker, not on the calling thread (sqlite-inline.test.ts): the lanes are what is tested.
  const { driver, inventory } = slowInventory({ inline: false });
  t.after(() => inventory.close());
  const slow = inventory.all('cem_summary');
  slow.catch(() => {}); // rejected by close()
  const slowState = settled(slow);
  await until(() => driver.lanes.heavy.executed === 1);
  const page = await inventory.page('computers', {}, { order: 'NAME', direction: 'ASC', first: 5 });
  const byGuid = await inventory.byKeys('computers', 'Guid', page.rows.map((r) => r.Guid));
  const gateways = await inventory.all('gateways');
  assert.equal(page.rows.length, 5);
  assert.equal(byGuid.length, 5);
  assert.ok(gateways.length > 0);
  assert.equal(slowState.done, false, 'the aggregate is still running: the look-ups did not wait for it');
  assert.deepEqual([driver.lanes.heavy.executed, driver.lanes.light.executed], [1, 3]);
});

test('identical heavy statements waiting in the queue run once; a running one is stopped when its client goes', async (t) => {
  const { driver, inventory } = slowInventory({ heavyWorkers: 1 });
  t.after(() => inventory.close());
  const gone = new AbortController();
  const slow = withStatementScope(() => inventory.all('cem_summary'), gone.signal);
  await until(() => driver.lanes.heavy.executed === 1);
  const states = [inventory.all('computers_by_state'), inventory.all('computers_by_state'), inventory.all('computers_by_state')];
  const auths = inventory.all('computers_by_auth');
  assert.equal(driver.lanes.heavy.waiting, 2, 'three identical statements wait as one');
  gone.abort();
  await assert.rejects(slow, (e: unknown) => code('CANCELLED')(e) && /stopped/.test((e as Error).message));
  const [a, b, c] = await Promise.all(states);
  assert.ok((await auths).length > 0);
  assert.ok(a!.length > 0);
  assert.deepEqual([b, c], [a, a]);
  assert.equal(driver.lanes.heavy.executed, 3, 'the slow one, computers_by_state once, computers_by_auth once');
  // Shared work started from a request that has gone runs outside its scope, so it is not cancelled.
  const shared = await withStatementScope(() => outsideStatementScope(() => inventory.all('gateways')), gone.signal);
  assert.ok(shared.length > 0);
  await assert.rejects(
    withStatementScope(() => inventory.all('gateways'), gone.signal),
    code('CANCELLED'),
  );
});

test('waiting past the queue bound is BUSY, for the inventory and as a GraphQL error', async (t) => {
  const { driver, inventory } = slowInventory({ heavyWorkers: 1, queueTimeoutMs: 300 });
  // No background metrics refresh: its reads would take the heavy lane these tests measure.
  const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: true, metrics: { schedule: false } });
  t.after(async () => {
    await server.close();
    await inventory.close();
  });
  inventory.all('cem_summary').catch(() => {});
  await until(() => driver.lanes.heavy.executed === 1);
  await assert.rejects(inventory.all('computers_by_state'), (e: unknown) => code('BUSY')(e) && /retry later/.test((e as Error).message));
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ cemSummary { byAuth { auth count } } }' }),
  });
  const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
  assert.equal(body.errors[0]?.extensions.code, 'BUSY');
  assert.match(body.errors[0]!.message, /busy .*retry later/);
  assert.equal(driver.lanes.heavy.executed, 1, 'nothing queued behind the slow statement ran');
  assert.ok((await inventory.all('gateways')).length > 0, 'the light lane is not busy');
});

test('a background read (a budget of its own) waits for the heavy worker within that budget, not the queue bound', async (t) => {
  const { driver, inventory } = slowInventory({ heavyWorkers: 1, queueTimeoutMs: 300 });
  t.after(() => inventory.close());
  const stop = new AbortController();
  withStatementScope(() => inventory.all('cem_summary'), stop.signal).catch(() => {});
  await until(() => driver.lanes.heavy.executed === 1);
  const background = withStatementScope(() => inventory.all('computers_by_state'), undefined, 600_000);
  const backgroundState = settled(background);
  // A request for the very same statement, queued beside it, is not joined to it: its BUSY says the
  // queue bound has passed, while the background read still waits.
  await assert.rejects(inventory.all('computers_by_state'), code('BUSY'));
  assert.equal(backgroundState.done, false, 'the background read still waits');
  assert.equal(driver.lanes.heavy.waiting, 1);
  stop.abort(); // stops the slow aggregate: the waiting read gets the worker
  assert.ok((await background).length > 0);
});

test("a client that hangs up: its queued statement never runs, its running aggregate is stopped", async (t) => {
  const { driver, inventory } = slowInventory({ heavyWorkers: 1 });
  // No background metrics refresh: its reads would take the heavy lane these tests measure.
  const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: true, metrics: { schedule: false } });
  t.after(async () => {
    await server.close();
    await inventory.close();
  });
  const post = (query: string, signal?: AbortSignal) =>
    fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }), signal });
  const first = new AbortController();
  const second = new AbortController();
  const a = post('{ cemSummary { total } }', first.signal).catch((e: Error) => e.name);
  await until(() => driver.lanes.heavy.executed === 1);
  const b = post('{ cemSummary { total } }', second.signal).catch((e: Error) => e.name);
  await until(() => driver.lanes.heavy.waiting === 1);
  second.abort();
  assert.equal(await b, 'AbortError');
  await until(() => driver.lanes.heavy.waiting === 0);
  first.abort();
  assert.equal(await a, 'AbortError');
  await until(() => driver.lanes.heavy.workers === 0);
  assert.equal(driver.lanes.heavy.executed, 1, 'the second client left while queued: its statement never ran');
  const page = (await (await post('{ computers(first: 2) { nodes { name } } }')).json()) as { data: { computers: { nodes: unknown[] } } };
  assert.equal(page.data.computers.nodes.length, 2);
});

test('cursors are encoded only when a client selects them', async (t) => {
  const inventory = openInventory({ kind: 'sqlite', path });
  // No background metrics refresh: its reads would take the heavy lane these tests measure.
  const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: true, metrics: { schedule: false } });
  t.after(async () => {
    await server.close();
    await inventory.close();
  });
  const encodedBy = async (selection: string) => {
    const before = cursorStats.encoded;
    const body = JSON.stringify({ query: `{ computers(first: 20) { ${selection} } }` });
    const res = (await (await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as {
      errors?: unknown;
    };
    assert.equal(res.errors, undefined);
    return cursorStats.encoded - before;
  };
  assert.equal(await encodedBy('edges { node { name } }'), 0);
  assert.equal(await encodedBy('nodes { name } pageInfo { hasNextPage }'), 0);
  assert.equal(await encodedBy('pageInfo { endCursor }'), 1);
  assert.equal(await encodedBy('edges { cursor } pageInfo { startCursor endCursor }'), 20, 'each edge once, shared by pageInfo');
});

test('--request-timeout 150 on SQLite: forking a worker is not timed, and the inventory recovers after a timeout', async (t) => {
  const inventory = openInventory({ kind: 'sqlite', path }, { requestTimeoutMs: 150, queriesDir: slowQueries });
  t.after(() => inventory.close());
  await inventory.ping();
  assert.ok((await inventory.all('gateways')).length > 0, 'the first statement of a fresh worker');
  await assert.rejects(inventory.all('cem_summary'), (e: unknown) => code('TIMEOUT')(e) && /150 ms/.test((e as Error).message));
  // The killed worker is replaced; the replacement's start-up does not count against the statement.
  assert.ok((await inventory.all('computers_by_state')).length > 0, 'a fresh heavy worker answers');
  assert.ok((await inventory.all('computers_by_auth')).length > 0);
});

test('more distinct statement texts than workers remember by number still run, old and new', async (t) => {
  // In the light worker: on the calling thread these look-ups would never reach it.
  const inventory = new SqlInventory(new SqliteDriver({ path, inline: false }));
  t.after(() => inventory.close());
  const [relay] = await inventory.all('relays');
  // A batch look-up's text differs with its key count: 600 counts, 600 texts.
  for (let n = 1; n <= 600; n++) {
    const keys = [relay!.Name, ...Array.from({ length: n - 1 }, (_, j) => `no-such-relay-${j}`)];
    assert.equal((await inventory.byKeys('relays', 'Name', keys)).length, 1, `${n} keys`);
  }
  assert.ok((await inventory.all('relays')).length > 0, 'a text numbered early is still answered');
});

test('a page restricted by verdict runs in the heavy lane; a closed inventory forks no worker for a late statement', async (t) => {
  const driver = new SqliteDriver({ path });
  const inventory = new SqlInventory(driver);
  t.after(() => inventory.close());
  const time = diagnosisTime(new Date(), DEFAULT_LIVENESS);
  await inventory.page('computers', { ...livenessCutoffs(time.now) }, { order: 'NAME', direction: 'ASC', first: 5 });
  assert.equal(driver.lanes.heavy.executed, 0, 'a plain page is light');
  await inventory.page('computers', { ...livenessCutoffs(time.now) }, { order: 'NAME', direction: 'ASC', first: 5, restrict: verdictRestriction('HEALTHY', time) });
  assert.equal(driver.lanes.heavy.executed, 1, 'the verdict filter walks the fleet: heavy');

  await inventory.close();
  const workers = driver.lanes.light.workers + driver.lanes.heavy.workers;
  await assert.rejects(inventory.all('gateways'), /inventory closed/);
  assert.equal(driver.lanes.light.workers + driver.lanes.heavy.workers, workers, 'no worker forked after close');
});
