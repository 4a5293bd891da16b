// `gatewatch diagnose NAME --probe`: the built CLI on a demo file whose agents' current gateways point
// at a real TLS server on 127.0.0.1 (a certificate made at test time with openssl, valid for 2 days) and
// at a closed port; the probe's JSON and text, its timeout flag, and that it never changes the exit code.
// Durations are never asserted.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createServer, type Server } from 'node:tls';
import Database from 'better-sqlite3';
import { CERT_WARN_DAYS, probeGateway, renderProbe, type ProbeResult } from '../src/diagnosis/probe.js';
import { buildDemoInventory } from '../src/demo/generate.js';
import { EXIT } from '../src/exit-codes.js';
import { CLI } from './helpers/cli.js';

let dir: string;
let db: string;
let server: Server;
let port: number;
let closedPort: number;
/** Internet agents: one behind the TLS server, one behind the closed port; and an agent with no current gateway. */
const agent = { live: '', closed: '', lan: '' };

// Registered at the top, not inside the before hook: there they would run as soon as the hook ends.
after(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatewatch-probe-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=igw-probe.test', '-keyout', key, '-out', cert], { stdio: 'pipe' });

  server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  // A port nothing listens on: one the system just gave out, closed again.
  const tcp = createTcpServer();
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  closedPort = (tcp.address() as AddressInfo).port;
  await new Promise<void>((resolve) => tcp.close(() => resolve()));

  db = join(dir, 'demo.sqlite');
  await buildDemoInventory(db, { computers: 200, seed: 7 });
  const sql = new Database(db);
  const current = sql
    .prepare(
      `SELECT c.Name AS Name, g._ResourceGuid AS Guid FROM Inv_AeX_AC_InternetGatewayDetails g JOIN vComputer c ON c.Guid = g._ResourceGuid
       JOIN Inv_AeX_AC_Network_Zone z ON z._ResourceGuid = g._ResourceGuid
       WHERE g.[Current] = 1 AND z.IsOnInternet = 1 AND c.IsManaged = 1 ORDER BY c.Name`,
    )
    .all() as { Name: string; Guid: string }[];
  assert.ok(current.length >= 2, 'the demo has Internet agents with a current gateway');
  const point = sql.prepare(`UPDATE Inv_AeX_AC_InternetGatewayDetails SET Gateway = '127.0.0.1', Port = ? WHERE _ResourceGuid = ? AND [Current] = 1`);
  point.run(port, current[0]!.Guid);
  point.run(closedPort, current[1]!.Guid);
  agent.live = current[0]!.Name;
  agent.closed = current[1]!.Name;
  agent.lan = sql
    .prepare(`SELECT c.Name FROM vComputer c WHERE c.IsManaged = 1 AND NOT EXISTS (SELECT 1 FROM Inv_AeX_AC_InternetGatewayDetails g WHERE g._ResourceGuid = c.Guid AND g.[Current] = 1) ORDER BY c.Name LIMIT 1`)
    .pluck()
    .get() as string;
  assert.ok(agent.lan, 'the demo has an agent with no current gateway');
  sql.close();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
/**
 * The built CLI (helpers/cli.ts's), run without blocking: runCli's spawnSync would stop this process's
 * event loop, and with it the TLS server the CLI is probing.
 */
const diagnose = (name: string, ...args: string[]) =>
  new Promise<Run>((resolve) => {
    const env = { ...process.env, NO_COLOR: '', GATEWATCH_RUNBOOK_BASE_URL: '' };
    execFile(process.execPath, [CLI, 'diagnose', name, '--db', `sqlite:${db}`, ...args], { env, encoding: 'utf8', timeout: 120_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr }),
    );
  });
const json = (r: Run) => JSON.parse(r.stdout) as { verdict: string; probe?: ProbeResult; checks: unknown[] };

test('--probe --json: the gateway reachable over TLS, its version and its 2-day certificate (read, not verified: self-signed)', async () => {
  const without = await diagnose(agent.live, '--json');
  assert.ok(without.code === EXIT.OK || without.code === EXIT.FINDING, without.stderr);
  assert.equal(json(without).probe, undefined, 'off by default');

  const r = await diagnose(agent.live, '--json', '--probe');
  assert.equal(r.code, without.code, `the exit code is the verdict's: ${r.stderr}`);
  const out = json(r);
  assert.equal(out.verdict, json(without).verdict);
  const p = out.probe!;
  assert.equal(p.target, `127.0.0.1:${port}`);
  assert.equal(p.reachable, true, JSON.stringify(p));
  assert.equal(p.error, undefined);
  assert.match(p.tlsVersion!, /^TLSv1\.[23]$/);
  assert.equal(typeof p.handshakeMs, 'number');
  assert.ok(p.daysLeft === 1 || p.daysLeft === 2, `daysLeft ${p.daysLeft}`);
  const left = (Date.parse(p.certificateNotAfter!) - Date.now()) / 86_400_000;
  assert.ok(left > 1 && left <= 2, p.certificateNotAfter);
  // JSON keys: probe at the top level, before the checks.
  assert.ok(Object.keys(out).indexOf('probe') < Object.keys(out).indexOf('checks'));
});

