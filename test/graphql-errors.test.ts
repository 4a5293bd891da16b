// Bad input and failing data sources: each gives one clear GraphQL error (never SQL text or a stack),
// and the server keeps answering the next request.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { encodeCursor } from '../src/graphql/cursor.js';
import { demoFixture, ok, oneError, type GraphQLResponse } from './helpers/graphql.js';

// Names made of LIKE and SQL metacharacters, a duplicate, and a re-imaged machine's two records.
const fx = demoFixture('errors', {
  prepare: (path) => {
    const rw = new Database(path);
    const add = (name: string, managed = 1) =>
      rw.prepare('INSERT INTO vComputer (Guid, Name, IsManaged) VALUES (?, ?, ?)').run(crypto.randomUUID().toUpperCase(), name, managed);
    for (const name of ['WS_LIT_01', 'WSXLITX01', "O'BRIEN-PC", 'PCT%100', 'BRACKET[1]', 'DASH--SEMI;', 'DUP-PC', 'DUP-PC', 'REIMAGED-PC']) add(name);
    add('REIMAGED-PC', 0);
    rw.close();
  },
});

/** The request failed with one error matching `message`; a normal query still works afterwards. */
async function rejects(r: GraphQLResponse, message: RegExp, code?: string) {
  const e = oneError(r);
  assert.match(e.message, message);
  if (code) assert.equal(e.extensions?.code, code);
  assert.doesNotMatch(JSON.stringify(r), /SELECT|stack|\.ts:/);
  assert.equal(ok(await fx.api.gql('{ computers(first: 1) { totalCount } }')).computers.totalCount > 0, true, 'still serving');
}

describe('cursors', () => {
  let cursor: string;
  before(async () => {
    cursor = ok(await fx.api.gql('{ computers(first: 2) { pageInfo { endCursor } } }')).computers.pageInfo.endCursor;
  });
  const page = (args: string, vars: Record<string, unknown>) => fx.api.gql(`query($c: String) { computers(${args}) { edges { node { name } } } }`, vars);

  test('tampered, truncated or garbage', async () => {
    const flipped = cursor.slice(0, 10) + (cursor[10] === 'A' ? 'B' : 'A') + cursor.slice(11);
    await rejects(await page('after: $c', { c: flipped }), /^Invalid cursor for computers: /, 'BAD_USER_INPUT');
    await rejects(await page('before: $c', { c: cursor.slice(0, -4) }), /^Invalid cursor for computers: /, 'BAD_USER_INPUT');
    await rejects(await page('after: $c', { c: 'not a cursor!' }), /^Invalid cursor for computers: not a cursor this API issued/, 'BAD_USER_INPUT');
    await rejects(await page('after: $c', { c: '' }), /^Invalid cursor for computers/, 'BAD_USER_INPUT');
  });

  test('from another list or another order', async () => {
    const msg = ok(await fx.api.gql('{ agentMessages(first: 1) { pageInfo { endCursor } } }')).agentMessages.pageInfo.endCursor;
    await rejects(await page('after: $c', { c: msg }), /^Invalid cursor for computers: it was issued for agentMessages/, 'BAD_USER_INPUT');
    await rejects(await page('after: $c, orderBy: { field: GUID }', { c: cursor }), /issued for order NAME ASC, this request orders by GUID ASC/, 'BAD_USER_INPUT');
    await rejects(await page('after: $c, orderBy: { direction: DESC }', { c: cursor }), /issued for order NAME ASC/, 'BAD_USER_INPUT');
    const blocked = await fx.api.gql('query($c: String) { blockedAgents(after: $c) { totalCount } }', { c: cursor });
    await rejects(blocked, /^Invalid cursor for blockedAgents: it was issued for computers/, 'BAD_USER_INPUT');
  });

  test('well-formed but with key values of the wrong kind', async () => {
    const scope = { list: 'computers', order: 'NAME ASC' };
    await rejects(await page('after: $c', { c: encodeCursor(scope, [42, '6F9619FF-8B86-D011-B42D-00C04FC964FF']) }), /key Name is not a valid string/, 'BAD_USER_INPUT');
    await rejects(await page('after: $c', { c: encodeCursor(scope, ['PC', "x' OR 1=1 --"]) }), /key Guid is not a valid guid/, 'BAD_USER_INPUT');
    await rejects(await page('after: $c', { c: encodeCursor(scope, ['PC']) }), /expected 2 key value/, 'BAD_USER_INPUT');
    const newest = { list: 'agentMessages', order: 'NEWEST DESC' };
    const q = 'query($c: String) { agentMessages(after: $c) { totalCount } }';
    await rejects(await fx.api.gql(q, { c: encodeCursor(newest, ['yesterday', 1]) }), /key RaisedAt is not a valid datetime/, 'BAD_USER_INPUT');
    await rejects(await fx.api.gql(q, { c: encodeCursor(newest, [new Date(), 1.5]) }), /key Id is not a valid int/, 'BAD_USER_INPUT');
  });
});

