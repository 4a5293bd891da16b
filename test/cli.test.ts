// The gatewatch command as a user runs it: real processes, real HTTP on 127.0.0.1.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { DATASET_NAMES } from '../src/inventory/datasets.js';
import { gql, runCli, serve } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function digest(path: string): string {
  const db = new Database(path, { readonly: true });
  const h = createHash('sha256');
  for (const t of ['vComputer', 'Inv_AeX_AC_Network_Zone', 'gatewatch_Gateway', 'gatewatch_Relay', 'gatewatch_AgentMessage']) {
    for (const row of db.prepare(`SELECT * FROM [${t}] ORDER BY 1`).all()) h.update(JSON.stringify(row));
  }
  db.close();
  return h.digest('hex');
}

test('--help lists the commands; unknown commands and flags fail with one line', () => {
  const help = runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /gatewatch serve/);
  assert.match(help.stdout, /GATEWATCH_DB/);
  for (const [args, pattern] of [
    [['frobnicate'], /unknown command "frobnicate"/],
    [['serve', '--bogus'], /bogus/],
    [['serve', '--listen', 'nowhere'], /^gatewatch: --listen: expected HOST:PORT/],
    [['serve', '--db', 'oracle://x'], /^gatewatch: --db \(GATEWATCH_DB\): database URL not recognised/],
    [['demo', '--computers', 'lots'], /^gatewatch: --computers: expected a whole number/],
    [['demo', '--now', 'yesterday'], /^gatewatch: --now: expected an ISO-8601 time/],
    [['serve', '--queries-dir', '/no/such/dir'], /^gatewatch: --queries-dir: "\/no\/such\/dir" is not a directory/],
    [['check', '--queries-dir', '/no/such/dir'], /^gatewatch: --queries-dir: "\/no\/such\/dir" is not a directory/],
  ] as const) {
    const r = runCli([...args]);
    assert.equal(r.code, 2, `${args.join(' ')} exits 2`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.trim(), pattern);
  }
});

test('demo: the same seed gives the same inventory, another seed another one', () => {
  const [a, b, c] = ['a', 'b', 'c'].map((n) => join(dir, `${n}.sqlite`));
  const now = ['--now', '2026-11-25T10:00:00Z'];
  assert.equal(runCli(['demo', '--computers', '400', '--seed', '3', '--out', a!, ...now]).code, 0);
  assert.equal(runCli(['demo', '--computers', '400', '--seed', '3', '--out', b!, ...now]).code, 0);
  const r = runCli(['demo', '--computers', '400', '--seed', '4', '--out', c!, ...now]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /demo inventory .* written/);
  assert.match(r.stderr, /100%/, 'progress is reported');
  assert.equal(digest(a!), digest(b!));
  assert.notEqual(digest(a!), digest(c!));
});

test('serve with no settings creates the embedded demo under ./data and serves it (npm start)', async () => {
  const cwd = mkdtempSync(join(dir, 'start-'));
  const s = await serve(['--listen', '127.0.0.1:0', '--demo-live'], { cwd, timeoutMs: 120_000 });
  try {
    assert.ok(existsSync(join(cwd, 'data', 'demo.sqlite')));
    await s.until(new RegExp(`all ${DATASET_NAMES.length} datasets available`));
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${s.url}/readyz`)).status, 200);
    const r = await gql(s.url, '{ cemSummary { total internet lan } }');
    assert.equal(r.status, 200);
    assert.ok(r.body.data.cemSummary.total >= 5000);
    const page = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    assert.match(await page.text(), /graphiql/i, 'GraphiQL in demo mode');
  } finally {
    assert.equal(await s.stop(), 0, 'SIGTERM shuts down cleanly');
  }
});

test('an unreachable inventory: the server still starts, /readyz says why, queries get a clear error', async () => {
  const missing = join(dir, 'nowhere', 'cmdb.sqlite');
  const s = await serve(['--db', `sqlite:${missing}`, '--listen', '127.0.0.1:0']);
  try {
    await s.until(/inventory not reachable/);
    assert.equal((await fetch(`${s.url}/healthz`)).status, 200);
    const ready = await fetch(`${s.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(((await ready.json()) as { reason: string }).reason, /cannot read SQLite inventory/);
    const r = await gql(s.url, '{ gateways { name } }');
    assert.equal(r.body.errors?.[0]?.extensions?.code, 'UNREACHABLE');
    const html = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    const text = await html.text();
    assert.match(text, /GraphiQL is off/, 'production mode: a page saying GraphiQL is off');
    assert.doesNotMatch(text, /<script/i, 'no GraphiQL in production mode');
  } finally {
    assert.equal(await s.stop(), 0);
  }
});

test('a token-protected production server refuses requests without the token', async () => {
  const db = join(dir, 'a.sqlite');
  const token = 'correct-horse-battery-staple';
  const s = await serve(['--db', `sqlite:${db}`, '--listen', '127.0.0.1:0'], { env: { GATEWATCH_API_TOKEN: token } });
  try {
    assert.equal((await gql(s.url, '{ gateways { name } }')).status, 401);
    assert.equal((await gql(s.url, '{ gateways { name } }', {}, { authorization: 'Bearer wrong-token-of-same-len' })).status, 401);
    const ok = await gql(s.url, '{ gateways { name } }', {}, { authorization: `Bearer ${token}` });
    assert.equal(ok.status, 200);
    assert.ok(ok.body.data.gateways.length > 0);
  } finally {
    await s.stop();
  }
});
