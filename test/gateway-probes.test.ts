// End to end, the gateways probed the Prometheus way (issue 18 part A): TLS servers on 127.0.0.1 with
// certificates made now by `openssl` (valid for a year, expiring in 2 days, expired) and a port with
// nothing listening; a demo inventory whose gateway tables point at them; `gatewatch serve` listing
// them at /sd/gateways; a real blackbox_exporter running deploy/blackbox/blackbox.yml; and a real
// Prometheus running the shipped gateway-probes job (deploy/prometheus/prometheus.yml, its addresses
// made local) and the committed dashboards/prometheus/alerts.yml. Asserted through Prometheus's HTTP
// API: discovery, one probe per gateway, the certificate expiry order, the alerts going pending or
// firing, and every probe panel query returning data. Everything listens on 127.0.0.1 and dies with
// the test; every wait is on Prometheus's state, bounded, never a fixed sleep.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { GATEWAY_VAR, INSTANCE_VARS, PROBE_SELECTOR } from '../src/dashboards/config.js';
import { allDashboards, expressionsOf, type Expression } from '../src/dashboards/index.js';
import { buildDemoInventory } from '../src/demo/generate.js';
import { BLACKBOX, BLACKBOX_JOB, BLACKBOX_MODULE } from '../src/metrics/names.js';
import { startBlackbox, type Blackbox } from './helpers/blackbox.js';
import { serve, type Served } from './helpers/cli.js';
import { killOnExit, startPrometheus, waitFor, type PromAlert, type Prometheus, type WaitOptions } from './helpers/prometheus.js';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const ALERTS_YML = root('dashboards/prometheus/alerts.yml');
const BLACKBOX_YML = root('deploy/blackbox/blackbox.yml');
const PROMETHEUS_YML = root('deploy/prometheus/prometheus.yml');
const METRICS_TOKEN = 'metrics-token-gateway-probes-0123456789';
/** Safety net for each wait on Prometheus's state: the test asserts the state reached, never how soon. */
const WAIT: WaitOptions = { timeoutMs: 90_000, intervalMs: 500 };
/** The probes job's scrape interval here (30 s shipped): the module's 5 s timeout shrinks to the scrape's. */
const PROBE_INTERVAL = '2s';
const DAY = 86_400;

/**
 * The four gateways and where each is listed. The CMDB names a gateway by the host agents dial, and
 * that name is its `gateway` label; on loopback two spellings resolve (`localhost`, `127.0.0.1`), so
 * two demo gateways are renamed in the CMDB to those and point at two servers, and the other two
 * servers are Cloud Services Appliances named by --gateway-targets (name=127.0.0.1:port).
 */
interface Gateway {
  /** The `gateway` label. */
  name: string;
  host: string;
  /** Where /sd/gateways finds it. */
  source: 'cmdb' | 'setting';
  /** Certificate lifetime in days relative to now; undefined: nothing listens. */
  cert?: 'year' | 'twoDays' | 'expired';
  /** The demo gateway the CMDB rows were (cmdb only). */
  demo?: string;
  port?: number;
}
const EXPIRED: Gateway = { name: 'localhost', host: 'localhost', source: 'cmdb', cert: 'expired', demo: 'igw-ams-01.corp.example' };
const CLOSED: Gateway = { name: '127.0.0.1', host: '127.0.0.1', source: 'cmdb', demo: 'igw-fra-01.corp.example' };
const YEAR: Gateway = { name: 'csa-year.corp.example', host: '127.0.0.1', source: 'setting', cert: 'year' };
const TWO_DAYS: Gateway = { name: 'csa-2days.corp.example', host: '127.0.0.1', source: 'setting', cert: 'twoDays' };
const ALL = [EXPIRED, CLOSED, YEAR, TWO_DAYS];
const TLS = ALL.filter((g) => g.cert);
const address = (g: Gateway) => `${g.host}:${g.port}`;

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-probes-e2e-'));
const dbFile = join(dir, 'demo.sqlite');
const tokenFile = join(dir, 'metrics-token');
const servers: TlsServer[] = [];
const sockets = new Set<Socket>();
let gatewatch: Served | undefined;
let blackbox: Blackbox | undefined;
let prom: Prometheus | undefined;

const logs = () =>
  `--- gatewatch serve ---\n${gatewatch?.output().slice(-4000) ?? ''}\n--- blackbox_exporter ---\n${blackbox?.log().slice(-4000) ?? ''}\n--- prometheus ---\n${prom?.log().slice(-8000) ?? ''}`;
