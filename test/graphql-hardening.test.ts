// Failing data sources and the production switches: a missing table is a clear, coded error that
// leaves the rest of the API working; anything unexpected is masked, and so is the database's own
// text of a refused statement; introspection, GraphiQL and CORS follow their options.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, mock, test } from 'node:test';
import { inspect } from 'node:util';
import Database from 'better-sqlite3';
import { createGraphQLHandler } from '../src/graphql/yoga.js';
import { startServer } from '../src/http/server.js';
import { InventoryError } from '../src/inventory/errors.js';
import { openInventory, type Inventory } from '../src/inventory/index.js';
import { corsHeaders, corsPreflight, demoFixture, ok, oneError, startApi, startHandler, type GraphQLResponse, type TestApi } from './helpers/graphql.js';

const fx = demoFixture('hardening', { computers: 500 });

describe('a failing inventory', () => {
  let broken: TestApi;
  const copy = () => join(fx.dir, 'copy.sqlite');
  before(async () => {
    copyFileSync(fx.path, copy());
    const rw = new Database(copy());
    rw.exec('DROP TABLE gatewatch_Relay');
    rw.close();
    broken = await startApi(copy());
  });
  after(() => broken.close());

  test('a missing table: DATASET_UNAVAILABLE naming the dataset; other fields still work', async () => {
    const r = await broken.gql('{ relays { name } }');
    const e = oneError(r);
    assert.equal(e.extensions?.code, 'DATASET_UNAVAILABLE');
    assert.equal(e.extensions?.dataset, 'relays');
    assert.match(e.message, /^dataset relays: no such table: gatewatch_Relay$/);
    assert.doesNotMatch(JSON.stringify(r), /SELECT|FROM \(/);
    const one = oneError(await broken.gql('{ relay(name: "RELAY-AMS-01") { name } }'));
    assert.equal(one.extensions?.code, 'DATASET_UNAVAILABLE');
    assert.equal(ok(await broken.gql('{ computers(first: 3) { totalCount nodes { name } } }')).computers.nodes.length, 3);
    const status = ok(await broken.gql('{ inventoryStatus { dataset available error } }')).inventoryStatus;
    // The diagnosis reads the relays too.
    assert.deepEqual(status.filter((s: any) => !s.available).map((s: any) => s.dataset), ['relays', 'diagnosis_facts']);
  });

  test('an unexpected error is masked as "Unexpected error."', async () => {
    const inv = openInventory({ kind: 'sqlite', path: fx.path });
    const failing: Inventory = Object.create(inv, {
      all: { value: () => Promise.reject(new Error('login failed for sa / Password=hunter2')) },
    });
    const server = await startServer({ inventory: failing, host: '127.0.0.1', port: 0, graphiql: false, introspection: true, exposeStatementCount: false });
    try {
      const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ gateways { name } }"}' });
      const body = (await res.json()) as GraphQLResponse;
      assert.deepEqual(body.errors?.map((e) => [e.message, e.extensions?.code]), [['Unexpected error.', 'INTERNAL_SERVER_ERROR']]);
      assert.doesNotMatch(JSON.stringify(body), /hunter2/);
      assert.equal(body.extensions, undefined, 'no statement count unless exposeStatementCount');
    } finally {
      await server.close();
      await inv.close();
    }
  });
});

describe('a statement the database refuses (QUERY_FAILED)', () => {
  const RAW = "Conversion failed when converting the nvarchar value 'ACME\\svc-backup:Winter2026!' to data type int.";

  test('the client gets a fixed sentence with the code and dataset; the log gets the original once', async () => {
    const inv = openInventory({ kind: 'sqlite', path: fx.path });
    // One failed batch, as a DataLoader shares it with every field that waited on it.
    const failure = new InventoryError('QUERY_FAILED', `dataset computers: ${RAW}`, 'computers');
    const failing: Inventory = Object.create(inv, {
      byKeys: { value: (dataset: string, ...rest: unknown[]) => (dataset === 'computers' ? Promise.reject(failure) : (inv.byKeys as any)(dataset, ...rest)) },
    });
    const server = await startServer({ inventory: failing, host: '127.0.0.1', port: 0, graphiql: false, introspection: true, exposeStatementCount: false });
    const logged = mock.method(console, 'error', () => {});
    try {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // A hundred requests: enough of them have a registered computer whatever the demo plants.
        body: JSON.stringify({ query: '{ blockedAgents(first: 100) { nodes { agentName computer { name } } } }' }),
      });
      const body = (await res.json()) as GraphQLResponse;
      assert.ok((body.errors?.length ?? 0) > 1, 'one error per computer field');
      for (const e of body.errors!) {
        assert.equal(e.message, 'dataset computers: the database refused the statement (see the gatewatch log)');
        assert.deepEqual(e.extensions, { code: 'QUERY_FAILED', dataset: 'computers' });
      }
      assert.ok(body.data?.blockedAgents.nodes.length >= 10, 'the rest of the response still answers');
      assert.ok(body.data?.blockedAgents.nodes.every((n: { agentName: string }) => n.agentName));
      assert.doesNotMatch(JSON.stringify(body), /Winter2026|nvarchar/);
      const lines = logged.mock.calls.map((c) => c.arguments.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '));
      assert.equal(lines.filter((l) => l.includes('Winter2026')).length, 1, `logged once: ${JSON.stringify(lines)}`);
    } finally {
      logged.mock.restore();
      await server.close();
      await inv.close();
    }
  });
});

