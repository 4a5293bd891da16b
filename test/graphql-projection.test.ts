// A page reads only the columns its selected fields declare (src/graphql/projection.ts), and that
// changes no answer: every Computer field alone returns what it returns in the full selection.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { getNamedType, isLeafType, isObjectType, type GraphQLObjectType } from 'graphql';
import { schema } from '../src/graphql/schema/index.js';
import type { BoundParam, Driver, QueryOptions } from '../src/inventory/driver.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { SqliteDriver } from '../src/inventory/sqlite.js';
import { demoFixture, ok, startHandler } from './helpers/graphql.js';

const fx = demoFixture('projection');

/** Passes statements through and keeps the columns each computers page answered with. */
class ColumnsDriver implements Driver {
  readonly dialect = 'sqlite' as const;
  readonly description = 'columns';
  pages: string[][] = [];
  constructor(private readonly inner: Driver) {}
  async query(sql: string, params: readonly BoundParam[], options?: QueryOptions) {
    const result = await this.inner.query(sql, params, options);
    if (params.some((p) => p.name === '__limit') && sql.includes('vComputer')) this.pages.push(result.columns);
    return result;
  }
  classify = (e: unknown) => this.inner.classify(e);
  close = () => this.inner.close();
}

let handler: Awaited<ReturnType<typeof startHandler>> | undefined;
let driver: ColumnsDriver;
async function gql(query: string): Promise<any> {
  if (!handler) {
    driver = new ColumnsDriver(new SqliteDriver({ path: fx.path }));
    handler = await startHandler({ inventory: new SqlInventory(driver) });
  }
  const res = await fetch(handler.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return ok({ status: res.status, ...((await res.json()) as object) });
}
after(async () => {
  await handler?.close();
  await driver?.close();
});

async function pageColumns(query: string): Promise<string[]> {
  driver.pages = [];
  await gql(query);
  assert.equal(driver.pages.length, 1, 'one page statement');
  return driver.pages[0]!;
}

test('a page selects the key and order columns plus what its fields read', async () => {
  await gql('{ __typename }');
  assert.deepEqual(await pageColumns('{ computers(first: 5) { nodes { name } } }'), ['Guid', 'Name']);
  assert.deepEqual(await pageColumns('{ computers(first: 5) { totalCount pageInfo { endCursor } edges { cursor } } }'), ['Guid', 'Name']);
  assert.deepEqual(await pageColumns('{ computers(first: 5) { nodes { connectivity auth { type } } } }'), ['Guid', 'Name', 'IsOnInternet', 'AuthType', 'AuthValidUntil']);
  // Fragments, named and inline, are followed.
  const viaFragments = await pageColumns(
    '{ computers(first: 5) { edges { node { ...F } } } } fragment F on Computer { ... on Computer { agentVersion } reporting }',
  );
  assert.deepEqual(viaFragments, ['Guid', 'Name', 'AgentVersion', 'Reporting']);
});

const computer = schema.getType('Computer') as GraphQLObjectType;

/** A field's selection: itself if a leaf, else with every argument-free leaf of its type. */
function selection(name: string): string {
  const type = getNamedType(computer.getFields()[name]!.type);
  if (isLeafType(type)) return name;
  assert.ok(isObjectType(type));
  const leaves = Object.values(type.getFields()).filter((f) => isLeafType(getNamedType(f.type)) && !f.args.some((a) => a.type.toString().endsWith('!')));
  return `${name} { ${leaves.map((f) => f.name).join(' ')} }`;
}

test('every Computer field says what it reads, and alone returns what it returns beside all the others', async () => {
  const names = Object.keys(computer.getFields());
  for (const name of names) assert.ok(computer.getFields()[name]!.extensions?.gatewatchColumns, `Computer.${name} declares its columns with reads()`);
  const page = (fields: string) => `{ computers(first: 40, filter: { managed: null }) { nodes { ${fields} } } }`;
  const full = (await gql(page(names.map(selection).join(' ')))).computers.nodes as Record<string, unknown>[];
  assert.equal(full.length, 40);
  for (const name of names) {
    const alone = (await gql(page(selection(name)))).computers.nodes as Record<string, unknown>[];
    assert.deepEqual(alone.map((n) => n[name]), full.map((n) => n[name]), `Computer.${name}`);
  }
});