test('page sizes: out of range or first with last', async () => {
  await rejects(await fx.api.gql('{ computers(first: 100000) { totalCount } }'), /^first must be between 0 and 1000, got 100000$/, 'BAD_USER_INPUT');
  await rejects(await fx.api.gql('{ agentMessages(last: -1) { totalCount } }'), /^last must be between 0 and 1000, got -1$/, 'BAD_USER_INPUT');
  await rejects(await fx.api.gql('{ blockedAgents(first: 1001) { totalCount } }'), /^first must be between 0 and 1000, got 1001$/, 'BAD_USER_INPUT');
  await rejects(await fx.api.gql('{ computers(first: 5, last: 5) { totalCount } }'), /^first and last cannot be used together/, 'BAD_USER_INPUT');
  assert.equal(ok(await fx.api.gql('{ computers(first: 1000) { nodes { name } } }')).computers.nodes.length, 1000);
});

test('unknown enum values fail validation, as literals and as variables', async () => {
  await rejects(await fx.api.gql('{ computers(filter: { connectivity: SATELLITE }) { totalCount } }'), /Value "SATELLITE" does not exist in "Connectivity" enum/);
  await rejects(await fx.api.gql('{ computers(orderBy: { field: PRICE }) { totalCount } }'), /"PRICE" does not exist in "ComputerOrderField" enum/);
  await rejects(await fx.api.gql('query($s: AccessStatus) { blockedAgents(filter: { status: $s }) { totalCount } }', { s: 'pending' }),
    /Variable "\$s" got invalid value "pending"; Value "pending" does not exist in "AccessStatus" enum/);
});

test('SQL and LIKE metacharacters in nameContains match literally', async () => {
  const names = async (text: string) =>
    ok(await fx.api.gql('query($t: String) { computers(filter: { nameContains: $t }, first: 1000) { nodes { name } } }', { t: text })).computers.nodes.map((n: any) => n.name);
  assert.deepEqual(await names('S_L'), ['WS_LIT_01']);
  assert.deepEqual(await names('_'), ['WS_LIT_01']);
  assert.deepEqual(await names('%'), ['PCT%100']);
  assert.deepEqual(await names('T%1'), ['PCT%100']);
  assert.deepEqual(await names('[1]'), ['BRACKET[1]']);
  assert.deepEqual(await names('[0-9]'), []);
  assert.deepEqual(await names("o'b"), ["O'BRIEN-PC"]);
  assert.deepEqual(await names('--'), ['DASH--SEMI;']);
  assert.deepEqual(await names(';'), ['DASH--SEMI;']);
  assert.deepEqual(await names("'; DROP TABLE vComputer; --"), []);
  assert.deepEqual(await names('\\'), []);
  const relays = ok(await fx.api.gql('{ relays(filter: { nameContains: "_" }) { name } }')).relays;
  assert.deepEqual(relays, []);
});

test('computer(): exactly one of guid or name, a GUID that looks like one, a name that is not ambiguous', async () => {
  await rejects(await fx.api.gql('{ computer { name } }'), /^computer takes exactly one of guid or name$/, 'BAD_USER_INPUT');
  await rejects(await fx.api.gql('{ computer(guid: "6F9619FF-8B86-D011-B42D-00C04FC964FF", name: "X") { name } }'), /exactly one of guid or name/, 'BAD_USER_INPUT');
  await rejects(await fx.api.gql('{ computer(guid: "1; DROP TABLE x") { name } }'), /^guid must look like/, 'BAD_USER_INPUT');
  await rejects(await fx.api.gql('{ computer(name: "DUP-PC") { name } }'), /^2 computers are named "DUP-PC"; ask by guid \(/, 'BAD_USER_INPUT');
  // A re-imaged machine leaves an unmanaged record behind: the name means the managed one.
  assert.deepEqual(ok(await fx.api.gql('{ computer(name: "REIMAGED-PC") { isManaged } }')).computer, { isManaged: true });
});

test('DateTime: a clear error for anything but an ISO-8601 instant with a zone', async () => {
  for (const bad of ['"yesterday"', '"2026-11-25"', '"2026-11-25T10:00:00"', '"2026-13-45T10:00:00Z"', '12']) {
    await rejects(await fx.api.gql(`{ blockedAgents(filter: { since: ${bad} }) { totalCount } }`), /^DateTime must be an ISO-8601 timestamp with a zone/);
  }
  await rejects(await fx.api.gql('query($s: DateTime) { gateways { denials(since: $s) { total } } }', { s: 'noon' }),
    /Variable "\$s" got invalid value "noon"; DateTime must be an ISO-8601 timestamp/);
});

test('depth limit: deeper than 12 levels is rejected before anything runs', async () => {
  const nest = (levels: number) => 'accessRequests { computer { '.repeat(levels) + 'name' + ' } }'.repeat(levels);
  ok(await fx.api.gql(`{ computers(first: 1) { edges { node { ${nest(4)} } } } }`)); // 3 + 8 + 1 = 12
  const r = await fx.api.gql(`{ computers(first: 1) { edges { node { ${nest(5)} } } } }`);
  await rejects(r, /^The operation nests fields 14 levels deep; the maximum is 12\.$/);
  assert.equal(r.extensions?.sqlStatements, undefined, 'not executed');
});