test('--probe to a closed port: unreachable with the error, the exit code unchanged', async () => {
  const without = await diagnose(agent.closed, '--json');
  const r = await diagnose(agent.closed, '--json', '--probe', '--probe-timeout', '3000');
  assert.equal(r.code, without.code, r.stderr);
  assert.equal(json(r).verdict, json(without).verdict);
  const p = json(r).probe!;
  assert.equal(p.target, `127.0.0.1:${closedPort}`);
  assert.equal(p.reachable, false);
  assert.equal(p.error, 'connect ECONNREFUSED');
  assert.equal(p.tlsVersion, undefined);
  assert.equal(p.daysLeft, undefined);

  const text = await diagnose(agent.closed, '--probe', '--probe-timeout', '3000');
  assert.equal(text.code, without.code);
  assert.match(text.stdout, new RegExp(`^probe: {3}127\\.0\\.0\\.1:${closedPort} unreachable: connect ECONNREFUSED \\(within 3000 ms\\)$`, 'm'));
});

test('--probe text: a probe: section after the checks, before the remedy, wrapped to 80, saying from where', async () => {
  const without = await diagnose(agent.live);
  const r = await diagnose(agent.live, '--probe');
  assert.equal(r.code, without.code, r.stderr);
  assert.doesNotMatch(without.stdout, /^probe:/m);
  const lines = r.stdout.trimEnd().split('\n');
  const at = lines.findIndex((l) => l.startsWith('probe:   '));
  assert.ok(at > 0, r.stdout);
  for (const l of lines) assert.ok(l.length <= 80 || /^(runbook: )?\S+$/.test(l), `${l.length}: ${l}`);
  const section = lines.slice(at, lines.indexOf('', at) === -1 ? undefined : lines.indexOf('', at)).join(' ').replace(/\s+/g, ' ');
  assert.match(section, new RegExp(`^probe: 127\\.0\\.0\\.1:${port} reachable, TLSv1\\.[23], handshake \\d+ ms, certificate expires \\d{4}-\\d\\d-\\d\\d \\([12] days?\\) from where this command runs, not from the agent; the certificate is read, not verified$`));
  const remedy = lines.findIndex((l) => l.startsWith('remedy:'));
  if (remedy !== -1) assert.ok(remedy > at, 'the probe comes before the remedy');
  const rows = lines.map((l, i) => (/^ {2}(FAIL|WARN|\?\?\?\?) {2}/.test(l) ? i : -1)).filter((i) => i >= 0);
  for (const i of rows) assert.ok(i < at, 'after the checks');
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colours when not a terminal');
});

test('--probe on an agent with no current gateway says so; nothing is probed', async () => {
  const r = await diagnose(agent.lan, '--probe');
  assert.match(r.stdout, /^probe: {3}no current gateway to probe$/m);
  const j = json(await diagnose(agent.lan, '--probe', '--json'));
  assert.deepEqual(j.probe, { target: null, reachable: null, error: 'no current gateway to probe' });
});

test('--probe-timeout: a whole number from 100 to 60000, and only with --probe', async () => {
  for (const bad of ['99', '60001', '1.5', 'soon']) {
    const r = await diagnose(agent.live, '--probe', '--probe-timeout', bad);
    assert.equal(r.code, EXIT.USAGE, bad);
    assert.equal(r.stderr, `gatewatch: --probe-timeout: expected a whole number from 100 to 60000, got ${JSON.stringify(bad)}\n`);
    assert.equal(r.stdout, '');
  }
  const alone = await diagnose(agent.live, '--probe-timeout', '1000');
  assert.equal(alone.code, EXIT.USAGE);
  assert.match(alone.stderr, /--probe-timeout goes with --probe/);
});

test('the probe line on a terminal: an expired certificate red, one expiring within the alert rules\' warning yellow, unreachable red', () => {
  const base = { target: 'igw-ams-01.corp.example:443', reachable: true, tlsVersion: 'TLSv1.3', handshakeMs: 12 } as const;
  const term = { width: 120, colour: true };
  const line = (p: ProbeResult) => renderProbe(p, 5000, term)[0]!;
  const far = line({ ...base, certificateNotAfter: '2027-03-01T00:00:00.000Z', daysLeft: 83 });
  assert.equal(far, 'probe:   igw-ams-01.corp.example:443 reachable, TLSv1.3, handshake 12 ms, certificate expires 2027-03-01 (83 days)');
  assert.match(line({ ...base, certificateNotAfter: '2026-12-20T00:00:00.000Z', daysLeft: CERT_WARN_DAYS - 1 }), /\x1b\[33m.*\(13 days\)\x1b\[0m$/);
  assert.doesNotMatch(line({ ...base, certificateNotAfter: '2026-12-22T00:00:00.000Z', daysLeft: CERT_WARN_DAYS }), /\x1b\[/);
  assert.match(line({ ...base, certificateNotAfter: '2026-11-30T00:00:00.000Z', daysLeft: -7 }), /\x1b\[31m.*certificate expired 2026-11-30 \(6 days ago\)\x1b\[0m$/);
  assert.match(line({ target: base.target, reachable: false, error: 'dns ENOTFOUND' }), /\x1b\[31m.*unreachable: dns ENOTFOUND \(within 5000 ms\)\x1b\[0m$/);
  assert.deepEqual(renderProbe({ target: null, reachable: null, error: 'no current gateway to probe' }, 5000, term), ['probe:   no current gateway to probe']);
});

test('the timeout bounds the whole probe: a server that accepts and never answers the handshake; a name resolved first', async (t) => {
  const sockets: Socket[] = [];
  const silent = createTcpServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  const quiet = await probeGateway('127.0.0.1', (silent.address() as AddressInfo).port, 300);
  assert.deepEqual(quiet, { target: `127.0.0.1:${(silent.address() as AddressInfo).port}`, reachable: false, error: 'handshake timed out' });
  // A name goes through the resolver (localhost: /etc/hosts), then connect.
  const named = await probeGateway('localhost', closedPort, 3000);
  assert.equal(named.reachable, false);
  assert.match(named.error!, /^connect E[A-Z]+$/);
});
