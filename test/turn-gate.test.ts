// The turn gate lets a few requests start per turn of the event loop, in arrival order, and keeps
// nothing scheduled while idle. Turns are counted with setImmediate, never timed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TurnGate } from '../src/http/turn-gate.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

test('at most perTurn requests start per turn, the rest in later turns in arrival order', async () => {
  const gate = new TurnGate(2);
  const started: number[] = [];
  const entries = [1, 2, 3, 4, 5, 6].map((n) => {
    const wait = gate.enter();
    if (!wait) started.push(n);
    else void wait.then(() => started.push(n));
    return wait;
  });
  assert.deepEqual(
    entries.map((e) => e === undefined),
    [true, true, false, false, false, false],
  );
  assert.deepEqual(started, [1, 2]);
  await nextTurn();
  assert.deepEqual(started, [1, 2], 'this turn had its two starts');
  await nextTurn();
  assert.deepEqual(started, [1, 2, 3, 4], 'two more on the next turn');
  assert.equal(gate.queued, 2);
  await nextTurn();
  assert.deepEqual(started, [1, 2, 3, 4, 5, 6]);
  assert.equal(gate.queued, 0);
});

test('an idle gate keeps nothing scheduled, and lets the first request of a turn start at once', async () => {
  const gate = new TurnGate(1);
  assert.equal(gate.enter(), undefined);
  await gate.enter();
  await nextTurn();
  await nextTurn();
  assert.ok(!process.getActiveResourcesInfo().includes('Immediate'), process.getActiveResourcesInfo().join(', '));
  assert.equal(gate.enter(), undefined);
  assert.throws(() => new TurnGate(0), RangeError);
});
