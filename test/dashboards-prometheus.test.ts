// Every PromQL expression of every generated dashboard, run through a real Prometheus scraping a demo
// `gatewatch serve` (the harness of prometheus-e2e.test.ts): each must parse, and each panel's must return
// at least one series — a panel empty on a healthy demo estate is a broken panel. Grafana's template
// variables are filled in the way Grafana would. Everything listens on 127.0.0.1 and dies with the test.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as F from '../src/demo/fleet.js';
import { buildDemoInventory } from '../src/demo/generate.js';
import { GATEWAY_VAR, INSTANCE_VARS, PROBE_SELECTOR } from '../src/dashboards/config.js';
import { allDashboards, expressionsOf, type Expression } from '../src/dashboards/index.js';
import { GATEWAY_PROBLEMS, problemCount } from '../src/dashboards/overview-gateways.js';
import { UIDS } from '../src/dashboards/config.js';
import { allRules } from '../src/alerts/rules.js';
import { M } from '../src/metrics/names.js';
import { gql, serve, type Served } from './helpers/cli.js';
import { killOnExit, startPrometheus, waitFor, type Prometheus, type WaitOptions } from './helpers/prometheus.js';

/** Safety net for each wait; Prometheus scrapes every second. */
const WAIT: WaitOptions = { timeoutMs: 30_000, intervalMs: 250 };
/** rate() needs two samples in its window: with 1 s scrapes, 1m holds them once three scrapes are in. */
const RATE_WINDOW = '1m';
const GATEWAY = F.GATEWAYS[0]!.name;

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-dash-e2e-'));
let gatewatch: Served | undefined;
let prom: Prometheus | undefined;
const logs = () => `--- gatewatch serve ---\n${gatewatch?.output().slice(-4000) ?? ''}\n--- prometheus ---\n${prom?.log().slice(-8000) ?? ''}`;

/**
 * The expression as Grafana would send it, with `gateway` one demo gateway or All, job and instance the
 * scraped gatewatch: variables and interval macros filled in.
 */
function substitute(e: Expression, gateway: string): string {
  let expr = e.expr
    .replaceAll('$__rate_interval', RATE_WINDOW)
    .replaceAll('$__interval', '15s')
    .replaceAll('$__range', '5m')
    .replaceAll(`$${GATEWAY_VAR.name}`, gateway)
    .replaceAll(`$${INSTANCE_VARS.job}`, 'gatewatch')
    .replaceAll(`$${INSTANCE_VARS.instance}`, new URL(gatewatch!.url).host);
  // A variable's `label_values(metric, label)` is a Grafana function: the same series as `group by`.
  const lv = /^label_values\((.+),\s*(\w+)\)$/.exec(expr);
  if (lv) expr = `group by (${lv[2]}) (${lv[1]})`;
  assert.ok(!expr.includes('$'), `${e.where}: a template variable left unfilled in ${expr}`);
  return expr;
}

before(async () => {
  await buildDemoInventory(join(dir, 'demo.sqlite'), { computers: 2000, seed: 1 });
  // A BrokerService.log row from just now, for the CSA activity panels (times in UTC, the default zone).
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
  writeFileSync(join(dir, 'BrokerService.log'), `${now}, 3440, 6616, csa.demo.example, {D226}, LMCORE95B:5007, Inventory\r\n`);
  gatewatch = await serve(['--db', `sqlite:${join(dir, 'demo.sqlite')}`, '--mode', 'demo', '--listen', '127.0.0.1:0', '--metrics-refresh-seconds', '1', '--csa-broker-log', dir]);
  killOnExit(gatewatch.proc);
  prom = await startPrometheus({ target: new URL(gatewatch.url).host });
});

