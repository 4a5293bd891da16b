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
    await rejects(await fx.api.gql(`{ blockedAgents(filter: { since: ${bad} }) { totalCount } }`), /^DateTime must be ISO-8601 with a time zone, e.g. 2026-11-25T10:00:00Z, got /);
  }
  await rejects(await fx.api.gql('query($s: DateTime) { gateways { denials(since: $s) { total } } }', { s: 'noon' }),
    /Variable "\$s" got invalid value "noon"; DateTime must be ISO-8601 with a time zone/);
});

test('DateTime: calendar-invalid dates do not roll over, and the UTC year is 0001-9999', async () => {
  const since = (s: string) => fx.api.gql('query($s: DateTime) { blockedAgents(filter: { since: $s }) { totalCount } }', { s });
  for (const bad of [
    '2026-02-30T10:00:00Z', // would become March 2
    '2026-02-29T10:00:00Z', // 2026 is not a leap year
    '2026-04-31T00:00:00+02:00',
    '2026-11-25T24:00:00Z',
    '2026-11-25T10:60:00Z',
    '2026-11-25T10:00:60Z',
    '2026-11-25T10:00:00+24:00',
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:30:00+01:00', // year 0 in UTC
    '9999-12-31T23:30:00-01:00', // year 10000 in UTC
  ]) {
    await rejects(await since(bad), new RegExp(`^Variable "\\$s" got invalid value "${bad.replace('+', '\\+')}"; DateTime must be ISO-8601 with a time zone, e.g. 2026-11-25T10:00:00Z, got "${bad.replace('+', '\\+')}"$`), 'BAD_USER_INPUT');
  }
  await rejects(await fx.api.gql('{ blockedAgents(filter: { since: "2026-02-30T10:00:00Z" }) { totalCount } }'), /^DateTime must be ISO-8601 with a time zone, e.g. 2026-11-25T10:00:00Z, got "2026-02-30T10:00:00Z"$/, 'BAD_USER_INPUT');
  for (const good of ['2024-02-29T10:00:00Z', '2026-11-25T10:00Z', '2026-11-25T10:00:00.123456789+05:30', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z']) {
    ok(await since(good));
  }
  // Offsets are applied: the same instant spelled two ways filters the same rows.
  const q = '{ a: blockedAgents(filter: { since: "2026-01-01T01:30:00+01:30" }) { totalCount } b: blockedAgents(filter: { since: "2026-01-01T00:00:00Z" }) { totalCount } }';
  const d = ok(await fx.api.gql(q));
  assert.equal(d.a.totalCount, d.b.totalCount);
});

test('cursors with a calendar-invalid or out-of-range date key are rejected, not rolled over', async () => {
  const newest = { list: 'agentMessages', order: 'NEWEST DESC' };
  const q = 'query($c: String) { agentMessages(after: $c) { totalCount } }';
  for (const at of ['2026-02-30T10:00:00.000Z', '0000-06-01T00:00:00.000Z']) {
    await rejects(await fx.api.gql(q, { c: encodeCursor(newest, [at, 1]) }), /key RaisedAt is not a valid datetime/, 'BAD_USER_INPUT');
  }
  ok(await fx.api.gql(q, { c: encodeCursor(newest, ['2026-02-28T10:00:00.000Z', 1]) }));
});

test('free-text filters: control characters and more than 256 characters are rejected', async () => {
  // On SQLite a NUL ended the LIKE pattern, so "\u0000" matched every computer.
  await rejects(await fx.api.gql('query($t: String) { computers(filter: { nameContains: $t }) { totalCount } }', { t: 'WS\u0000' }),
    /^filter\.nameContains must not contain control characters \(U\+0000-U\+001F, U\+007F\); found U\+0000 at position 2$/, 'BAD_USER_INPUT');
  const cases: [string, string, string][] = [
    ['{ relays(filter: { nameContains: $t }) { name } }', 'RELAY\u0007', 'filter.nameContains'],
    ['{ computers(filter: { gateway: $t }) { totalCount } }', 'igw\n', 'filter.gateway'],
    ['{ blockedAgents(filter: { gateway: $t }) { totalCount } }', 'igw\u007f', 'filter.gateway'],
    ['{ agentMessages(filter: { component: $t }) { totalCount } }', '\tUpdate.exe', 'filter.component'],
    ['{ agentMessages(filter: { computer: $t }) { totalCount } }', 'PC\r', 'filter.computer'],
    ['{ computer(name: $t) { name } }', 'PC\u0000', 'name'],
    ['{ gateway(name: $t) { name } }', '\u001f', 'name'],
    ['{ relay(name: $t) { name } }', 'RELAY\u0000', 'name'],
  ];
  for (const [field, text, arg] of cases) {
    const r = await fx.api.gql(`query($t: String!) ${field}`, { t: text });
    await rejects(r, new RegExp(`^${arg.replace('.', '\\.')} must not contain control characters`), 'BAD_USER_INPUT');
  }
  const long = 'A'.repeat(257);
  await rejects(await fx.api.gql('query($t: String) { computers(filter: { nameContains: $t }) { totalCount } }', { t: long }),
    /^filter\.nameContains is 257 characters long; the maximum is 256$/, 'BAD_USER_INPUT');
  await rejects(await fx.api.gql('query($t: String!) { computer(name: $t) { name } }', { t: long }), /^name is 257 characters long/, 'BAD_USER_INPUT');
  assert.equal(ok(await fx.api.gql('query($t: String) { computers(filter: { nameContains: $t }) { totalCount } }', { t: 'A'.repeat(256) })).computers.totalCount, 0);
  // Printable non-ASCII is fine.
  assert.equal(ok(await fx.api.gql('{ computers(filter: { nameContains: "Ä€" }) { totalCount } }')).computers.totalCount, 0);
});

test('depth limit: deeper than 12 levels is rejected before anything runs', async () => {
  const nest = (levels: number) => 'accessRequests { computer { '.repeat(levels) + 'name' + ' } }'.repeat(levels);
  ok(await fx.api.gql(`{ computers(first: 1) { edges { node { ${nest(4)} } } } }`)); // 3 + 8 + 1 = 12
  const r = await fx.api.gql(`{ computers(first: 1) { edges { node { ${nest(5)} } } } }`);
  await rejects(r, /^The operation nests fields 14 levels deep; the maximum is 12\.$/);
  assert.equal(r.extensions?.sqlStatements, undefined, 'not executed');
});

test('alias limit: more than 20 aliased fields in an operation is rejected before anything runs', async () => {
  const aliases = (n: number, field = 'cemSummary { total }') => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ');
  const twenty = await fx.api.gql(`{ ${aliases(20)} }`);
  assert.equal(Object.keys(ok(twenty)).length, 20);
  const r = await fx.api.gql(`{ ${aliases(500)} }`);
  await rejects(r, /^The operation uses 500 aliased fields; the maximum is 20\. Split it into several requests\.$/);
  assert.equal(r.extensions?.sqlStatements, undefined, 'not executed');
  // Nested aliases count, and a fragment counts each time it is spread.
  await rejects(await fx.api.gql(`query Wide { gateways { ${aliases(21, 'denials { total }')} } }`), /^Operation Wide uses 21 aliased fields/);
  const fragment = `fragment F on Query { ${aliases(11)} }`;
  await rejects(await fx.api.gql(`{ ...F ... on Query { ...F } } ${fragment}`), /uses 22 aliased fields/);
  ok(await fx.api.gql(`{ ...F } ${fragment}`));
  // __typename costs nothing and is not counted.
  ok(await fx.api.gql(`{ ${aliases(30, '__typename')} }`));
});
