// What the log gets while the inventory fails: one line per distinct failure (no stack for an
// InventoryError), repeats counted and reported once a minute, a stack only for unexpected errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { test, type TestContext } from 'node:test';
import { GraphQLError } from 'graphql';
import { yogaLogger } from '../src/graphql/errors.js';
import { startServer } from '../src/http/server.js';
import { InventoryError } from '../src/inventory/errors.js';
import { openInventory } from '../src/inventory/index.js';

/** Everything written through console while `t` runs, one entry per call, as it would print. */
function captureConsole(t: TestContext): string[] {
  const out: string[] = [];
  for (const method of ['error', 'warn', 'log', 'info'] as const) {
    t.mock.method(console, method, (...args: unknown[]) => void out.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ')));
  }
  return out;
}

test('a real server on an unreachable inventory logs one line per distinct failure, not a stack per request', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-errlog-'));
  const inventory = openInventory({ kind: 'sqlite', path: join(dir, 'missing', 'cmdb.sqlite') }, {});
  const metricsLog: string[] = [];
  const metrics = { log: (line: string) => void metricsLog.push(line) };
  const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: false, metrics });
  t.after(async () => {
    await server.close();
    await inventory.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const logged = captureConsole(t);
  const N = 15;
  for (let i = 0; i < N; i++) {
    for (const query of ['{ gateways { name } }', '{ relays { name } }']) {
      const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
      assert.equal(body.errors?.[0]?.extensions?.code, 'UNREACHABLE');
    }
  }
  t.mock.restoreAll();
  assert.equal(logged.length, 2, `${2 * N} failed requests, two distinct failures:\n${logged.join('\n---\n')}`);
  for (const [i, dataset] of ['gateways', 'relays'].entries()) {
    assert.match(logged[i]!, new RegExp(`^gatewatch: dataset ${dataset}: cannot read SQLite inventory .*cmdb\\.sqlite.* \\[UNREACHABLE\\]$`));
    assert.doesNotMatch(logged[i]!, /\n|\bat \S+ \(|\.js:\d+/, 'one line, no stack');
  }
  // The background metrics refresh meets the same outage: one line for it, not one per collector.
  await server.refresher.refresh();
  assert.equal(metricsLog.length, 1, metricsLog.join('\n'));
  assert.match(metricsLog[0]!, /^metrics: inventory unreachable, every collector fails until it answers: .*cmdb\.sqlite/);
});

const failure = (code: 'UNREACHABLE' | 'TIMEOUT', dataset: string) =>
  new GraphQLError('masked', { originalError: new InventoryError(code, `dataset ${dataset}: statement timed out after 5000 ms`, dataset) });

test('repeats within the window are counted and reported when it ends; after a quiet window the next is written in full', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const logged = captureConsole(t);
  const log = yogaLogger({ windowMs: 60_000 });
  for (let i = 0; i < 7; i++) log.error(failure('TIMEOUT', 'computers'));
  log.error(failure('TIMEOUT', 'relays'));
  assert.deepEqual(logged, [
    'gatewatch: dataset computers: statement timed out after 5000 ms [TIMEOUT]',
    'gatewatch: dataset relays: statement timed out after 5000 ms [TIMEOUT]',
  ]);
  t.mock.timers.tick(30_000);
  log.error(failure('TIMEOUT', 'computers'));
  assert.equal(logged.length, 2, 'still within the window');
  t.mock.timers.tick(30_000);
  assert.deepEqual(logged.slice(2), ['gatewatch: dataset computers: statement timed out after 5000 ms [TIMEOUT] (7 more times in the last 60 s)']);
  // Still failing: one summary per window.
  for (let i = 0; i < 3; i++) log.error(failure('TIMEOUT', 'computers'));
  t.mock.timers.tick(60_000);
  assert.deepEqual(logged.slice(3), ['gatewatch: dataset computers: statement timed out after 5000 ms [TIMEOUT] (3 more times in the last 60 s)']);
  // A quiet window ends the episode: the next failure is news again.
  t.mock.timers.tick(120_000);
  assert.equal(logged.length, 4);
  log.error(failure('TIMEOUT', 'computers'));
  assert.equal(logged.at(-1), 'gatewatch: dataset computers: statement timed out after 5000 ms [TIMEOUT]');
});

test('an unexpected error keeps its stack, once per window, and its repeats are counted', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const logged = captureConsole(t);
  const log = yogaLogger({ windowMs: 60_000 });
  const bug = () => new GraphQLError('Unexpected error.', { originalError: new TypeError("Cannot read properties of undefined (reading 'name')") });
  for (let i = 0; i < 4; i++) log.error(bug());
  assert.equal(logged.length, 1);
  assert.match(logged[0]!, /TypeError: Cannot read properties of undefined/);
  assert.match(logged[0]!, /\n\s+at /, 'the stack is there');
  t.mock.timers.tick(60_000);
  assert.deepEqual(logged.slice(1), ["gatewatch: unexpected error TypeError: Cannot read properties of undefined (reading 'name') (3 more times in the last 60 s)"]);
  // Other calls (several arguments) go through as yoga wrote them.
  log.error('something', 'else');
  assert.match(logged.at(-1)!, /something else/);
});
