// What a browser and a script get over HTTP beyond GraphQL itself: the GraphiQL page compressed when
// asked (and byte-identical once decompressed), large answers compressed, small ones and clients that
// did not ask left alone, and a short page instead of a JSON error when GraphiQL is off.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { MIN_COMPRESS_BYTES, negotiate, Precompressed } from '../src/http/compress.js';
import { startServer, type RunningServer, type ServerOptions } from '../src/http/server.js';
import { openInventory, type Inventory } from '../src/inventory/index.js';
import { demoDb, removeDir } from './helpers/graphql.js';

let dir: string | undefined;
let dbPath = '';
const running: { server: RunningServer; inventory: Inventory }[] = [];
before(async () => {
  const db = await demoDb('http-pages', 200);
  dir = db.dir;
  dbPath = db.path;
});
after(async () => {
  for (const r of running) await r.server.close(), await r.inventory.close();
  if (dir) removeDir(dir);
});

async function serve(opts: Partial<ServerOptions> = {}): Promise<string> {
  const inventory = openInventory({ kind: 'sqlite', path: dbPath });
  const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: true, exposeStatementCount: false, ...opts });
  running.push({ server, inventory });
  return server.url;
}

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes on the wire, not decoded (fetch would decompress them). */
  body: Buffer;
}

function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const gql = (url: string, query: string, headers: Record<string, string> = {}) =>
  raw(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

describe('compression', () => {
  test('the GraphiQL page arrives gzip- or br-compressed when asked, identical once decompressed; plain otherwise', async () => {
    const url = await serve({ graphiql: true });
    const plain = await raw(`${url}/graphql`, { headers: HTML });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(plain.headers.vary), /Accept-Encoding/i);
    assert.match(plain.body.toString(), /graphiql/i);
    const gz = await raw(`${url}/graphql`, { headers: { ...HTML, 'accept-encoding': 'gzip, deflate' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(Number(gz.headers['content-length']), gz.body.length);
    assert.ok(gz.body.length * 3 < plain.body.length, `${gz.body.length} of ${plain.body.length} bytes`);
    assert.ok(gunzipSync(gz.body).equals(plain.body));
    const br = await raw(`${url}/graphql`, { headers: { ...HTML, 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.ok(brotliDecompressSync(br.body).equals(plain.body));
    const refused = await raw(`${url}/graphql`, { headers: { ...HTML, 'accept-encoding': 'br;q=0, gzip;q=0' } });
    assert.equal(refused.headers['content-encoding'], undefined);
  });

  test('a large GraphQL answer is compressed when asked; a small one, or an unasked one, is not', async () => {
    const url = await serve();
    const big = '{ computers(first: 100) { nodes { guid name domain ipAddress } } }';
    const plain = await gql(url, big);
    assert.ok(plain.body.length > MIN_COMPRESS_BYTES);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(plain.headers.vary), /Accept-Encoding/i);
    const gz = await gql(url, big, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(JSON.parse(gunzipSync(gz.body).toString()), JSON.parse(plain.body.toString()));
    assert.ok(gz.body.length < plain.body.length / 3);
    const small = await gql(url, '{ __typename }', { 'accept-encoding': 'gzip, br' });
    assert.equal(small.headers['content-encoding'], undefined);
    assert.deepEqual(JSON.parse(small.body.toString()), { data: { __typename: 'Query' } });
  });

  test('negotiation: q-values, *, identity only, br preferred at equal weight', () => {
    assert.equal(negotiate(undefined), undefined);
    assert.equal(negotiate(''), undefined);
    assert.equal(negotiate('identity'), undefined);
    assert.equal(negotiate('gzip'), 'gzip');
    assert.equal(negotiate('gzip, br'), 'br');
    assert.equal(negotiate('br;q=0.5, gzip'), 'gzip');
    assert.equal(negotiate('GZIP;Q=0'), undefined);
    assert.equal(negotiate('*'), 'br');
    assert.equal(negotiate('*;q=0, gzip;q=0.1'), 'gzip');
  });

  test('a precompressed body is compressed once per encoding', async () => {
    const p = new Precompressed(Buffer.from('x'.repeat(5000)));
    const [a, b] = await Promise.all([p.as('gzip'), p.as('gzip')]);
    assert.equal(a, b);
    assert.equal(await p.as('gzip'), a);
    assert.equal(await p.as(undefined), p.body);
  });
});

describe('GraphiQL off (production mode)', () => {
  test('a browser gets a short page naming the flag, the variable and a curl example, even with a token set', async () => {
    const url = await serve({ apiToken: 'a'.repeat(32) });
    const r = await raw(`${url}/graphql`, { headers: HTML });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/html/);
    const page = r.body.toString();
    assert.match(page, /GraphiQL is off/);
    assert.match(page, /--graphiql/);
    assert.match(page, /GATEWATCH_GRAPHIQL=true/);
    assert.match(page, /curl -s http:\/\/127\.0\.0\.1:\d+\/graphql -H 'content-type: application\/json'/);
    assert.match(page, /authorization: Bearer \$GATEWATCH_API_TOKEN/);
    assert.doesNotMatch(page, /<script/i);
    assert.ok(r.body.length < 2000);
  });

  test('scripts are unaffected: a GET with ?query= or without Accept: text/html still gets GraphQL JSON', async () => {
    const url = await serve();
    const q = await raw(`${url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: HTML });
    assert.deepEqual(JSON.parse(q.body.toString()), { data: { __typename: 'Query' } });
    const bare = await raw(`${url}/graphql`, { headers: { accept: 'application/json' } });
    assert.match(bare.body.toString(), /Must provide query string/);
  });
});
