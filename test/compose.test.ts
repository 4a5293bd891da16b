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
  network_mode?: string;
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
    for (const [source, target] of binds(prom)) local = local.split(target).join(join(root, source));
    assert.deepEqual(parsed.rule_files.filter((f) => local.includes(f)), [], 'every rule file is a mounted file');
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
  assert.deepEqual(binds(compose.services.grafana!).find(([, target]) => target === provider!.options.path), ['./dashboards/grafana', provider!.options.path]);
  for (const file of readdirSync(join(root, 'dashboards/grafana')).filter((f) => f.endsWith('.json'))) {
    for (const [, uid] of read(`dashboards/grafana/${file}`).matchAll(/"datasource":\s*\{[^}]*"uid":\s*"([^"$]+)"/g)) {
      assert.ok(sources.some((d) => d.uid === uid), `${file} names datasource ${uid}, which is not provisioned`);
    }
  }
});

test('the image: multi-stage node:20-bookworm-slim, non-root, health-checked on /healthz; secrets stay out of the context', () => {
  const docker = read('Dockerfile');
  assert.equal([...docker.matchAll(/^FROM node:20-bookworm-slim\b/gm)].length, 2);
  assert.match(docker, /^USER node$/m);
  assert.match(docker, /^HEALTHCHECK [\s\S]*fetch\('http:\/\/127\.0\.0\.1:4000\/healthz'\)/m);
  const ignored = read('.dockerignore').split('\n');
  for (const p of ['node_modules', 'data', 'dist', '.git', '.env']) assert.ok(ignored.includes(p), `.dockerignore: ${p}`);
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
    assert.deepEqual(Object.keys(out.services).sort(), ['alertmanager', 'cmdb-init', 'gatewatch', 'grafana', 'prometheus', 'sqlserver']);
    for (const [name, s] of Object.entries(out.services)) for (const p of s.ports ?? []) assert.match(String(p), /^127\.0\.0\.1:/, name);
    assert.match(JSON.stringify(out.services.gatewatch!.environment), /mssql:\/\/sa:Test-Secret-0123456789@sqlserver:1433\/gatewatch_demo/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
