// The turn gate lets a few requests start per turn of the event loop, in arrival order, and keeps
// nothing scheduled while idle. Turns are counted with setImmediate, never timed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TurnGate } from '../src/http/turn-gate.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

test('at most perTurn requests start per turn, the rest in later turns in arrival order', async () => {
  const gate = new TurnGate(2);
  const started: number[] = [];
  const entries = [1, 2, 3, 4, 5].map((n) => {
    const wait = gate.enter();
    if (!wait) started.push(n);
    else void wait.then(() => started.push(n));
    return wait;
  });
  assert.deepEqual(
    entries.map((e) => e === undefined),
    [true, true, false, false, false],
  );
  assert.deepEqual(started, [1, 2]);
  assert.equal(gate.queued, 3);
  await nextTurn();
  assert.deepEqual(started, [1, 2, 3, 4], 'two more on the next turn');
  await nextTurn();
  assert.deepEqual(started, [1, 2, 3, 4, 5]);
  assert.equal(gate.queued, 0);
});

test('a request arriving while others wait queues behind them, even if the turn has room', async () => {
  const gate = new TurnGate(1);
  assert.equal(gate.enter(), undefined);
  const second = gate.enter();
  assert.ok(second);
  await nextTurn(); // the second starts; this turn's one start is used
  const third = gate.enter();
  assert.ok(third, 'no room left in this turn');
  await nextTurn();
  assert.equal(gate.queued, 0);
  await nextTurn();
  assert.equal(gate.enter(), undefined, 'an idle gate lets the first request of a turn start at once');
});
