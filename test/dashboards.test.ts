// The Grafana dashboards generated from src/dashboards/: the committed JSON is what the code generates,
// and every dashboard is well formed — panel ids, grid, datasource, descriptions, metric names from the
// contract, runbook links to sections that exist. (dashboards-prometheus.test.ts runs their queries.)
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { defaultConfig } from '../src/alerts/config.js';
import { COLOURS, DATASOURCE, DATASOURCE_VAR, INSTANCE_MATCHERS, INSTANCE_VARS, LIMITS, NOC, PROM_ALERTS, PROVISIONED_DATASOURCE, READABLE, REFRESH, TAG, UIDS } from '../src/dashboards/config.js';
import { GATEWAY_PROBLEMS } from '../src/dashboards/overview-gateways.js';
import { DASHBOARD_DIR, allDashboards, expressionsOf, renderDashboard } from '../src/dashboards/index.js';
import { BLACKBOX, DEPRECATED, M, PROCESS } from '../src/metrics/names.js';
import { PROBE_SELECTOR } from '../src/dashboards/config.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dashboards = allDashboards();
const panelsOf = (d: Dashboard) => (d.panels ?? []).filter((p): p is Panel => p.type !== 'row') as (Panel & { links?: { url?: string }[] })[];
// Deprecated names are served, never read: a panel on one would go blank when it is removed.
const METRICS = new Set<string>([...Object.values(M).filter((m) => !(m in DEPRECATED)), ...Object.values(PROCESS)]);
/** Series selectors of the metrics gatewatch exports: its own and the process metrics. */
const SELECTOR = /(?<![\w:"])((?:gatewatch|process|nodejs)_[a-z0-9_]+)(\{[^}]*\})?/g;
/** Series a histogram exposes besides its name. */
const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;

test('the committed dashboards are what src/dashboards generates (else run `npm run dashboards`)', () => {
  const expected = new Set<string>();
  for (const d of dashboards) {
    const { file, text } = renderDashboard(d);
    expected.add(file);
    const path = `${root}${file}`;
    assert.ok(existsSync(path), `${file} is missing: run \`npm run dashboards\` and commit it`);
    assert.equal(readFileSync(path, 'utf8'), text, `${file} differs from what src/dashboards generates: run \`npm run dashboards\``);
  }
  const committed = readdirSync(`${root}${DASHBOARD_DIR}`).filter((f) => f.endsWith('.json')).map((f) => `${DASHBOARD_DIR}/${f}`);
  assert.deepEqual(committed.sort(), [...expected].sort(), `${DASHBOARD_DIR} holds only generated dashboards: run \`npm run dashboards\``);
});

test('every dashboard has a unique uid, the gatewatch tag, a refresh and links to the others', () => {
  const uids = dashboards.map((d) => d.uid);
  assert.equal(new Set(uids).size, uids.length, `duplicate uids: ${uids}`);
  assert.deepEqual([...uids].sort(), Object.values(UIDS).sort());
  for (const d of dashboards) {
    assert.ok(d.tags?.includes(TAG), `${d.uid}: tagged ${TAG}`);
    assert.equal(d.refresh, REFRESH, d.uid);
    assert.ok(d.description, `${d.uid}: a description`);
    assert.ok(d.links?.some((l) => l.type === 'dashboards' && l.tags.includes(TAG)), `${d.uid}: links to the other ${TAG} dashboards`);
  }
});

test('panels: unique ids, inside the 24-column grid, no overlaps, a description each', () => {
  for (const d of dashboards) {
    const panels = (d.panels ?? []) as (Panel | RowPanel)[];
    const ids = panels.map((p) => p.id);
    assert.ok(ids.every((id) => Number.isInteger(id)), `${d.uid}: every panel has an id`);
    assert.equal(new Set(ids).size, ids.length, `${d.uid}: duplicate panel ids ${ids}`);
    const boxes = panels.map((p) => ({ title: p.title, ...p.gridPos! }));
    for (const b of boxes) {
      assert.ok(b.x >= 0 && b.y >= 0 && b.w > 0 && b.h > 0 && b.x + b.w <= 24, `${d.uid} / ${b.title}: gridPos ${JSON.stringify(b)} is outside the grid`);
    }
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach((b) => {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        assert.ok(!overlap, `${d.uid}: "${a.title}" and "${b.title}" overlap`);
      }),
    );
    for (const p of panelsOf(d)) assert.ok(p.description?.trim(), `${d.uid} / ${p.title}: a description`);
  }
});

test('the datasource is the $datasource variable (default: the provisioned Prometheus) on every panel, target, annotation and variable', () => {
  assert.equal(DATASOURCE.uid, `\${${DATASOURCE_VAR.name}}`);
  for (const d of dashboards) {
    const variable = (d.templating.list ?? []).find((v) => v.name === DATASOURCE_VAR.name);
    assert.equal(variable?.type, 'datasource', `${d.uid}: a datasource variable`);
    assert.equal(variable?.query, 'prometheus', `${d.uid}: of Prometheus datasources`);
    assert.equal((variable?.current as { value?: string } | undefined)?.value, PROVISIONED_DATASOURCE, `${d.uid}: defaults to the provisioned one`);
    for (const p of panelsOf(d)) {
      assert.deepEqual(p.datasource, DATASOURCE, `${d.uid} / ${p.title}`);
      assert.ok(p.targets?.length, `${d.uid} / ${p.title}: has queries`);
      const refIds = p.targets.map((t) => (t as { refId?: string }).refId);
      assert.equal(new Set(refIds).size, refIds.length, `${d.uid} / ${p.title}: unique refIds ${refIds}`);
      for (const t of p.targets) assert.deepEqual((t as { datasource?: unknown }).datasource, DATASOURCE, `${d.uid} / ${p.title}: target`);
    }
    for (const a of d.annotations.list ?? []) assert.deepEqual(a.datasource, DATASOURCE, `${d.uid} / annotation ${a.name}`);
    for (const v of d.templating.list ?? []) if (v.type !== 'datasource') assert.deepEqual(v.datasource, DATASOURCE, `${d.uid} / variable ${v.name}`);
  }
});

test('every dashboard picks one gatewatch (job, instance) and every query is scoped to it, so two are never summed', () => {
  for (const d of dashboards) {
    const names = (d.templating.list ?? []).map((v) => v.name);
    assert.deepEqual(names.slice(0, 3), [DATASOURCE_VAR.name, INSTANCE_VARS.job, INSTANCE_VARS.instance], `${d.uid}: variables`);
    for (const v of (d.templating.list ?? []).filter((x) => x.name === INSTANCE_VARS.job || x.name === INSTANCE_VARS.instance)) {
      assert.equal(v.multi, false, `${d.uid}: ${v.name} is one value`);
      assert.equal(v.includeAll, false, `${d.uid}: ${v.name} has no All`);
    }
    for (const { where, expr, kind } of expressionsOf(d)) {
      if (kind === 'annotation') continue;
      // The job and instance variables list what there is to choose from: they cannot be scoped by themselves.
      if (/, (job|instance)\)$/.test(expr)) continue;
      const selectors = [...expr.matchAll(SELECTOR)];
      // blackbox_exporter's probe series have their own job instead (PROBE_SELECTOR).
      assert.ok(selectors.length > 0 || expr.includes(PROBE_SELECTOR), `${where}: ${expr}`);
      for (const [whole] of selectors) for (const m of INSTANCE_MATCHERS) assert.ok(whole.includes(m), `${where}: ${whole} lacks ${m}`);
    }
  }
});

