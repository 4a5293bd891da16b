// Hostile documents cannot crash or stall the server: each bound answers a coded 400 before the
// document costs what it would (size and bracket nesting before parsing, tokens while parsing,
// operations, fragments and fields before validation), and the parse cache is bounded by bytes, so
// a stream of unique large documents leaves the heap where it was. Counts and codes, never times.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { getIntrospectionQuery } from 'graphql';
import { bracketDepth } from '../src/graphql/document-bounds.js';
import { DEFAULT_LIMITS } from '../src/graphql/limits.js';
import { parseCacheUsage } from '../src/graphql/parse-cache.js';
import { startServer } from '../src/http/server.js';
import { openInventory } from '../src/inventory/index.js';
import { demoFixture, ok, type GraphQLResponse } from './helpers/graphql.js';

const fx = demoFixture('hostile', { computers: 300 });

async function post(query: string, operationName?: string, endpoint = fx.api.endpoint): Promise<GraphQLResponse> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, operationName }),
  });
  return { status: res.status, ...((await res.json()) as object) };
}

/** A 400 with exactly one error of this code, nothing executed, and the server still answering. */
async function refused(r: GraphQLResponse, code: string, message: RegExp) {
  assert.equal(r.status, 400, JSON.stringify(r).slice(0, 300));
  assert.deepEqual(r.errors?.map((e) => e.extensions?.code), [code]);
  assert.match(r.errors![0]!.message, message);
  assert.equal(r.data, undefined);
  assert.doesNotMatch(JSON.stringify(r), /"http"|stack/);
  assert.equal(ok(await post('{ computers(first: 1) { totalCount } }')).computers.totalCount > 0, true, 'still serving');
}

const MiB = 1024 * 1024;

test('a 5,000-deep document is a 400 DOCUMENT_TOO_DEEP, not an overflowed parser (INTERNAL_SERVER_ERROR)', async () => {
  await refused(await post('{' + 'a{'.repeat(5000) + 'b' + '}'.repeat(5001)), 'DOCUMENT_TOO_DEEP', /^The document nests brackets 5001 deep; the maximum is 64 /);
  // Argument lists and input objects nest too.
  await refused(await post(`{ computers(filter: ${'['.repeat(3000)}${']'.repeat(3000)}) { totalCount } }`), 'DOCUMENT_TOO_DEEP', /nests brackets 3002 deep/);
});

test('brackets inside strings, block strings and comments are not nesting', () => {
  assert.equal(bracketDepth('{ a(x: "{{{[[(") { b } }'), 2);
  assert.equal(bracketDepth('{ a(x: """ {{{ \\""" {{ """) }'), 2);
  assert.equal(bracketDepth('# {{{{{{\n{ a }'), 1);
  assert.equal(bracketDepth('{ a(x: "\\"{{{") }'), 2);
  assert.equal(bracketDepth(getIntrospectionQuery()), 10);
});

test('1 MiB documents (50,000 operations; 200,000 repeated fields) are refused by size before parsing', async () => {
  // A body limit above them: the document limit, not the body limit, is what refuses them.
  const inventory = openInventory({ kind: 'sqlite', path: fx.path }, {});
  const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: true, exposeStatementCount: true, maxBodyBytes: 4 * MiB });
  try {
    const endpoint = `${server.url}/graphql`;
    const ops = Array.from({ length: 50_000 }, (_, i) => `query Q${i}{__typename}`).join('\n');
    assert.ok(ops.length > MiB, `${ops.length} bytes`);
    await refused(await post(ops, 'Q1', endpoint), 'DOCUMENT_TOO_LARGE', new RegExp(`^The document is ${ops.length} bytes; the maximum is 65536 \\(--max-document-bytes`));
    const fields = `{ gateways { ${'name '.repeat(200_000)}} }`;
    await refused(await post(fields, undefined, endpoint), 'DOCUMENT_TOO_LARGE', /^The document is 1000016 bytes/);
    // Multi-byte characters count as their UTF-8 bytes.
    await refused(await post(`# ${'é'.repeat(40_000)}\n{ __typename }`, undefined, endpoint), 'DOCUMENT_TOO_LARGE', /^The document is 800\d\d bytes/);
    assert.equal(ok(await post('{ computers(first: 1) { totalCount } }', undefined, endpoint)).computers.totalCount > 0, true);
  } finally {
    await server.close();
    await inventory.close();
  }
});