const until = <T>(what: string, probe: () => Promise<T | undefined | false>) => waitFor(what, probe, { ...WAIT, context: logs });
const active = (a: PromAlert) => a.state === 'pending' || a.state === 'firing';

// ---- certificates and TLS servers -------------------------------------------------------------------

const openssl = (args: string[]) => {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error('gatewatch tests need openssl: install the Debian package openssl');
    throw new Error(`openssl ${args.join(' ')} failed: ${err.stderr?.toString() ?? err.message}`);
  }
};
/** An EC P-256 key: small and fast to make, and what a TLS 1.2+ handshake takes as well as RSA. */
const NEWKEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
/** An OpenSSL UTCTime, YYMMDDHHMMSSZ. */
const utc = (ms: number) => new Date(ms).toISOString().replace(/^\d\d|[-T:]|\.\d+/g, '');

/** Self-signed for `days` days from now, or (expired) issued by a throwaway CA for a window that ended yesterday. */
function makeCert(kind: 'year' | 'twoDays' | 'expired'): { key: string; cert: string } {
  const key = join(dir, `${kind}.key`);
  const cert = join(dir, `${kind}.pem`);
  if (kind !== 'expired') {
    openssl(['req', '-x509', ...NEWKEY, '-days', kind === 'year' ? '365' : '2', '-subj', `/CN=${kind}.gatewatch.test`, '-keyout', key, '-out', cert]);
  } else {
    // OpenSSL 3.0's `x509 -req` cannot date a certificate in the past (-not_before/-not_after came in
    // 3.4); `openssl ca` can, with -startdate/-enddate.
    const ca = join(dir, 'ca');
    mkdirSync(join(ca, 'new'), { recursive: true });
    writeFileSync(join(ca, 'index.txt'), '');
    writeFileSync(join(ca, 'serial'), '1000\n');
    writeFileSync(
      join(ca, 'ca.cnf'),
      [
        '[ca]',
        'default_ca = test_ca',
        '[test_ca]',
        `database = ${join(ca, 'index.txt')}`,
        `new_certs_dir = ${join(ca, 'new')}`,
        `serial = ${join(ca, 'serial')}`,
        'default_md = sha256',
        'policy = any',
        'unique_subject = no',
        '[any]',
        'commonName = supplied',
        '',
      ].join('\n'),
    );
    openssl(['req', '-x509', ...NEWKEY, '-days', '30', '-subj', '/CN=gatewatch test CA', '-keyout', join(ca, 'ca.key'), '-out', join(ca, 'ca.pem')]);
    openssl(['req', '-new', ...NEWKEY, '-subj', `/CN=${kind}.gatewatch.test`, '-keyout', key, '-out', join(ca, 'leaf.csr')]);
    const now = Date.now();
    openssl([
      'ca', '-batch', '-notext', '-config', join(ca, 'ca.cnf'), '-cert', join(ca, 'ca.pem'), '-keyfile', join(ca, 'ca.key'),
      '-in', join(ca, 'leaf.csr'), '-out', cert, '-startdate', utc(now - 30 * DAY * 1000), '-enddate', utc(now - DAY * 1000),
    ]);
  }
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

/** A TLS server on 127.0.0.1 presenting `pem` (the leaf alone, so its expiry is the chain's earliest); its port. */
async function tlsServer(pem: { key: string; cert: string }): Promise<number> {
  const srv = createTlsServer({ key: pem.key, cert: pem.cert });
  // blackbox_exporter handshakes and leaves: a reset or an aborted handshake is no failure here.
  srv.on('tlsClientError', () => {});
  srv.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('error', () => {});
    s.once('close', () => sockets.delete(s));
  });
  srv.on('secureConnection', (s) => s.on('error', () => {}));
  servers.push(srv);
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => resolve());
  });
  return (srv.address() as { port: number }).port;
}

/** A port nothing listens on: bound, noted, closed. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createTcpServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

// ---- the CMDB ---------------------------------------------------------------------------------------

/**
 * The demo's gateway tables made to point at the servers: the two CMDB gateways renamed (in every
 * table that names gateways, so the CMDB stays one story) with their ports, the other demo gateways
 * removed (their names resolve nowhere, and a probe of them would only fail).
 */
