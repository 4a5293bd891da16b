// docker-compose.yml, checked without a Docker engine: everything it mounts or builds from is in the
// repository, ports are published on 127.0.0.1 only, secrets come only from .env (each ${VAR:?…},
// listed in .env.example), the Prometheus and Grafana provisioning files agree with the services, and
// `docker-compose config` accepts it (Debian package docker-compose; missing, the test fails).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { allRules } from '../src/alerts/rules.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const composeText = read('docker-compose.yml');
const envExample = read('.env.example');

interface Service {
  build?: string | { context: string; dockerfile?: string };
  image?: string;
  environment?: Record<string, string> | string[];
  volumes?: (string | { type: string; source: string; target: string })[];
  ports?: (string | { host_ip?: string; published?: string | number })[];
  tmpfs?: string[];
  entrypoint?: string[];
  command?: string[];
  network_mode?: string;
  healthcheck?: { test?: string[]; disable?: boolean; start_period?: string };
  depends_on?: string[] | Record<string, { condition: string }>;
  mem_limit?: string;
}
const compose = parse(composeText) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = Object.entries(compose.services);

/** Bind mounts of a service as [repository path, container path]; named volumes are not binds. */
function binds(s: Service): [string, string][] {
  return (s.volumes ?? []).flatMap((v): [string, string][] => {
    if (typeof v !== 'string') return v.type === 'bind' ? [[v.source, v.target]] : [];
    const [source, target] = v.split(':') as [string, string];
    return /^[./]/.test(source) ? [[source, target]] : [];
  });
}
/**
 * What a service's entry point copies through deploy/gatewatch-links.sh, as [repository path, container
 * path it writes]: the files it loads are these copies, with the links of .env.
 */
function linked(s: Service): [string, string][] {
  const m = /links\.sh ((?:\S+ \S+ )+)-- /.exec((s.entrypoint ?? []).join(' '));
  const words = m ? m[1]!.trim().split(' ') : [];
  const out: [string, string][] = [];
  for (let i = 0; i < words.length; i += 2) {
    const bind = binds(s).find(([, target]) => target === words[i]);
    assert.ok(bind, `${words[i]} is mounted`);
    out.push([bind[0], words[i + 1]!]);
  }
  return out;
}
/** Every string in the compose file, keys and values, without its comments. */
const scalars = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...scalars(x)]) : v === undefined || v === null ? [] : [String(v)];
const composeStrings = scalars(compose).join('\n');
const env = (s: Service): [string, string][] =>
  Array.isArray(s.environment) ? s.environment.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]) : Object.entries(s.environment ?? {});
const SECRET = /PASSWORD|TOKEN|SECRET|CREDENTIAL|_KEY\b/i;
const REQUIRED = /^\$\{([A-Z0-9_]+):\?[^}]+\}$/;

test('everything the compose file builds from or mounts is in the repository', () => {
  for (const [name, s] of services) {
    const build = typeof s.build === 'string' ? { context: s.build } : s.build;
    if (build) assert.ok(existsSync(join(root, build.context, build.dockerfile ?? 'Dockerfile')), `${name}: build context ${build.context}`);
    assert.ok(build || s.image, `${name}: an image or a build`);
    for (const [source] of binds(s)) assert.ok(existsSync(join(root, source)), `${name}: mounts ${source}, which is missing`);
    for (const v of s.volumes ?? []) if (typeof v === 'string' && !/^[./]/.test(v)) assert.ok(compose.volumes && v.split(':')[0]! in compose.volumes, `${name}: volume ${v} declared`);
  }
  assert.ok(existsSync(join(root, 'dashboards/grafana')), 'dashboards/grafana (Grafana loads the dashboards from it)');
});

