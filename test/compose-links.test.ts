// The two links every alert carries, in the compose stack: GATEWATCH_RUNBOOK_BASE_URL and
// GATEWATCH_GRAFANA_URL are required settings (compose refuses to start without them, as it does without
// a secret), and deploy/gatewatch-links.sh, the entry point of Prometheus and Grafana, really moves every
// runbook_url, dashboard_url and dashboard runbook link of the committed files to them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { LINK_ENV, defaultConfig } from '../src/alerts/config.js';
import { ALERTS_FILE } from '../src/alerts/files.js';
import { allRules } from '../src/alerts/rules.js';
import { DASHBOARD_DIR } from '../src/dashboards/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const SCRIPT = 'deploy/gatewatch-links.sh';
const envExample = read('.env.example');
const compose = parse(read('docker-compose.yml')) as { services: Record<string, { environment?: Record<string, string>; entrypoint?: string[] }> };
const LINKS = Object.values(LINK_ENV);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  // Nothing of the caller's environment that .env.example names leaks into the run.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !envExample.includes(`\n${k}=`)));
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...clean, ...env } });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error(`install ${cmd} (scripts/ensure-tools.sh)`);
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

test('the runbook and Grafana URLs are required settings of Prometheus and Grafana, empty in .env.example', () => {
  for (const service of ['prometheus', 'grafana']) {
    const env = compose.services[service]!.environment ?? {};
    for (const name of LINKS) assert.match(String(env[name]), new RegExp(`^\\$\\{${name}:\\?set ${name} in \\.env[^}]*\\}$`), `${service}: ${name}`);
    assert.match((compose.services[service]!.entrypoint ?? []).join(' '), /\/etc\/gatewatch\/links\.sh /, `${service} starts through ${SCRIPT}`);
  }
  assert.match(String(compose.services.grafana!.environment!.GF_SERVER_ROOT_URL), /^\$\{GATEWATCH_GRAFANA_URL:\?/, 'Grafana answers where dashboard_url points');
  for (const name of LINKS) assert.match(envExample, new RegExp(`^${name}=$`, 'm'), `.env.example leaves ${name} for the operator`);
  // The script replaces exactly what npm run alerts / npm run dashboards write by default.
  const script = read(SCRIPT);
  assert.ok(script.includes(`DEFAULT_RUNBOOK='${defaultConfig.runbookBaseUrl}'`), 'runbook default in step with src/alerts/config.ts');
  assert.ok(script.includes(`DEFAULT_GRAFANA='${defaultConfig.grafanaUrl}'`), 'Grafana default in step with src/alerts/config.ts');
});

test('docker-compose config refuses empty links with the secrets set, and accepts .ci/run\'s placeholder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-compose-links-'));
  try {
    const config = (text: string) => {
      writeFileSync(join(dir, 'env'), text);
      return run('docker-compose', ['--env-file', join(dir, 'env'), '-f', 'docker-compose.yml', 'config', '-q']);
    };
    const secretsOnly = envExample.replace(/^((?!GATEWATCH_RUNBOOK_BASE_URL|GATEWATCH_GRAFANA_URL)[A-Z0-9_]+)=$/gm, '$1=Test-Secret-0123456789');
    const refused = config(secretsOnly);
    assert.notEqual(refused.status, 0, refused.out);
    assert.match(refused.out, /set GATEWATCH_(RUNBOOK_BASE_URL|GRAFANA_URL) in \.env/);
    const placeholder = /\\1=([\w-]+)\//.exec(read('.ci/run'))?.[1];
    assert.ok(placeholder, '.ci/run fills empty values with a placeholder');
    const ci = config(envExample.replace(/^([A-Z0-9_]+)=$/gm, `$1=${placeholder}`));
    assert.equal(ci.status, 0, ci.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(`${SCRIPT} moves every link of the committed rules and dashboards, then starts the command`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-links-'));
  try {
    const env = { GATEWATCH_RUNBOOK_BASE_URL: 'https://wiki.corp.example/noc/gatewatch-runbooks/', GATEWATCH_GRAFANA_URL: 'https://grafana.corp.example' };
    const rules = join(dir, 'rules/alerts.yml');
    const r = run('sh', [SCRIPT, ALERTS_FILE, rules, DASHBOARD_DIR, join(dir, 'dashboards'), '--', 'echo', 'started'], env);
    assert.equal(r.status, 0, r.out);
    assert.equal(r.stdout, 'started\n');
    const check = run('promtool', ['check', 'rules', rules]);
    assert.equal(check.status, 0, check.out);
    const groups = (parse(readFileSync(rules, 'utf8')) as { groups: { rules: { alert: string; annotations: Record<string, string> }[] }[] }).groups;
    const loaded = groups.flatMap((g) => g.rules);
    assert.equal(loaded.length, allRules().length);
    for (const a of loaded) {
      assert.equal(a.annotations.runbook_url, `https://wiki.corp.example/noc/gatewatch-runbooks#${a.alert.toLowerCase()}`);
      assert.equal(a.annotations.dashboard_url, `https://grafana.corp.example/d/${a.annotations.dashboard_uid}`);
    }
    const files = readdirSync(join(dir, 'dashboards'));
    assert.deepEqual(files.sort(), readdirSync(join(root, DASHBOARD_DIR)).sort());
    for (const f of files) {
      const text = readFileSync(join(dir, 'dashboards', f), 'utf8');
      JSON.parse(text);
      assert.ok(!text.includes(defaultConfig.runbookBaseUrl), `${f}: no default runbook link left`);
      if (read(`${DASHBOARD_DIR}/${f}`).includes(defaultConfig.runbookBaseUrl)) assert.match(text, /"url": "https:\/\/wiki\.corp\.example\/noc\/gatewatch-runbooks#gatewatch/, f);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(`${SCRIPT} stops on a value that is not a URL, naming it, and starts nothing`, () => {
  for (const [value, message] of [['', /GATEWATCH_GRAFANA_URL must be an http\(s\) URL, not '': set it in \.env/], ['grafana.corp.example', /must be an http\(s\) URL/], ['https://grafana.corp.example/#x', /without # \?/]] as const) {
    const r = run('sh', [SCRIPT, '--', 'echo', 'started'], { GATEWATCH_RUNBOOK_BASE_URL: 'https://wiki.corp.example/r', GATEWATCH_GRAFANA_URL: value });
    assert.notEqual(r.status, 0, value);
    assert.match(r.out, message);
    assert.ok(!r.out.includes('started'), 'the command does not start');
  }
});