describe('CORS', () => {
  const FOREIGN = 'https://evil.example';
  const ALLOWED = 'https://dashboard.corp.example';
  const preflight = corsPreflight;
  const post = (endpoint: string, origin: string) =>
    fetch(endpoint, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{"query":"{ gateways { name } }"}' });
  const allowHeaders = corsHeaders;

  test('off by default: a foreign origin gets no Access-Control-Allow-* header, preflight or request', async () => {
    const pre = await preflight(fx.api.endpoint, FOREIGN);
    assert.deepEqual(allowHeaders(pre), []);
    // A browser would stop at the failed preflight; anything that sends the request anyway from a
    // foreign Origin is refused as cross-site (src/http/csrf.ts), and learns nothing.
    const res = await post(fx.api.endpoint, FOREIGN);
    assert.equal(res.status, 403);
    assert.deepEqual(allowHeaders(res), []);
  });

  test('corsOrigins: exactly those origins may read, without credentials; others get nothing', async () => {
    const inventory = openInventory({ kind: 'sqlite', path: fx.path });
    const api = await startHandler({ inventory, corsOrigins: [ALLOWED] });
    try {
      const pre = await preflight(api.endpoint, ALLOWED);
      assert.equal(pre.headers.get('access-control-allow-origin'), ALLOWED);
      assert.match(pre.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
      assert.match(pre.headers.get('access-control-allow-headers') ?? '', /authorization/);
      assert.equal(pre.headers.get('access-control-allow-credentials'), null);
      const res = await post(api.endpoint, ALLOWED);
      assert.equal(res.headers.get('access-control-allow-origin'), ALLOWED);
      assert.match(res.headers.get('vary') ?? '', /origin/i);
      assert.ok(ok((await res.json()) as GraphQLResponse).gateways.length > 0);
      // yoga's own one-origin list would send that origin to everybody; the browser would still refuse,
      // but nothing should be offered at all.
      for (const origin of [FOREIGN, `${ALLOWED}.evil.example`, 'null']) {
        assert.deepEqual(allowHeaders(await preflight(api.endpoint, origin)), [], origin);
        assert.deepEqual(allowHeaders(await post(api.endpoint, origin)), [], origin);
      }
    } finally {
      await api.close();
      await inventory.close();
    }
  });

  test('corsOrigins must be plain origins', () => {
    const inventory = openInventory({ kind: 'sqlite', path: fx.path });
    for (const bad of ['*', `${ALLOWED}/`, 'dashboard.corp.example', `${ALLOWED}/graphql`]) {
      assert.throws(() => createGraphQLHandler({ inventory, graphiql: false, introspection: false, exposeStatementCount: false, corsOrigins: [bad] }), /is not an origin like/, bad);
    }
    return inventory.close();
  });
});

describe('hardening switches', () => {
  test('introspection on: __schema answers', async () => {
    assert.ok(ok(await fx.api.gql('{ __schema { queryType { name } } }')).__schema.queryType.name === 'Query');
  });

  test('introspection off: __schema and __type rejected, __typename and queries fine; no GraphiQL', async () => {
    const locked = await startApi(fx.path, { introspection: false, graphiql: false });
    try {
      for (const q of ['{ __schema { queryType { name } } }', '{ __type(name: "Computer") { name } }']) {
        const r = await locked.gql(q);
        assert.equal(r.data, undefined);
        assert.match(r.errors![0]!.message, /^GraphQL introspection has been disabled/);
      }
      assert.deepEqual(ok(await locked.gql('{ __typename gateways { name } }')).__typename, 'Query');
      // Not the editor: the short page saying it is off (test/http-pages.test.ts).
      const page = await (await fetch(locked.endpoint, { headers: { accept: 'text/html' } })).text();
      assert.doesNotMatch(page, /<script/i);
      assert.match(page, /GraphiQL is off/);
    } finally {
      await locked.close();
    }
  });

  test('GraphiQL when enabled', async () => {
    const open = await startApi(fx.path, { graphiql: true });
    try {
      const page = await fetch(open.endpoint, { headers: { accept: 'text/html' } });
      assert.equal(page.status, 200);
      assert.match(await page.text(), /graphiql/i);
    } finally {
      await open.close();
    }
  });
});