function pointCmdbAtServers(): void {
  const db = new Database(dbFile);
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
    const nameColumn = (t: string) => {
      const cols = (db.prepare(`PRAGMA table_info([${t}])`).all() as { name: string }[]).map((c) => c.name);
      return t === 'gatewatch_Gateway' ? 'Name' : cols.includes('Gateway') ? 'Gateway' : undefined;
    };
    const cmdb = ALL.filter((g) => g.source === 'cmdb');
    db.transaction(() => {
      for (const t of tables) {
        const col = nameColumn(t);
        if (!col) continue;
        const hasPort = t === 'gatewatch_Gateway' || t === 'Inv_AeX_AC_InternetGatewayDetails';
        for (const g of cmdb) {
          db.prepare(`UPDATE [${t}] SET [${col}] = ?${hasPort ? ', [Port] = ?' : ''} WHERE [${col}] = ?`).run(...(hasPort ? [g.name, g.port, g.demo] : [g.name, g.demo]));
        }
        db.prepare(`DELETE FROM [${t}] WHERE [${col}] NOT IN (${cmdb.map(() => '?').join(', ')})`).run(...cmdb.map((g) => g.name));
      }
    })();
    // What the test relies on: both CMDB sources of /sd/gateways list exactly the two, at the servers' ports.
    const endpoints = db.prepare('SELECT DISTINCT Gateway || \':\' || Port FROM Inv_AeX_AC_InternetGatewayDetails').pluck().all();
    const contract = db.prepare('SELECT Name || \':\' || Port FROM gatewatch_Gateway').pluck().all();
    const want = cmdb.map(address).sort();
    assert.deepEqual([...endpoints].sort(), want, 'Inv_AeX_AC_InternetGatewayDetails points at the servers');
    assert.deepEqual([...contract].sort(), want, 'gatewatch_Gateway points at the servers');
  } finally {
    db.close();
  }
}

// ---- Prometheus's config: the shipped job, made local -------------------------------------------------

/** deploy/prometheus/prometheus.yml's gateway-probes job with gatewatch, blackbox_exporter and the token file local. */
function probesJob(gatewatchUrl: string, blackboxAddress: string): Record<string, unknown> {
  const shipped = parse(readFileSync(PROMETHEUS_YML, 'utf8')) as { scrape_configs: Record<string, any>[] };
  const job = structuredClone(shipped.scrape_configs.find((j) => j.job_name === BLACKBOX_JOB));
  assert.ok(job, `${PROMETHEUS_YML} has the ${BLACKBOX_JOB} job`);
  assert.equal(job.metrics_path, '/probe');
  assert.deepEqual(job.params, { module: [BLACKBOX_MODULE] });
  assert.equal(job.http_sd_configs?.length, 1, 'one http_sd_configs entry');
  const sd = job.http_sd_configs[0];
  const shippedSd = new URL(sd.url);
  assert.equal(shippedSd.pathname, '/sd/gateways');
  sd.url = `${gatewatchUrl}${shippedSd.pathname}`;
  assert.equal(sd.authorization?.type, 'Bearer', 'the SD request carries the metrics token');
  sd.authorization.credentials_file = tokenFile;
  sd.refresh_interval = '1s';
  const toBlackbox = job.relabel_configs.filter((r: Record<string, unknown>) => r.target_label === '__address__');
  assert.equal(toBlackbox.length, 1, 'one relabelling sends the scrape to blackbox_exporter');
  toBlackbox[0].replacement = blackboxAddress;
  job.scrape_interval = PROBE_INTERVAL;
  job.scrape_timeout = PROBE_INTERVAL;
  return job;
}

// ---- the dashboards' probe panels -----------------------------------------------------------------------

/** The probe panels' expressions: the Gateways dashboard's probe table (its CMDB columns too) and the overview tile. */
function probeExpressions(): Expression[] {
  const all = allDashboards().flatMap(expressionsOf);
  const panels = new Set(all.filter((e) => e.expr.includes(PROBE_SELECTOR)).map((e) => e.where.replace(/ \/ [^/]+$/, '')));
  return all.filter((e) => e.kind === 'panel' && panels.has(e.where.replace(/ \/ [^/]+$/, '')));
}

