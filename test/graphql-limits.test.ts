// The query cost estimate refuses a request before any SQL runs, with the estimate and the limit in
// its error; the statement and row budgets stop a request that runs or reads more than they allow;
// the parse cache evicts by bytes; every limit is a setting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'graphql';
import { ConfigError, loadServeConfig } from '../src/config.js';
import { DEFAULT_LIMITS, type GraphQLLimits } from '../src/graphql/limits.js';
import { ByteBoundedCache, HEAP_BYTES_PER_CHAR } from '../src/graphql/parse-cache.js';
import { estimateCost, UNPAGED_LIST_ROWS } from '../src/graphql/query-cost.js';
import { schema } from '../src/graphql/schema/index.js';
import { startServer } from '../src/http/server.js';
import { openInventory } from '../src/inventory/index.js';
import { demoFixture, ok, type GraphQLResponse } from './helpers/graphql.js';

const fx = demoFixture('limits', { computers: 300 });

/** The page: 1,000 access requests with their gateway's and computer's nested lists. */
const HEAVY_PAGE = 'blockedAgents(first: 1000) { edges { cursor node { agentName reason gateway { name brokerConnections { core count } connections { level count } } computer { gatewayAssignments { gateway lastSuccess } } } } }';

const cost = (query: string, variables?: Record<string, unknown>) => {
  const doc = parse(query);
  return estimateCost(schema, doc, doc.definitions[0] as any, variables);
};

test('the estimate: fields times the rows of the pages and lists above them', () => {
  assert.equal(cost('{ gateways { name online } }'), 1 + UNPAGED_LIST_ROWS * 2);
  // Connections count their page once: edges and nodes are the page, not a list of their own.
  assert.equal(cost('{ computers(first: 20) { totalCount edges { node { name } } } }'), 1 + 20 * (1 + 1 + 1 * (1 + 1)));
  assert.equal(cost('{ computers { nodes { name } } }'), 1 + 50 * 2, 'the default page');
  assert.equal(cost('query($n: Int) { computers(first: $n) { nodes { name } } }', { n: 1000 }), 1 + 1000 * 2);
  assert.equal(cost('query($n: Int = 7) { computers(last: $n) { nodes { name } } }'), 1 + 7 * 2);
  assert.equal(cost('{ computers(first: 5000) { nodes { name } } }'), 1 + 1000 * 2, 'over the maximum page: costed as the maximum');
  assert.equal(cost('{ ...F ...F } fragment F on Query { gateways { name } }'), 2 * (1 + UNPAGED_LIST_ROWS));
  assert.equal(cost('{ __schema { types { name } } }'), 0, 'introspection costs no statement');
  const one = cost(`{ ${HEAVY_PAGE} }`);
  assert.ok(one <= DEFAULT_LIMITS.maxQueryCost, `one heavy page passes: ${one}`);
  const twenty = cost(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: ${HEAVY_PAGE}`).join(' ')} }`);
  assert.equal(twenty, 20 * one);
  assert.ok(twenty > 10 * DEFAULT_LIMITS.maxQueryCost);
});

async function server(limits: Partial<GraphQLLimits>) {
  const inventory = openInventory({ kind: 'sqlite', path: fx.path }, {});
  const s = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: true, exposeStatementCount: true, graphqlLimits: limits });
  return {
    inventory,
    gql: async (query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> => {
      const res = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return { status: res.status, ...((await res.json()) as object) };
    },
    close: async () => {
      await s.close();
      await inventory.close();
    },
  };
}

test('20 aliases of a 1,000-row page with nested lists: 400 QUERY_TOO_COSTLY with the estimate, and no statement runs', async () => {
  const query = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: ${HEAVY_PAGE}`).join(' ')} }`;
  const accept = 'application/graphql-response+json';
  const res = await fetch(fx.api.endpoint, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query }) });
  const r = (await res.json()) as GraphQLResponse;
  assert.equal(res.status, 400);
  assert.equal(r.data, undefined);
  const [e] = r.errors!;
  assert.equal(r.errors!.length, 1);
  assert.equal(e!.extensions?.code, 'QUERY_TOO_COSTLY');
  const estimate = cost(query);
  assert.equal(e!.extensions?.cost, estimate);
  assert.equal(e!.extensions?.maxCost, DEFAULT_LIMITS.maxQueryCost);
  assert.match(e!.message, new RegExp(`estimated cost is ${estimate}; the maximum is 100000 \\(--max-query-cost, GATEWATCH_MAX_QUERY_COST\\)`));
  // The background refresh shares the inventory's counter: the request's own scope says nothing ran.
  assert.equal(r.extensions?.sqlStatements, undefined, 'not executed');
  // The same page once is served.
  assert.ok(ok(await fx.api.gql(`{ ${HEAVY_PAGE} }`)).blockedAgents.edges.length > 0);
  // A variable page size is costed with its value.
  const paged = 'query($n: Int) { computers(first: $n) { nodes { name gatewayAssignments { gateway } } } }';
  ok(await fx.api.gql(paged, { n: 1000 }));
  const small = await server({ maxQueryCost: 2000 });
  try {
    ok(await small.gql(paged, { n: 10 }));
    assert.equal((await small.gql(paged, { n: 1000 })).errors?.[0]?.extensions?.code, 'QUERY_TOO_COSTLY');
  } finally {
    await small.close();
  }
});