test('every published port is bound to 127.0.0.1, and no service shares the host network', () => {
  for (const [name, s] of services) {
    assert.equal(s.network_mode, undefined, name);
    for (const p of s.ports ?? []) {
      const ip = typeof p === 'string' ? p.split(':')[0] : p.host_ip;
      assert.equal(ip, '127.0.0.1', `${name}: port ${JSON.stringify(p)} must be published on 127.0.0.1 only`);
    }
  }
});

test('secrets come only from .env: required ${VAR:?…}, never a literal or a default', () => {
  let secrets = 0;
  for (const [name, s] of services) {
    for (const [key, value] of env(s)) {
      if (SECRET.test(key)) assert.match(String(value), REQUIRED, `${name}: ${key} must be \${VAR:?…} from .env`), secrets++;
    }
  }
  assert.ok(secrets >= 5, `${secrets} secrets checked`);
  // Passwords inside URLs (the mssql:// the loader and gatewatch use), wherever they stand.
  const urls = [...composeStrings.matchAll(/:\/\/[^\s:/@]+:([^@\s]*(?:\$\{[^}]*\})?)@/g)];
  assert.ok(urls.length > 0);
  for (const [url, password] of urls) assert.match(password!, REQUIRED, `${url} holds a literal password`);
  for (const [, name, form] of composeStrings.matchAll(/(?<!\$)\$\{([A-Za-z0-9_]+)(:?[-?])?/g)) {
    if (SECRET.test(name!)) assert.equal(form, ':?', `\${${name}} must be required (:?), not defaulted`);
  }
});

