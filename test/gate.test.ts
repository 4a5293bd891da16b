// The wait bound and client aborts without a database: the Gate that keeps SQL Server's heavy
// statements to part of its pool, and the SQL Server driver honouring an abort before it connects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Gate } from '../src/inventory/gate.js';
import { MssqlDriver } from '../src/inventory/mssql.js';
import { parseMssqlTarget } from '../src/inventory/mssql-url.js';

const refused = (code: string) => (e: unknown) => (e as { code?: string }).code === code;

test('a gate admits its limit, queues the rest in order, and hands a released place to the next', async () => {
  const gate = new Gate(2, 600_000, 'test places');
  const a = await gate.enter();
  await gate.enter();
  const order: string[] = [];
  const third = gate.enter().then((release) => (order.push('third'), release));
  const fourth = gate.enter().then((release) => (order.push('fourth'), release));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, [], 'both wait while two places are held');
  a();
  a(); // a second release of the same place changes nothing
  (await third)();
  await fourth;
  assert.deepEqual(order, ['third', 'fourth']);
});

test('waiting past the bound is BUSY; an abort drops the waiter and lets the next one in', async () => {
  const gate = new Gate(1, 50, 'the one place');
  const held = await gate.enter();
  await assert.rejects(gate.enter(), (e: unknown) => refused('GATEWATCH_BUSY')(e) && /the one place stayed busy for 50 ms; retry later/.test((e as Error).message));
  const slow = new Gate(1, 600_000, 'x');
  const first = await slow.enter();
  const gone = new AbortController();
  const leaving = slow.enter(gone.signal);
  const staying = slow.enter();
  gone.abort();
  await assert.rejects(leaving, refused('GATEWATCH_CANCELLED'));
  first();
  assert.equal(typeof (await staying), 'function', 'the waiter behind the one that left gets the place');
  await assert.rejects(slow.enter(gone.signal), refused('GATEWATCH_CANCELLED'));
  held();
});

test('SQL Server: a statement whose client already left is not sent, and classifies as CANCELLED', async () => {
  const driver = new MssqlDriver(parseMssqlTarget('mssql://u:p@127.0.0.1:1/db?connectTimeout=1000'));
  const gone = AbortSignal.abort();
  for (const lane of ['light', 'heavy'] as const) {
    const e = await driver.query('SELECT 1 AS [ok]', [], { lane, signal: gone }).catch((x: unknown) => x);
    assert.equal(driver.classify(e).code, 'CANCELLED');
  }
  await driver.close();
});
