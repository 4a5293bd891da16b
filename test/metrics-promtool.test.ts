// promtool check metrics on the real server's /metrics, byte for byte as Prometheus receives it: exit
// status 0 and not one line printed (no lint finding filtered away, prom-client's defaults included).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROCESS_TOTAL_GAUGES } from '../src/metrics/names.js';
import { metricsFixture, parseExposition, pick, promtoolCheck } from './helpers/metrics.js';

const fx = metricsFixture('promtool');

test('GET /metrics passes promtool check metrics with no output, after GraphQL traffic', async () => {
  const server = await fx.serve({ path: fx.demo() });
  // A request of each outcome, so the GraphQL request families carry samples, not just HELP and TYPE.
  for (const query of ['{ gateways { name } }', '{ nosuchfield }']) {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    await res.text();
  }
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  const text = await res.text();
  const { status, lines } = promtoolCheck(text);
  assert.deepEqual(lines, [], 'promtool prints nothing');
  assert.equal(status, 0);

  const e = parseExposition(text);
  for (const name of PROCESS_TOTAL_GAUGES) assert.equal(e.types.get(name), undefined, `${name} is not exported`);
  // What they counted is still there, per type, without the misleading suffix.
  assert.equal(e.types.get('nodejs_active_handles'), 'gauge');
  assert.ok(pick(e, 'nodejs_active_handles').length > 0, 'nodejs_active_handles{type} has samples');
});
