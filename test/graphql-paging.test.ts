// Keyset paging over HTTP while the table changes between pages: rows inserted before, inside and
// after the walked range never make an original row vanish or repeat, forwards or backwards.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { DEMO_NOW, demoFixture, ok } from './helpers/graphql.js';

const fx = demoFixture('paging');
let writer: Database.Database | undefined;
/** The demo file opened read-write beside the server, to change the table between pages. */
const rw = () => (writer ??= new Database(fx.path));
after(() => writer?.close());

/** Managed computers in the API's order, as `name guid` so same-named rows stay distinct. */
const keys = () =>
  (rw().prepare('SELECT Name, Guid FROM vComputer WHERE IsManaged = 1 ORDER BY Name, Guid').all() as { Name: string; Guid: string }[]).map(
    (r) => `${r.Name} ${r.Guid}`,
  );
const key = (e: { node: { name: string; guid: string } }) => `${e.node.name} ${e.node.guid}`;
let inserted = 0;
function insertComputer(name: string): void {
  rw().prepare('INSERT INTO vComputer (Guid, Name, Domain, [IP Address], IsManaged) VALUES (?, ?, NULL, NULL, 1)').run(randomUUID().toUpperCase(), name);
  inserted++;
}
/** New computers around `name`: one sorting first, one last, and two right beside the cursor. */
function insertAround(name: string): void {
  insertComputer(`AAA-NEW-${String(inserted).padStart(4, '0')}`);
  insertComputer(`ZZZ-NEW-${String(inserted).padStart(4, '0')}`);
  insertComputer(`${name}-A`);
  insertComputer(name); // same name, another GUID: the Guid tie-breaker decides its side
}

const PAGE = `edges { cursor node { name guid } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;
type Page = { edges: { cursor: string; node: { name: string; guid: string } }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null } };

test('forwards: every original row exactly once, in order, while rows are inserted', async () => {
  const originals = keys();
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  for (;;) {
    const d: { computers: Page } = ok(await fx.api.gql(`query($a: String) { computers(first: 97, after: $a) { ${PAGE} } }`, { a: cursor }));
    const p = d.computers;
    seen.push(...p.edges.map(key));
    assert.equal(p.pageInfo.hasPreviousPage, cursor !== null);
    if (!p.pageInfo.hasNextPage) break;
    cursor = p.pageInfo.endCursor;
    insertAround(p.edges.at(-1)!.node.name);
    pages++;
  }
  assert.ok(pages >= 20);
  const known = new Set(originals);
  assert.deepEqual(seen.filter((k) => known.has(k)), originals, 'originals: none skipped, none repeated, in order');
  assert.equal(new Set(seen).size, seen.length, 'no row twice');
  assert.ok(!seen.some((k) => k.startsWith('AAA-NEW')), 'rows inserted behind the cursor are not revisited');
  assert.ok(seen.some((k) => k.startsWith('ZZZ-NEW')), 'rows inserted ahead of the cursor are reached');
});

test('backwards with last/before: every original row once, back to the very first row', async () => {
  const originals = keys();
  const known = new Set(originals);
  const seen: string[] = [];
  let cursor: string | null = null;
  let first: Page | undefined;
  for (;;) {
    const d: { computers: Page } = ok(await fx.api.gql(`query($b: String) { computers(last: 89, before: $b) { ${PAGE} } }`, { b: cursor }));
    const p = d.computers;
    first = p;
    seen.unshift(...p.edges.map(key));
    assert.equal(p.pageInfo.hasNextPage, cursor !== null);
    if (!p.pageInfo.hasPreviousPage) break;
    cursor = p.pageInfo.startCursor;
    insertAround(p.edges[0]!.node.name);
  }
  assert.deepEqual(seen.filter((k) => known.has(k)), originals, 'originals: none skipped, none repeated, in order');
  assert.equal(new Set(seen).size, seen.length, 'no row twice');
  assert.equal(key(first!.edges[0]!), keys()[0], 'walked back to the current first row');
  assert.ok(!seen.some((k) => k.startsWith('ZZZ-NEW') && !known.has(k)), 'rows inserted behind the cursor are not revisited');
  assert.ok(seen.some((k) => k.startsWith('AAA-NEW') && !known.has(k)), 'rows inserted ahead of the cursor are reached');
});

test('a cursor outlives its row; after+before bound a window; first: 0', async () => {
  const d = ok(await fx.api.gql(`{ computers(first: 10) { ${PAGE} } }`));
  const e = d.computers.edges;
  rw().prepare('DELETE FROM vComputer WHERE Guid = ?').run(e[2].node.guid);
  const w = ok(await fx.api.gql(`query($a: String, $b: String) { computers(after: $a, before: $b) { ${PAGE} } }`, { a: e[2].cursor, b: e[6].cursor }));
  assert.deepEqual(w.computers.edges.map((x: any) => x.node.name), e.slice(3, 6).map((x: any) => x.node.name));
  const z = ok(await fx.api.gql('{ computers(first: 0) { edges { cursor } pageInfo { hasNextPage startCursor endCursor } totalCount } }'));
  assert.deepEqual(z.computers.edges, []);
  assert.deepEqual(z.computers.pageInfo, { hasNextPage: true, startCursor: null, endCursor: null });
  assert.ok(z.computers.totalCount > 0);
});

test('newest-first lists page by time and id; newer rows wait for the next walk', async () => {
  const total = (rw().prepare('SELECT COUNT(*) AS n FROM gatewatch_AgentMessage').get() as { n: number }).n;
  const ids: string[] = [];
  let cursor: string | null = null;
  let nextId = (rw().prepare('SELECT MAX(Id) AS m FROM gatewatch_AgentMessage').get() as { m: number }).m + 1;
  for (;;) {
    const d: any = ok(await fx.api.gql('query($a: String) { agentMessages(first: 40, after: $a) { edges { node { id raisedAt } } pageInfo { hasNextPage endCursor } } }', { a: cursor }));
    ids.push(...d.agentMessages.edges.map((x: any) => x.node.id));
    if (!d.agentMessages.pageInfo.hasNextPage) break;
    cursor = d.agentMessages.pageInfo.endCursor;
    // A new message (newest of all) and one with the same timestamp as the cursor row but a higher id.
    const last = d.agentMessages.edges.at(-1).node;
    for (const at of [DEMO_NOW.toISOString(), last.raisedAt]) {
      rw().prepare(`INSERT INTO gatewatch_AgentMessage (Id, MessageTypeId, Component, Priority, Type, Computer, Text, RaisedAt)
        VALUES (?, '92A3B4C5-D6E7-4F80-9112-23344556677A', 'Update.exe', 0, 1, 'PC', 'new', ?)`).run(nextId++, at);
    }
  }
  assert.equal(new Set(ids).size, ids.length, 'no duplicates');
  assert.equal(ids.filter((id) => Number(id) <= total).length, total, 'every original message');
  assert.ok(!ids.some((id) => Number(id) > total), 'newer messages (ahead of the walk in time) are not mixed in');
});
