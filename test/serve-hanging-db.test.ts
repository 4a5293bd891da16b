// A SQL Server that accepts TCP but never answers (a hung instance, a half-open firewall): gatewatch
// still answers /healthz at once, and a query fails with a clear UNREACHABLE error bounded by the
// configured request timeout rather than the driver's own 15 s connect timeout.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { startServer } from '../src/http/server.js';
import { openInventory, parseDbUrl } from '../src/inventory/index.js';
import { gql, serve } from './helpers/cli.js';

/** A TCP port that accepts connections and never says a word. */
async function silentServer(): Promise<{ port: number; connected: Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let first!: () => void;
  const connected = new Promise<void>((resolve) => (first = resolve));
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    first();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    connected,
    // Stop listening first, so a driver dialling again is refused instead of hanging once more.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

test('serve listens before checking the inventory: /healthz answers while the database hangs', async () => {
  const silent = await silentServer();
  cleanups.push(silent.close);
  // connectTimeout as long as it goes: the inventory stays hung for the whole test, whatever the load.
  const db = `mssql://gatewatch:pw@127.0.0.1:${silent.port}/cmdb?connectTimeout=600000`;
  const s = await serve(['--db', db, '--listen', '127.0.0.1:0']);
  let stopped = false;
  cleanups.push(async () => stopped || s.proc.kill('SIGKILL'));
  await silent.connected;
  const health = await fetch(`${s.url}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok' });
  assert.doesNotMatch(s.output(), /datasets available|inventory not reachable/, 'the dataset check is still waiting on the database');

  // Once the database is gone for good the check reports it, and SIGTERM still shuts down cleanly.
  await silent.close();
  await s.until(/inventory not reachable: .*cannot reach SQL Server 127\.0\.0\.1:\d+ \(database cmdb\)/);
  stopped = true;
  assert.equal(await s.stop(), 0);
});

test('a query against the hanging database fails UNREACHABLE within the request timeout, not the 15 s connect timeout', async () => {
  const silent = await silentServer();
  cleanups.push(silent.close);
  const inventory = openInventory(parseDbUrl(`mssql://gatewatch:pw@127.0.0.1:${silent.port}/cmdb`), { requestTimeoutMs: 1000 });
  cleanups.push(() => inventory.close());
  const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: false });
  cleanups.push(() => server.close());

  const r = await gql(server.url, '{ gateways { name } }');
  assert.equal(r.status, 200);
  const [e] = r.body.errors ?? [];
  assert.equal(e?.extensions?.code, 'UNREACHABLE', JSON.stringify(r.body));
  assert.match(e.message, /^dataset gateways: cannot reach SQL Server 127\.0\.0\.1:\d+ \(database cmdb\): .* no answer within 1000 ms: check host, port and firewall$/);
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'the server itself is fine');
});
