// The HTTP server's own rules, in process on 127.0.0.1: readiness means the core dataset can run,
// the reason for unreadiness is for authorized callers, loopback servers answer loopback names only.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { buildDemoInventory } from '../src/demo/generate.js';
import { startServer, type RunningServer, type ServerOptions } from '../src/http/server.js';
import { openInventory } from '../src/inventory/index.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-server-'));
const demo = join(dir, 'demo.sqlite');
const running: { server: RunningServer; close: () => Promise<void> }[] = [];
before(() => buildDemoInventory(demo, { computers: 200, seed: 3 }).then(() => undefined));
after(async () => {
  for (const r of running) await r.close();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(path: string, opts: Partial<ServerOptions> = {}) {
  const inventory = openInventory({ kind: 'sqlite', path });
  const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: false, ...opts });
  running.push({ server, close: async () => (await server.close(), await inventory.close()) });
  return server.url;
}

/** A raw request, so the Host header can be anything. */
function get(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('readiness: ready on the demo; not ready when the file holds no inventory, with the reason', async () => {
  assert.equal((await get(await serve(demo), '/readyz')).status, 200);
  const empty = join(dir, 'empty.sqlite');
  new Database(empty).close();
  const url = await serve(empty);
  const r = await get(url, '/readyz');
  assert.equal(r.status, 503);
  assert.match(JSON.parse(r.body).reason, /dataset computers: .*no such table: vComputer/);
  assert.equal((await get(url, '/healthz')).status, 200, 'alive all the same');
});

test('the reason for unreadiness is shown only with the API token', async () => {
  const junk = join(dir, 'junk.sqlite');
  writeFileSync(junk, 'x'.repeat(4096));
  const token = 'a-long-enough-api-token';
  const url = await serve(junk, { apiToken: token });
  const anonymous = JSON.parse((await get(url, '/readyz')).body).reason;
  assert.doesNotMatch(anonymous, /junk\.sqlite/);
  const withToken = JSON.parse((await get(url, '/readyz', { authorization: `bearer ${token}` })).body).reason;
  assert.match(withToken, /junk\.sqlite/, 'the scheme name is case-insensitive');
});

test('a loopback server refuses other host names (DNS rebinding) and answers loopback ones', async () => {
  const url = await serve(demo);
  const port = new URL(url).port;
  for (const host of ['evil.example', `evil.example:${port}`, `10.0.0.5:${port}`]) {
    const r = await get(url, '/graphql?query=%7B__typename%7D', { host });
    assert.equal(r.status, 421, host);
    assert.match(r.body, /loopback host names only/);
  }
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, 'localhost']) {
    assert.equal((await get(url, '/healthz', { host })).status, 200, host);
  }
});

test('unknown paths are 404 and the root lists the endpoints', async () => {
  const url = await serve(demo);
  assert.equal((await get(url, '/nope')).status, 404);
  assert.deepEqual(JSON.parse((await get(url, '/')).body).endpoints, ['/graphql', '/metrics', '/sd/gateways', '/healthz', '/readyz']);
});

test('a metrics token opens /metrics but not /graphql; the API token opens both', async () => {
  const apiToken = 'api-token-0123456789';
  const metricsToken = 'metrics-token-0123456789';
  const url = await serve(demo, { apiToken, metricsToken });
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  assert.equal((await get(url, '/metrics')).status, 401);
  assert.equal((await get(url, '/metrics', bearer(metricsToken))).status, 200);
  assert.equal((await get(url, '/metrics', bearer(apiToken))).status, 200);
  assert.equal((await get(url, '/graphql?query=%7B__typename%7D', bearer(metricsToken))).status, 401);
  assert.equal((await get(url, '/graphql?query=%7B__typename%7D', bearer(apiToken))).status, 200);
});