test('the statement budget: a request needing more statements is stopped with STATEMENT_BUDGET_EXCEEDED', async () => {
  const s = await server({ maxRequestStatements: 3 });
  try {
    // A page, its count, and a nested level: three statements.
    const three = await s.gql('{ computers(first: 5) { totalCount nodes { name gatewayAssignments { gateway } } } }');
    assert.equal(ok(three).computers.nodes.length, 5);
    assert.equal(three.extensions?.sqlStatements, 3);
    const r = await s.gql('{ computers(first: 5) { totalCount nodes { name gatewayAssignments { gateway } accessRequests { agentName } } } }');
    assert.equal(r.status, 200, 'partial data: the statements within the budget answered');
    const codes = new Set(r.errors?.map((e) => e.extensions?.code));
    assert.deepEqual([...codes], ['STATEMENT_BUDGET_EXCEEDED']);
    assert.match(r.errors![0]!.message, /more than 3 SQL statements \(--max-request-statements, GATEWATCH_MAX_REQUEST_STATEMENTS\)/);
    assert.equal(r.extensions?.sqlStatements, 4, 'the fourth was counted and refused, not run');
    // The budget is per request: the next one starts afresh.
    ok(await s.gql('{ computers(first: 1) { totalCount } }'));
  } finally {
    await s.close();
  }
});

test('the row budget: a request that read more rows than allowed runs nothing more (ROW_BUDGET_EXCEEDED)', async () => {
  const s = await server({ maxRequestRows: 100 });
  try {
    ok(await s.gql('{ computers(first: 50) { nodes { name } } }'));
    const r = await s.gql('{ computers(first: 200) { nodes { name gatewayAssignments { gateway } } } }');
    assert.deepEqual([...new Set(r.errors?.map((e) => e.extensions?.code))], ['ROW_BUDGET_EXCEEDED']);
    assert.match(r.errors![0]!.message, /read more than 100 rows \(--max-request-rows, GATEWATCH_MAX_REQUEST_ROWS\)/);
    assert.equal(r.extensions?.sqlStatements, 1, 'the nested level never ran');
    ok(await s.gql('{ computers(first: 10) { nodes { name } } }'));
  } finally {
    await s.close();
  }
});

test('the parse cache evicts the least recently used by bytes and keeps no document over an eighth of it', () => {
  const doc = (n: number) => `{ ${'a'.repeat(n)} }`;
  const charge = ByteBoundedCache.charge(doc(100));
  assert.equal(charge, doc(100).length * (HEAP_BYTES_PER_CHAR + 1));
  const cache = new ByteBoundedCache<string>(charge * 8);
  for (let i = 0; i < 8; i++) cache.set(doc(100).replace('a', String(i)), `v${i}`);
  assert.deepEqual(cache.usage(), { bytes: charge * 8, entries: 8 });
  assert.equal(cache.get(doc(100).replace('a', '0')), 'v0', 'used: now the most recent');
  cache.set(doc(100).replace('a', 'x'), 'vx');
  assert.deepEqual(cache.usage(), { bytes: charge * 8, entries: 8 });
  assert.equal(cache.get(doc(100).replace('a', '1')), undefined, 'the least recently used went');
  assert.equal(cache.get(doc(100).replace('a', '0')), 'v0');
  cache.set(doc(200), 'too large');
  assert.equal(cache.get(doc(200)), undefined);
  assert.equal(cache.usage().entries, 8);
});

test('every limit is a setting: flag or GATEWATCH_* variable, checked at start', () => {
  assert.deepEqual(loadServeConfig({}, {}).graphqlLimits, Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((k) => [k, undefined])));
  const c = loadServeConfig({ 'max-query-cost': '5000', 'max-depth': '8' }, { GATEWATCH_MAX_DOCUMENT_BYTES: '131072', GATEWATCH_MAX_REQUEST_ROWS: '20000' });
  assert.equal(c.graphqlLimits.maxQueryCost, 5000);
  assert.equal(c.graphqlLimits.maxDepth, 8);
  assert.equal(c.graphqlLimits.maxDocumentBytes, 131072);
  assert.equal(c.graphqlLimits.maxRequestRows, 20000);
  assert.throws(() => loadServeConfig({ 'max-document-tokens': 'lots' }, {}), (e: unknown) => e instanceof ConfigError && /^--max-document-tokens: expected a whole number/.test(e.message));
  assert.throws(() => loadServeConfig({}, { GATEWATCH_MAX_DEPTH: '1000' }), (e: unknown) => e instanceof ConfigError && /^GATEWATCH_MAX_DEPTH: expected a whole number from 2 to 100/.test(e.message));
});
