// The liveness thresholds: defaults from THRESHOLDS, set by flag or environment (the flag wins),
// checked at start with one line naming the setting, and turned into the datasets' cutoffs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadServeConfig, SERVE_FLAGS } from '../src/config.js';
import { DEFAULT_LIVENESS, livenessCutoffs, stateMask, stateOf } from '../src/inventory/liveness.js';
import { THRESHOLDS } from '../src/metrics/names.js';

const fails = (flags: Record<string, string>, env: Record<string, string>, pattern: RegExp) =>
  assert.throws(() => loadServeConfig(flags, env), (e: unknown) => e instanceof ConfigError && pattern.test(e.message));

test('defaults come from THRESHOLDS; flags and environment set them, the flag winning', () => {
  assert.deepEqual(loadServeConfig({}, {}).liveness, { lateAfterHours: THRESHOLDS.reportingLateAfterHours, inactiveAfterDays: THRESHOLDS.reportingInactiveAfterDays });
  assert.deepEqual(loadServeConfig({}, { GATEWATCH_LATE_AFTER_HOURS: '6', GATEWATCH_INACTIVE_AFTER_DAYS: '30' }).liveness, { lateAfterHours: 6, inactiveAfterDays: 30 });
  assert.equal(loadServeConfig({ 'late-after-hours': '12' }, { GATEWATCH_LATE_AFTER_HOURS: '6' }).liveness.lateAfterHours, 12);
  assert.equal(SERVE_FLAGS['late-after-hours'], 'string');
  assert.equal(SERVE_FLAGS['inactive-after-days'], 'string');
});

test('bad thresholds stop the start with one line naming the setting', () => {
  fails({ 'late-after-hours': '0' }, {}, /^--late-after-hours: expected a whole number from 1/);
  fails({}, { GATEWATCH_INACTIVE_AFTER_DAYS: '1.5' }, /^GATEWATCH_INACTIVE_AFTER_DAYS: expected a whole number/);
  fails({ 'late-after-hours': 'soon' }, {}, /late-after-hours/);
  // LATE would be empty: an agent would go from REPORTING straight to INACTIVE.
  fails({ 'late-after-hours': '48', 'inactive-after-days': '2' }, {}, /^--inactive-after-days \(GATEWATCH_INACTIVE_AFTER_DAYS\): inactive after 2 days is not later than late after 48 hours/);
});

test('cutoffs and states: a report exactly at a cutoff is the newer state; the state mask is one bit each', () => {
  const now = new Date('2026-11-25T10:00:00.000Z');
  const c = livenessCutoffs(now, { lateAfterHours: 6, inactiveAfterDays: 2 });
  assert.equal(c.lateSince.toISOString(), '2026-11-25T04:00:00.000Z');
  assert.equal(c.inactiveSince.toISOString(), '2026-11-23T10:00:00.000Z');
  assert.equal(stateOf(c.lateSince, c), 'reporting');
  assert.equal(stateOf(new Date(c.lateSince.getTime() - 1), c), 'late');
  assert.equal(stateOf(c.inactiveSince, c), 'late');
  assert.equal(stateOf(new Date(c.inactiveSince.getTime() - 1), c), 'inactive');
  assert.equal(stateOf(null, c), 'never');
  assert.equal(livenessCutoffs(now).lateSince.getTime(), now.getTime() - DEFAULT_LIVENESS.lateAfterHours * 3_600_000);
  assert.equal(stateMask(null), null);
  assert.equal(stateMask([]), 0);
  assert.equal(stateMask(['late', 'never']), 10);
  assert.equal(stateMask(['reporting', 'late', 'inactive', 'never']), 15);
});