test('every variable the compose file reads is in .env.example, whose secrets are left empty', () => {
  const used = new Set([...composeStrings.matchAll(/(?<!\$)\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
  const listed = new Map([...envExample.matchAll(/^([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  assert.deepEqual([...used].filter((v) => !listed.has(v)), [], 'used by docker-compose.yml but not in .env.example');
  assert.deepEqual([...listed.keys()].filter((v) => !used.has(v)), [], 'in .env.example but unused');
  for (const [name, value] of listed) if (SECRET.test(name)) assert.equal(value, '', `.env.example: ${name} must be empty (a placeholder would become the password)`);
});

test('Prometheus scrapes gatewatch with the token and loads the mounted rules; promtool accepts the config', () => {
  const prom = compose.services.prometheus!;
  const config = read('deploy/prometheus/prometheus.yml');
  const parsed = parse(config) as { rule_files: string[]; scrape_configs: { job_name: string; authorization?: { credentials_file: string }; static_configs: { targets: string[] }[] }[] };
  const job = parsed.scrape_configs.find((c) => c.job_name === 'gatewatch');
  assert.deepEqual(job?.static_configs[0]?.targets, ['gatewatch:4000']);
  assert.ok(prom.tmpfs?.some((t) => job!.authorization!.credentials_file.startsWith(`${t}/`)), 'the token file lies in a tmpfs');
  assert.match(JSON.stringify(compose.services.gatewatch), /0\.0\.0\.0:4000/);
  // The token Prometheus writes to that file is one gatewatch is given, from the same .env variable.
  const [, written] = /printf '%s' "\$\$(\w+)" > (\S+)/.exec((prom.entrypoint ?? []).join(' ')) ?? [];
  assert.equal(written, 'GATEWATCH_METRICS_TOKEN', 'Prometheus holds the token that opens /metrics only');
  assert.equal(new Map(env(compose.services.gatewatch!)).get(written), new Map(env(prom)).get(written));
  // Point every container path at what is mounted there, and the token at a file, and let promtool read it all.
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-compose-'));
  try {
    let local = config.replace(job!.authorization!.credentials_file, join(dir, 'token'));
    writeFileSync(join(dir, 'token'), 'x'.repeat(32));
    for (const [source, target] of [...binds(prom), ...linked(prom)]) local = local.split(target).join(join(root, source));
    assert.deepEqual(parsed.rule_files.filter((f) => local.includes(f)), [], 'every rule file is a mounted file, or its copy with the links of .env');
    writeFileSync(join(dir, 'prometheus.yml'), local);
    const r = run('promtool', ['check', 'config', join(dir, 'prometheus.yml')], 'install Debian package prometheus (promtool)');
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, new RegExp(`SUCCESS: ${allRules().length} rules found`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Grafana provisions the datasource uid the dashboards name and loads the mounted dashboards folder', () => {
  const sources = (parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as { datasources: { uid: string; url: string }[] }).datasources;
  assert.ok(sources.some((d) => d.uid === 'gatewatch-prometheus' && d.url === 'http://prometheus:9090'));
  const [provider] = (parse(read('deploy/grafana/provisioning/dashboards/gatewatch.yml')) as { providers: { options: { path: string } }[] }).providers;
  assert.deepEqual(linked(compose.services.grafana!).find(([, target]) => target === provider!.options.path), ['./dashboards/grafana', provider!.options.path]);
  for (const file of readdirSync(join(root, 'dashboards/grafana')).filter((f) => f.endsWith('.json'))) {
    for (const [, uid] of read(`dashboards/grafana/${file}`).matchAll(/"datasource":\s*\{[^}]*"uid":\s*"([^"$]+)"/g)) {
      assert.ok(sources.some((d) => d.uid === uid), `${file} names datasource ${uid}, which is not provisioned`);
    }
  }
});

test('the image: multi-stage on a supported Node LTS (bookworm-slim), non-root, health-checked on /healthz; secrets stay out of the context', () => {
  const docker = read('Dockerfile');
  const bases = [...docker.matchAll(/^FROM node:(\d+)-bookworm-slim\b/gm)].map((m) => Number(m[1]));
  assert.equal(bases.length, 2, 'build and runtime stages');
  // Even majors are the LTS lines; 20 reached its end of life in April 2026.
  for (const major of bases) assert.ok(major >= 22 && major % 2 === 0, `node:${major} is not a supported LTS`);
  assert.equal(bases[0], bases[1], 'built and run on the same Node');
  assert.match(docker, /^USER node$/m);
  assert.match(docker, /^HEALTHCHECK [\s\S]*fetch\('http:\/\/127\.0\.0\.1:4000\/healthz'\)/m);
  const ignored = read('.dockerignore').split('\n');
  for (const p of ['node_modules', 'data', 'dist', '.git', '.env']) assert.ok(ignored.includes(p), `.dockerignore: ${p}`);
});

test('health checks gate the start order: Prometheus, Alertmanager and Grafana are probed on their health endpoints', () => {
  const probes: Record<string, string> = { prometheus: 'http://127.0.0.1:9090/-/healthy', alertmanager: 'http://127.0.0.1:9093/-/healthy', grafana: 'http://127.0.0.1:3000/api/health' };
  for (const [name, url] of Object.entries(probes)) {
    const test = compose.services[name]!.healthcheck?.test ?? [];
    assert.equal(test[0], 'CMD', `${name}: exec-form health check (no shell needed)`);
    assert.equal(test.at(-1), url, `${name}: probes ${url}`);
  }
  const dependsOn = (name: string) => compose.services[name]!.depends_on as Record<string, { condition: string }>;
  assert.equal(dependsOn('prometheus').alertmanager?.condition, 'service_healthy');
  assert.equal(dependsOn('grafana').prometheus?.condition, 'service_healthy');
  // Prometheus must run while gatewatch is unhealthy: it is what raises GatewatchInventoryDown.
  assert.equal(dependsOn('prometheus').gatewatch?.condition, 'service_started');
  assert.equal(dependsOn('gatewatch')['cmdb-init']?.condition, 'service_completed_successfully');
  assert.equal(dependsOn('cmdb-init').sqlserver?.condition, 'service_healthy');
  // gatewatch's own check is the image's HEALTHCHECK (Dockerfile), so compose must not disable it.
  assert.notEqual(compose.services.gatewatch!.healthcheck?.disable, true);
  for (const [name, s] of services) {
    for (const dep of Array.isArray(s.depends_on) ? s.depends_on : []) assert.fail(`${name}: depends_on ${dep} without a condition`);
  }
});

test('every service has a memory limit, SQL Server is pinned to a cumulative update, Prometheus retention is explicit', () => {
  const bytes = (v: string) => Number(/^(\d+)([kmg])$/.exec(v)![1]) * { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[/([kmg])$/.exec(v)![1] as 'k' | 'm' | 'g'];
  for (const [name, s] of services) assert.match(String(s.mem_limit), /^\d+[kmg]$/, `${name}: mem_limit`);
  assert.ok(bytes(compose.services.sqlserver!.mem_limit!) >= 2 * 2 ** 30, 'SQL Server needs at least 2 GB');
  const image = compose.services.sqlserver!.image!;
  assert.match(image, /^mcr\.microsoft\.com\/mssql\/server:2022-CU\d+(-GDR\d+)?-ubuntu-22\.04$/, `${image}: a fixed CU tag, never latest`);
  for (const [name, s] of services) if (s.image && !s.build) assert.doesNotMatch(s.image, /:latest$|^[^:]+$/, `${name}: image tag pinned`);
  const retention = (compose.services.prometheus!.command ?? []).find((a) => a.startsWith('--storage.tsdb.retention.time='));
  assert.equal(retention, '--storage.tsdb.retention.time=${PROMETHEUS_RETENTION:-15d}');
  assert.match(envExample, /^PROMETHEUS_RETENTION=\d+[dwy]$/m);
});

/** Runs a system program; a missing one fails the test with one line naming its Debian package. */
function run(cmd: string, args: string[], missing: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !envExample.includes(`\n${k}=`)));
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...clean, ...extraEnv } });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    const e = new Error(missing);
    e.stack = e.message;
    throw e;
  }
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

test('docker-compose config: refuses .env.example as committed, accepts it with the secrets filled in', () => {
  const compose = (envFile: string, ...args: string[]) => run('docker-compose', ['--env-file', envFile, '-f', 'docker-compose.yml', 'config', ...args], 'install Debian package docker-compose');
  const refused = compose('.env.example', '-q');
  assert.notEqual(refused.status, 0, 'empty secrets must stop compose');
  assert.match(refused.out, /set (MSSQL_SA_PASSWORD|GATEWATCH_API_TOKEN|GRAFANA_ADMIN_PASSWORD) in \.env/);
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-compose-'));
  try {
    const filled = join(dir, 'env');
    writeFileSync(filled, envExample.replace(/^([A-Z0-9_]+)=$/gm, '$1=Test-Secret-0123456789'));
    assert.equal(compose(filled, '-q').status, 0);
    const resolved = compose(filled);
    assert.equal(resolved.status, 0, resolved.out);
    const out = parse(resolved.stdout) as { services: Record<string, Service> };
    assert.deepEqual(Object.keys(out.services).sort(), ['alertmanager', 'blackbox', 'cmdb-init', 'gatewatch', 'grafana', 'prometheus', 'sqlserver']);
    for (const [name, s] of Object.entries(out.services)) for (const p of s.ports ?? []) assert.match(String(p), /^127\.0\.0\.1:/, name);
    assert.match(JSON.stringify(out.services.gatewatch!.environment), /mssql:\/\/sa:Test-Secret-0123456789@sqlserver:1433\/gatewatch_demo/);
    // docker-compose 1.29 keeps what it understands: limits and retention survive its parsing.
    for (const [name, s] of Object.entries(out.services)) assert.ok(s.mem_limit, `${name}: mem_limit after docker-compose config`);
    assert.ok(out.services.prometheus!.command?.includes('--storage.tsdb.retention.time=15d'));
    assert.equal((out.services.grafana!.depends_on as Record<string, { condition: string }>).prometheus?.condition, 'service_healthy');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