/** As Grafana would send it: `gateway` one gateway or All, job and instance the scraped gatewatch. */
function substitute(expr: string, gateway: string): string {
  const out = expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '15s')
    .replaceAll('$__range', '5m')
    .replaceAll(`$${GATEWAY_VAR.name}`, gateway)
    .replaceAll(`$${INSTANCE_VARS.job}`, 'gatewatch')
    .replaceAll(`$${INSTANCE_VARS.instance}`, new URL(gatewatch!.url).host);
  assert.ok(!out.includes('$'), `a template variable left unfilled in ${out}`);
  return out;
}

// ---- set-up ---------------------------------------------------------------------------------------------------

before(async () => {
  for (const g of TLS) g.port = await tlsServer(makeCert(g.cert!));
  CLOSED.port = await closedPort();

  await buildDemoInventory(dbFile, { computers: 300, seed: 1 });
  pointCmdbAtServers();
  writeFileSync(tokenFile, METRICS_TOKEN, { mode: 0o600 });
  const setting = ALL.filter((g) => g.source === 'setting').map((g) => `${g.name}=${address(g)}`).join(',');
  gatewatch = await serve([
    '--db', `sqlite:${dbFile}`, '--mode', 'demo', '--listen', '127.0.0.1:0', '--metrics-refresh-seconds', '1',
    '--metrics-token', METRICS_TOKEN, '--gateway-targets', setting,
  ]);
  killOnExit(gatewatch.proc);
  blackbox = await startBlackbox(BLACKBOX_YML);
  prom = await startPrometheus({
    target: new URL(gatewatch.url).host,
    credentialsFile: tokenFile,
    ruleFiles: [ALERTS_YML],
    interval: '1s',
    scrapeConfigs: [probesJob(gatewatch.url, blackbox.address)],
  });
});

after(async () => {
  await prom?.stop();
  await blackbox?.stop();
  await gatewatch?.stop();
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  rmSync(dir, { recursive: true, force: true });
});

// ---- the tests --------------------------------------------------------------------------------------------------