test('selectors are spelled in src/dashboards/config.ts only', () => {
  const dir = `${root}src/dashboards/`;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts') && x !== 'config.ts')) {
    const text = readFileSync(dir + f, 'utf8');
    assert.doesNotMatch(text, /\bis\(|VALUES\.|=~?"(?!\$)/, `${f}: a label matcher outside config.ts`);
  }
});

test('every metric an expression names is in the metric contract (M)', () => {
  for (const d of dashboards) {
    const exprs = expressionsOf(d);
    assert.ok(exprs.length > 0, d.uid);
    for (const { where, expr, kind } of exprs) {
      const names = expr.match(/\bgatewatch_[a-z0-9_]+/g) ?? [];
      for (const n of names) {
        const known = METRICS.has(n) || (HISTOGRAM_SERIES.test(n) && METRICS.has(n.replace(HISTOGRAM_SERIES, '')));
        assert.ok(known, `${where}: ${n} is not in M (src/metrics/names.ts)`);
      }
      if (kind === 'annotation') assert.ok(expr.startsWith(`${PROM_ALERTS.metric}{`), `${where}: annotations read Prometheus's ALERTS`);
      else assert.ok(names.length > 0 || [...Object.values(PROCESS), ...Object.values(BLACKBOX)].some((p) => expr.includes(p)), `${where}: reads a gatewatch metric: ${expr}`);
    }
  }
});

test('runbook links point at sections of docs/runbooks.md, on every dashboard', () => {
  const anchors = new Set(
    readFileSync(`${root}docs/runbooks.md`, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('## '))
      .map((l) => l.slice(3).trim().toLowerCase()),
  );
  const base = `${defaultConfig.runbookBaseUrl}#`;
  for (const d of dashboards) {
    const urls = panelsOf(d).flatMap((p) => (p.links ?? []).map((l) => l.url ?? ''));
    const runbooks = urls.filter((u) => u.startsWith(base));
    assert.ok(runbooks.length > 0, `${d.uid}: panels link to runbooks`);
    for (const u of runbooks) assert.ok(anchors.has(u.slice(base.length)), `${d.uid}: ${u} names no section of docs/runbooks.md`);
  }
});

test('the CEM overview is the NOC screen the alerts link to: only which gatewatch to choose, one screen high, spike annotations', () => {
  const d = dashboards.find((x) => x.uid === defaultConfig.dashboards.overview);
  assert.ok(d, `a dashboard with the uid the alerts link to (${defaultConfig.dashboards.overview})`);
  assert.deepEqual((d.templating.list ?? []).map((v) => v.name), [DATASOURCE_VAR.name, INSTANCE_VARS.job, INSTANCE_VARS.instance], 'nothing else to choose on a wall screen');
  const inventory = panelsOf(d).find((p) => p.title === 'Inventory');
  assert.ok((inventory?.gridPos?.w ?? 0) >= 3, 'the Inventory tile is readable across a room');
  const height = Math.max(...(d.panels ?? []).map((p) => p.gridPos!.y + p.gridPos!.h));
  assert.ok(height <= NOC.maxRows, `fits 1920×1080: ${height} grid rows`);
  assert.ok(panelsOf(d).filter((p) => p.type === 'stat').length >= 6, 'big stat panels');
  assert.ok(panelsOf(d).some((p) => p.type === 'table'), 'a gateway table');
  assert.ok(d.annotations.list?.some((a) => a.enable && a.expr?.includes('"GatewatchBlockedAgentSpike"')), 'spike alerts as annotations');
});

test('the overview reads on a wall: ephemeral auth, the oldest wait against the alert\'s limit, non-zero verdicts, problems first', () => {
  const d = dashboards.find((x) => x.uid === defaultConfig.dashboards.overview)!;
  const panels = panelsOf(d);
  const panel = (title: string) => {
    const p = panels.find((x) => x.title === title);
    assert.ok(p, `a panel "${title}"`);
    return p as Panel & { links?: { url?: string }[]; targets: { expr: string }[]; options?: any; fieldConfig: any };
  };
  const exprs = (p: { targets: { expr: string }[] }) => p.targets.map((t) => t.expr).join('\n');
  const links = (p: { links?: { url?: string }[] }) => (p.links ?? []).map((l) => l.url ?? '').join(' ');
  for (const p of panels.filter((x) => x.type === 'stat')) assert.ok(p.gridPos!.w >= READABLE.stat.w, `${p.title}: ${p.gridPos!.w} columns wide`);

  const tile = panel('Gateways with a problem');
  assert.match(exprs(tile), new RegExp(`${M.gatewayEphemeralAuthEnabled}\\{[^}]*\\}\\) == bool 0`));
  assert.match(links(tile), /#gatewatchephemeralauthdisabled\b/);

  const waiting = panel('Agents awaiting approval');
  assert.match(exprs(waiting), new RegExp(M.accessRequestOldestPending));
  const overrides = JSON.stringify(waiting.fieldConfig.overrides);
  assert.equal(LIMITS.awaitingApprovalSeconds, defaultConfig.awaitingApproval.maxWait, 'the alert\'s own limit');
  assert.ok(overrides.includes(`{"value":${LIMITS.awaitingApprovalSeconds},"color":"${COLOURS.warn}"}`), `orange from the alert's ${LIMITS.awaitingApprovalSeconds} s: ${overrides}`);

  const verdicts = panel('Why agents are not connecting');
  assert.match(exprs(verdicts), /^sort_desc\(.*\) > 0\)$/, 'non-zero verdicts, most first');
  assert.ok(verdicts.gridPos!.w >= READABLE.verdicts.w && verdicts.gridPos!.h >= READABLE.verdicts.h, `verdicts ${verdicts.gridPos!.w}×${verdicts.gridPos!.h}`);

  const table = panel('Gateways');
  assert.deepEqual(table.options?.sortBy, [{ displayName: 'Problems', desc: true }], 'problems first');
  for (const p of GATEWAY_PROBLEMS) assert.match(links(table), new RegExp(`#${p.alert.toLowerCase()}\\b`), `links ${p.alert}`);
  // The gateways dashboard's own flag links the same runbook.
  const gateways = panelsOf(dashboards.find((x) => x.uid === UIDS.gateways)!).find((p) => p.title === 'Ephemeral authentication');
  assert.match(links(gateways as never), /#gatewatchephemeralauthdisabled\b/);
});

test('npm run dashboards takes the runbook links from GATEWATCH_RUNBOOK_BASE_URL; without it, the committed defaults', async () => {
  const { spawnSync } = await import('node:child_process');
  const script = "const { allDashboards } = await import('./src/dashboards/index.ts'); console.log(JSON.stringify(allDashboards()));";
  const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  const moved = run({ GATEWATCH_RUNBOOK_BASE_URL: 'https://wiki.corp.example/gatewatch/runbooks' });
  assert.equal(moved.status, 0, moved.stderr);
  assert.match(moved.stdout, /"url":"https:\/\/wiki\.corp\.example\/gatewatch\/runbooks#gatewatchgatewayoffline"/);
  assert.ok(!moved.stdout.includes(defaultConfig.runbookBaseUrl), 'every runbook link moved');
  const bad = run({ GATEWATCH_RUNBOOK_BASE_URL: 'wiki' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /GATEWATCH_RUNBOOK_BASE_URL: not a URL/);
});