test('under the size limit, tokens, operations, fragments and fields each have their bound', async () => {
  await refused(await post(`{ gateways { ${'name '.repeat(6000)}} }`), 'TOO_MANY_TOKENS', /^The document has more than 5000 tokens \(--max-document-tokens/);
  const ops = (n: number) => Array.from({ length: n }, (_, i) => `query Q${i} { __typename }`).join('\n');
  assert.equal(ok(await post(ops(32), 'Q31')).__typename, 'Query');
  await refused(await post(ops(33), 'Q0'), 'TOO_MANY_OPERATIONS', /^The document holds 33 operations; the maximum is 32 /);
  const frags = (n: number) => `{ ...F0 } ${Array.from({ length: n }, (_, i) => `fragment F${i} on Query { ${i + 1 < n ? `...F${i + 1}` : '__typename'} }`).join(' ')}`;
  assert.equal(ok(await post(frags(64))).__typename, 'Query');
  await refused(await post(frags(65)), 'TOO_MANY_FRAGMENTS', /^The document defines 65 fragments; the maximum is 64 /);
  const fields = (n: number) => `{ gateways { ${'name '.repeat(n - 1)}} }`;
  ok(await post(fields(500)));
  await refused(await post(fields(501)), 'TOO_MANY_FIELDS', /^The operation selects 501 fields/);
  // A fragment counts where it is spread: 2 x 2 x … doubles without growing the document.
  const doubling = `{ ...D0 } ${Array.from({ length: 12 }, (_, i) => `fragment D${i} on Query { ${i < 11 ? `...D${i + 1} ... on Query { ...D${i + 1} }` : 'gateways { name }'} }`).join(' ')}`;
  await refused(await post(doubling), 'TOO_MANY_FIELDS', /selects 4096 fields/);
});

test('GraphiQL\'s own introspection query passes every bound', async () => {
  const q = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
  assert.ok(ok(await post(q)).__schema.types.length > 20);
});

/** A valid document of `bytes`, unique by its first line: many fields, each with a directive and a comment. */
function largeDocument(i: number, bytes: number): string {
  const head = `# request ${i}\n{ computers(first: 1) { `;
  const line = (n: number) => `totalCount @include(if: true) # ${'x'.repeat(n)}\n`;
  const lines = 450;
  const pad = Math.floor((bytes - head.length - 4) / lines) - line(0).length;
  return head + line(pad).repeat(lines) + '} }';
}

const gc = () => {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
};

test('100 unique large documents: all answered, the parse cache within its byte bound, the heap where it was', async () => {
  const size = DEFAULT_LIMITS.maxDocumentBytes - 2048;
  assert.ok(largeDocument(0, size).length <= DEFAULT_LIMITS.maxDocumentBytes && largeDocument(0, size).length > size - 1024);
  // Small documents are cached as before: the same query twice holds one entry.
  const before = parseCacheUsage().entries;
  ok(await post('{ gateways { name online } }'));
  ok(await post('{ gateways { name online } }'));
  assert.equal(parseCacheUsage().entries, before + 1);
  gc();
  const heap = process.memoryUsage().heapUsed;
  for (let i = 0; i < 100; i++) {
    const r = await post(largeDocument(i, size));
    assert.equal(r.status, 200, JSON.stringify(r.errors));
    const usage = parseCacheUsage();
    assert.ok(usage.bytes <= usage.maxBytes, `cache holds ${usage.bytes} of ${usage.maxBytes} bytes`);
  }
  gc();
  // yoga's own cache kept every one (each ~0.7 MB of tokens and AST here): ~70 MB.
  const grown = process.memoryUsage().heapUsed - heap;
  assert.ok(grown < 24 * MiB, `heap grew ${(grown / MiB).toFixed(1)} MiB over 100 unique documents`);
});