test('/sd/gateways lists every gateway: the CMDB\'s by their host names, the setting\'s by the names it gives', async () => {
  const res = await fetch(`${gatewatch!.url}/sd/gateways`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.equal(res.status, 200);
  const groups = (await res.json()) as { targets: string[]; labels: Record<string, string> }[];
  const got = groups.map((g) => ({ targets: g.targets, labels: g.labels }));
  const want = ALL.map((g) => ({ targets: [address(g)], labels: { gateway: g.name } })).sort((a, b) => (a.targets[0]! < b.targets[0]! ? -1 : 1));
  assert.deepEqual(got, want);
});

test('Prometheus discovers every gateway through the shipped job and blackbox_exporter probes each: up for the TLS servers, down for the closed port', async () => {
  const p = prom!;
  await p.waitTargetUp({ ...WAIT });
  const targets = await until(`the ${BLACKBOX_JOB} job's targets, each scraped`, async () => {
    const t = (await p.targets()).filter((x) => x.labels.job === BLACKBOX_JOB);
    return t.length === ALL.length && t.every((x) => x.health === 'up') && t;
  });
  for (const g of ALL) {
    const t = targets.find((x) => x.labels.gateway === g.name);
    assert.ok(t, `a target for ${g.name}`);
    assert.equal(t.labels.instance, address(g), 'the instance label is the probed address');
    const scrape = new URL(t.scrapeUrl);
    assert.equal(scrape.host, blackbox!.address, 'the scrape goes to blackbox_exporter');
    assert.equal(scrape.pathname, '/probe');
    assert.equal(scrape.searchParams.get('target'), address(g));
    assert.equal(scrape.searchParams.get('module'), BLACKBOX_MODULE);
  }

  const success = await until(`${BLACKBOX.success} for every gateway`, async () => {
    const r = await p.query(`${BLACKBOX.success}{job="${BLACKBOX_JOB}"}`);
    return r.length === ALL.length && r;
  });
  const byGateway = Object.fromEntries(success.map((s) => [s.labels.gateway!, s.value]));
  assert.deepEqual(byGateway, Object.fromEntries(ALL.map((g) => [g.name, g.cert ? 1 : 0])));
});

test(`${BLACKBOX.certExpiry} orders the certificates: expired < 2 days < a year`, async () => {
  const p = prom!;
  const expiry = await until(`${BLACKBOX.certExpiry} for the three TLS servers`, async () => {
    const r = await p.query(`${BLACKBOX.certExpiry}{job="${BLACKBOX_JOB}"}`);
    return r.length === TLS.length && r;
  });
  const at = (g: Gateway) => expiry.find((s) => s.labels.gateway === g.name)!.value;
  const now = Date.now() / 1000;
  assert.ok(at(EXPIRED) < now, `expired: ${at(EXPIRED)} < ${now}`);
  assert.ok(now < at(TWO_DAYS) && at(TWO_DAYS) < now + 3 * DAY, `2 days: ${at(TWO_DAYS)}`);
  assert.ok(now + 300 * DAY < at(YEAR), `a year: ${at(YEAR)}`);
  assert.ok(at(EXPIRED) < at(TWO_DAYS) && at(TWO_DAYS) < at(YEAR));
});

test('the probe alerts go pending or firing: certificate expired, certificate expiring within 3 days, gateway unreachable; no other', async () => {
  const p = prom!;
  const want = [
    { alertname: 'GatewatchGatewayCertificateExpired', gateway: EXPIRED.name, instance: address(EXPIRED), severity: 'critical' },
    { alertname: 'GatewatchGatewayCertificateExpiringSoon', gateway: TWO_DAYS.name, instance: address(TWO_DAYS), severity: 'critical' },
    { alertname: 'GatewatchGatewayUnreachable', gateway: CLOSED.name, instance: address(CLOSED), severity: 'critical' },
  ];
  const probeAlerts = async () => (await p.alerts()).filter((a) => /^GatewatchGateway(Unreachable|Certificate|Handshake)/.test(a.labels.alertname ?? '') && active(a));
  const got = await until('the three probe alerts', async () => {
    const a = await probeAlerts();
    return want.every((w) => a.some((x) => Object.entries(w).every(([k, v]) => x.labels[k] === v))) && a;
  });
  // Unreachable waits 5 minutes before firing, the certificate alerts one: pending or firing, whichever
  // the test's pace reached.
  for (const a of got) assert.ok(active(a), `${a.labels.alertname}: ${a.state}`);
  const unreachable = got.find((a) => a.labels.alertname === 'GatewatchGatewayUnreachable')!;
  assert.ok(['silent', 'reporting', 'unknown'].includes(unreachable.labels.agents!), `agents: ${unreachable.labels.agents}`);
  // Exactly these: the year-long certificate alerts nothing, the 2-day one is not merely a warning,
  // the expired one is not "expiring", the reachable gateways are not unreachable.
  const key = (l: Record<string, string>) => `${l.alertname} ${l.gateway} ${l.instance}`;
  assert.deepEqual(got.map((a) => key(a.labels)).sort(), want.map(key).sort());
});

test('every query of the probe panels returns data, and the overview tile counts one unreachable and two certificates expiring', async () => {
  const p = prom!;
  // The CMDB columns of the probe table come from the gatewatch job: scraped, and probes in.
  await p.waitTargetUp({ ...WAIT });
  await until('a probe of every gateway and their certificates', async () => (await p.query(`count(${BLACKBOX.certExpiry}{job="${BLACKBOX_JOB}"})`))[0]?.value === TLS.length);
  const expressions = probeExpressions();
  assert.ok(expressions.length >= 7, `the probe table's and the overview tile's queries: ${expressions.map((e) => e.where).join(', ')}`);
  const empty: string[] = [];
  for (const e of expressions) {
    // A CMDB gateway (in both the probes and the CMDB's columns), and All.
    const variants = e.expr.includes(`$${GATEWAY_VAR.name}`) ? [EXPIRED.name, GATEWAY_VAR.allValue] : [EXPIRED.name];
    for (const expr of variants.map((g) => substitute(e.expr, g))) {
      const result = await p.query(expr).catch((err: Error) => assert.fail(`${e.where}: Prometheus rejects ${expr}\n${err.message}`));
      if (result.length === 0) empty.push(`${e.where}: ${expr}`);
    }
  }
  assert.deepEqual(empty, [], `probe panel queries returning no series:\n${empty.join('\n')}`);

  const tile = expressions.filter((e) => e.expr.includes('vector(0)'));
  assert.equal(tile.length, 2, 'the overview tile: unreachable, certificates expiring');
  const [unreachable, expiring] = await Promise.all(tile.map(async (e) => (await p.query(substitute(e.expr, GATEWAY_VAR.allValue)))[0]?.value));
  assert.equal(unreachable, 1, 'one gateway unreachable: the closed port');
  assert.equal(expiring, 2, 'two certificates expiring within 14 days: the 2-day one and the expired one');
});
