// Request bodies are capped (--max-body-bytes): an oversized one is answered 413 with a JSON error
// without being read to its end, whether it declares its length or streams it chunked.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { startServer, type RunningServer } from '../src/http/server.js';
import { openInventory, type Inventory } from '../src/inventory/index.js';
import { ConfigError, loadServeConfig } from '../src/config.js';
import { demoDb, removeDir } from './helpers/graphql.js';

const MAX = 64 * 1024;
let dir: string | undefined;
let inventory: Inventory | undefined;
let server: RunningServer;
before(async () => {
  const db = await demoDb('body-limit', 50);
  dir = db.dir;
  inventory = openInventory({ kind: 'sqlite', path: db.path });
  server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: false, maxBodyBytes: MAX });
});
after(async () => {
  await server?.close();
  await inventory?.close();
  if (dir) removeDir(dir);
});

interface Answer {
  status: number;
  body: string;
  /** Body bytes the client had written when the answer came. */
  sent: number;
}

/**
 * POSTs a body of `total` bytes in 16 KiB chunks, chunked unless `declare` says which Content-Length
 * to send. Stops writing as soon as the answer arrives; never writes more than `total`.
 */
function upload(total: number, opts: { declare?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.declare !== undefined) headers['content-length'] = String(opts.declare);
    const req = request(`${server.url}/graphql`, { method: 'POST', headers });
    let sent = 0;
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const at = sent;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body, sent: at }));
      res.on('error', reject);
    });
    // Writes after the server closed the connection fail; only an error before any answer counts.
    req.on('error', (e) => answered || reject(e));
    const chunk = Buffer.alloc(16 * 1024, ' ');
    const pump = (): void => {
      while (!answered && sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!req.write(chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      if (!answered && opts.declare === undefined) req.end();
    };
    pump();
  });
}

function assertTooLarge(a: Answer): void {
  assert.equal(a.status, 413, a.body);
  const body = JSON.parse(a.body) as { errors: { message: string; extensions: { code: string } }[] };
  assert.equal(body.errors[0]!.extensions.code, 'PAYLOAD_TOO_LARGE');
  assert.match(body.errors[0]!.message, /larger than 65536 bytes \(--max-body-bytes, GATEWATCH_MAX_BODY_BYTES\)/);
}

test('a declared Content-Length over the limit is refused before the body is read', async () => {
  // Only 16 KiB of the 50 MB it declares is ever sent: the answer cannot wait for the rest.
  const a = await upload(16 * 1024, { declare: 50 * 1024 * 1024 });
  assertTooLarge(a);
});

test('a chunked body is refused once it streams past the limit, not read to its end', async () => {
  const total = 64 * 1024 * 1024;
  const a = await upload(total);
  assertTooLarge(a);
  assert.ok(a.sent < total, `the server answered before the client finished: ${a.sent} of ${total} bytes sent`);
});

test('bodies within the limit still work, chunked or not; the server keeps serving after refusals', async () => {
  const query = JSON.stringify({ query: `{ gateways { name } }${' '.repeat(MAX - 100)}` });
  assert.ok(Buffer.byteLength(query) <= MAX);
  for (const init of [{ body: query }, { body: new Blob([query]).stream(), duplex: 'half' }]) {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...init } as RequestInit);
    assert.equal(res.status, 200);
    assert.ok(((await res.json()) as { data: { gateways: unknown[] } }).data.gateways.length > 0);
  }
  const empty = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' });
  assert.equal(empty.status, 400, 'an empty body is the GraphQL layer\'s to refuse');
});

test('--max-body-bytes / GATEWATCH_MAX_BODY_BYTES: a whole number of bytes, checked at start', () => {
  assert.equal(loadServeConfig({}, {}).maxBodyBytes, undefined, 'unset: the server default (1 MiB)');
  assert.equal(loadServeConfig({ 'max-body-bytes': '2097152' }, {}).maxBodyBytes, 2097152);
  assert.equal(loadServeConfig({}, { GATEWATCH_MAX_BODY_BYTES: '4096' }).maxBodyBytes, 4096);
  for (const bad of ['1MB', '-1', '10', '1e9']) {
    assert.throws(
      () => loadServeConfig({ 'max-body-bytes': bad }, {}),
      (e: unknown) => e instanceof ConfigError && /^--max-body-bytes: expected a whole number from 1024 to \d+, got /.test(e.message) && !e.message.includes('\n'),
      bad,
    );
  }
});
