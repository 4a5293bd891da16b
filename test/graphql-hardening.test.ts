// Failing data sources and the production switches: a missing table is a clear, coded error that
// leaves the rest of the API working; anything unexpected is masked; introspection and GraphiQL
// follow their options.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { startServer } from '../src/http/server.js';
import { openInventory, type Inventory } from '../src/inventory/index.js';
import { demoFixture, ok, oneError, startApi, type GraphQLResponse, type TestApi } from './helpers/graphql.js';

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
    assert.deepEqual(status.filter((s: any) => !s.available).map((s: any) => s.dataset), ['relays']);
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
      const page = await fetch(locked.endpoint, { headers: { accept: 'text/html' } });
      assert.doesNotMatch(await page.text(), /graphiql/i);
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