after(async () => {
  await prom?.stop();
  await gatewatch?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('every dashboard query parses and every panel shows data on the demo estate', async () => {
  const p = prom!;
  await p.waitTargetUp({ ...WAIT });
  // Some GraphQL traffic, so the request-rate and latency panels have something to show.
  for (let i = 0; i < 3; i++) assert.equal((await gql(gatewatch!.url, '{ gateways { name online } }')).status, 200);
  // rate() and increase() panels need at least two scrapes inside their window, after the requests.
  const since = Date.now() / 1000;
  await waitFor(
    'three scrapes of gatewatch after the GraphQL requests',
    async () => ((await p.query(`count_over_time(${M.up}[${RATE_WINDOW}])`))[0]?.value ?? 0) >= 3 && (await p.query(`timestamp(${M.up})`))[0]!.value > since + 1,
    { ...WAIT, context: logs },
  );

  // blackbox_exporter's probe series are not scraped here: test/gateway-probes.test.ts runs those panels' queries.
  const expressions = allDashboards().flatMap(expressionsOf).filter((e) => !e.expr.includes(PROBE_SELECTOR) || e.expr.includes('vector(0)'));
  assert.ok(expressions.length > 40, `${expressions.length} expressions`);
  const empty: string[] = [];
  for (const e of expressions) {
    const variants = e.expr.includes(`$${GATEWAY_VAR.name}`) ? [GATEWAY, GATEWAY_VAR.allValue] : [GATEWAY];
    for (const expr of variants.map((g) => substitute(e, g))) {
      const result = await p.query(expr).catch((err: Error) => assert.fail(`${e.where}: Prometheus rejects ${expr}\n${err.message}`));
      // Annotations mark alerts, which a healthy estate has none of: they only have to parse.
      if (e.kind !== 'annotation' && result.length === 0) empty.push(`${e.where}: ${expr}`);
    }
  }
  assert.deepEqual(empty, [], `queries returning no series on the demo estate:\n${empty.join('\n')}`);
});

test('the overview reads right on the demo: verdicts non-zero and most first, planted gateway problems counted', async () => {
  const p = prom!;
  await p.waitTargetUp({ ...WAIT });
  const overview = allDashboards().find((d) => d.uid === UIDS.overview)!;
  const panelExpr = (title: string, refId = 'A') => {
    const e = expressionsOf(overview).find((x) => x.where === `${overview.uid} / ${title} / ${refId}`);
    assert.ok(e, `${title} / ${refId}`);
    return substitute(e, GATEWAY);
  };
  const verdicts = await waitFor('the diagnosis verdicts scraped', async () => {
    const r = await p.query(panelExpr('Why agents are not connecting'));
    return r.length > 0 && r;
  }, { ...WAIT, context: logs });
  assert.ok(verdicts.every((s) => s.value > 0), `only non-zero verdicts: ${JSON.stringify(verdicts)}`);
  assert.ok(!verdicts.some((s) => s.labels.verdict === 'HEALTHY'));
  const values = verdicts.map((s) => s.value);
  assert.deepEqual(values, [...values].sort((a, b) => b - a), 'most agents first');

  // The table's sort key: one row per gateway; each gateway the demo plants a problem on counts at least one.
  const counted = await p.query(substitute({ where: 'problems', expr: problemCountScoped(), kind: 'panel' }, GATEWAY));
  assert.deepEqual(counted.map((s) => s.labels.gateway).sort(), F.GATEWAYS.map((g) => g.name).sort());
  for (const g of F.PROBLEM_GATEWAYS) assert.ok(counted.find((s) => s.labels.gateway === g.name)!.value >= 1, `${g.name} has a problem`);
  const alerts = new Set(allRules().map((r) => r.alert));
  for (const problem of GATEWAY_PROBLEMS) assert.ok(alerts.has(problem.alert), `the tile's "${problem.name}" is the condition of alert ${problem.alert}`);
  const oldest = await p.query(panelExpr('Agents awaiting approval', 'A'));
  assert.equal(oldest.length, 1, 'the oldest wait: one number, 0 when none waits');
});

/** problemCount() as the Gateways table runs it (scoped to the instance like every panel query). */
function problemCountScoped(): string {
  const overview = allDashboards().find((d) => d.uid === UIDS.overview)!;
  const e = expressionsOf(overview).find((x) => x.where.startsWith(`${overview.uid} / Gateways / `) && x.expr.includes(' bool '));
  assert.ok(e, 'the Gateways table has its problem count');
  assert.equal(e.expr.replace(/\{[^}]*\}/g, ''), problemCount().replace(/\{[^}]*\}/g, ''));
  return e.expr;
}
