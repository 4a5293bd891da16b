// The event loop stays responsive while requests run SQLite statements on the server's thread: such
// a statement waits for a later turn once the turn has spent its budget (turn-pace.ts), so /healthz
// and other requests are taken in between. Asserted by counts and orderings, never by time: the
// pacer is given a budget of 0 (every statement after a turn's first waits a turn) or a scripted clock.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PassThrough } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildDemoInventory } from '../src/demo/generate.js';
import { readBodyWithin } from '../src/http/body-limit.js';
import { startServer } from '../src/http/server.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { SqliteDriver } from '../src/inventory/sqlite.js';
import { TurnPacer } from '../src/inventory/turn-pace.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-loop-'));
const path = join(dir, 'demo.sqlite');
before(() => buildDemoInventory(path, { computers: 300, seed: 5 }));
after(() => rmSync(dir, { recursive: true, force: true }));

const PAGE = 'computers(first: 20) { nodes { name gatewayAssignments { gateway details { name } } } }';
/** Twenty aliases: a request of dozens of statements, all provably cheap on a 300-computer demo. */
const HEAVY = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: ${PAGE}`).join(' ')} }`;

function inventoryWith(pacer: TurnPacer) {
  const driver = new SqliteDriver({ path, pacer, inlineBudgetMs: 60_000 });
  return { driver, inventory: new SqlInventory(driver) };
}

test('with a budget of 0, N statements on the server thread in one chain yield N - 1 times, and other work runs in between', async (t) => {
  const { driver, inventory } = inventoryWith(new TurnPacer(0));
  t.after(() => inventory.close());
  await inventory.all('gateways'); // judged and prepared: the chain below is on the server's thread from its first statement
  await new Promise(setImmediate); // a fresh turn for the chain's first statement
  const [yieldsBefore, inlineBefore] = [driver.pacer.yields, driver.inline!.executed];
  const order: string[] = [];
  const chain = (async () => {
    for (let i = 0; i < 5; i++) {
      await inventory.all('gateways');
      order.push(`statement ${i}`);
      // Queued after the first statement: a turn of the event loop must come before the next one.
      if (i === 0) setImmediate(() => order.push('other work'));
    }
  })();
  await chain;
  assert.equal(driver.inline!.executed - inlineBefore, 5, 'all five on the server thread');
  assert.equal(driver.pacer.yields - yieldsBefore, 4);
  assert.ok(order.indexOf('other work') < order.indexOf('statement 4'), order.join(', '));
});

test('a turn runs statements until its budget is spent, by the clock it is given', async () => {
  let now = 0;
  const pacer = new TurnPacer(10, () => now);
  const admitted: number[] = [];
  // One turn: 4 ms per statement, so three start (at 0, 4 and 8 ms) and the fourth waits a turn.
  const waits = [0, 1, 2, 3, 4].map((i) => {
    const wait = pacer.pause();
    if (!wait) admitted.push(i);
    now += 4;
    return wait;
  });
  assert.deepEqual(admitted, [0, 1, 2]);
  assert.equal(pacer.yields, 2);
  await Promise.all(waits);
  // The two that waited ran in later turns: the next turn admitted the first at once.
  assert.ok(pacer.yields >= 2);
  assert.equal(new TurnPacer(Infinity).pause(), undefined, 'no budget: never a wait');
});

test('/healthz asked while a 20-alias request runs on the server thread is answered before that request ends', async (t) => {
  const { driver, inventory } = inventoryWith(new TurnPacer(0));
  const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: true, metrics: { schedule: false } });
  t.after(async () => {
    await server.close();
    await inventory.close();
  });
  const post = () => fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: HEAVY }) });
  await (await post()).json(); // plans judged, statements prepared
  const events: string[] = [];
  const inlineBefore = driver.inline!.executed;
  const heavy = post().then(async (res) => {
    const body = (await res.json()) as { errors?: unknown; extensions: { sqlStatements: number } };
    assert.equal(body.errors, undefined);
    events.push(`heavy done after ${driver.inline!.executed - inlineBefore} statements (${body.extensions.sqlStatements} in the request)`);
    return body.extensions.sqlStatements;
  });
  // The heavy request has started running statements: ask /healthz now.
  while (driver.inline!.executed === inlineBefore) await new Promise(setImmediate);
  const healthz = await fetch(`${server.url}/healthz`);
  assert.equal(healthz.status, 200);
  const atHealthz = driver.inline!.executed - inlineBefore;
  events.push(`healthz answered after ${atHealthz} statements`);
  const statements = await heavy;
  assert.ok(statements > 20, `a request of many statements (${statements})`);
  assert.equal(events[0], `healthz answered after ${atHealthz} statements`, events.join('; '));
  assert.ok(atHealthz < statements, events.join('; '));
});

test('a 1 MiB body is handed to yoga as a stream of few own keys, not a Buffer whose million indices its adapter enumerates', async () => {
  const raw = new PassThrough();
  const req = Object.assign(raw, { method: 'POST', headers: { 'content-type': 'application/json' } }) as unknown as IncomingMessage;
  const body = Buffer.alloc(1024 * 1024 - 1, 0x20);
  raw.end(body);
  assert.equal(await readBodyWithin(req, {} as ServerResponse, 1024 * 1024), true);
  const handed = (req as unknown as { body: AsyncIterable<Buffer> }).body;
  // @whatwg-node/server calls Object.keys on it before anything else: ~1 s for a Buffer of 1 MiB.
  assert.ok(Object.keys(handed).length < 100, `${Object.keys(handed).length} own keys`);
  const chunks: Buffer[] = [];
  for await (const chunk of handed) chunks.push(chunk);
  assert.ok(Buffer.concat(chunks).equals(body), 'the same bytes');
});
