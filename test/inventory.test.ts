// The inventory layer on a real SQLite demo file: every dataset, paging, batch look-ups, counting,
// and what happens when tables or the file itself are missing.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { buildDemoInventory } from '../src/demo/generate.js';
import { DATASET_NAMES } from '../src/inventory/datasets.js';
import { InventoryError } from '../src/inventory/errors.js';
import { openInventory, type Inventory } from '../src/inventory/index.js';
import { DEFAULT_QUERIES_DIR, MAX_KEYS_PER_STATEMENT } from '../src/inventory/inventory.js';
import { containsPattern } from '../src/inventory/sql-wrap.js';
import { withStatementScope } from '../src/inventory/stats.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-inventory-'));
const path = join(dir, 'demo.sqlite');
let inv: Inventory;
let raw: Database.Database;
const scalar = (sql: string, ...args: unknown[]) => Number(Object.values(raw.prepare(sql).get(...args) as object)[0]);

before(async () => {
  await buildDemoInventory(path, { computers: 3000, seed: 7, now: new Date('2026-11-25T12:00:00Z') });
  inv = openInventory({ kind: 'sqlite', path });
  raw = new Database(path, { readonly: true });
});
after(async () => {
  await inv.close();
  raw.close();
  rmSync(dir, { recursive: true, force: true });
});

test('every dataset is available on the demo inventory and returns rows of its declared types', async () => {
  const statuses = await inv.check();
  assert.deepEqual(statuses.filter((s) => !s.available), []);
  assert.equal(statuses.length, DATASET_NAMES.length);
  for (const name of DATASET_NAMES) {
    if (name === 'computers' || name === 'gateway_assignments' || name === 'agent_messages' || name === 'access_requests') continue;
    assert.ok((await inv.all(name)).length > 0, `${name} returns rows`);
  }
  const [relay] = await inv.all('relays');
  assert.equal(typeof relay!.Online, 'boolean');
  assert.ok(relay!.LastPing instanceof Date);
  assert.equal(typeof relay!.CacheFreeBytes, 'number');
});

test('filtered counts equal the same counts taken straight from the tables', async () => {
  const managed = scalar('SELECT COUNT(*) FROM vComputer WHERE IsManaged = 1');
  assert.equal(await inv.count('computers', { managed: true }), managed);
  assert.equal(await inv.count('computers'), scalar('SELECT COUNT(*) FROM vComputer'));
  const internet = scalar(
    'SELECT COUNT(*) FROM vComputer vc JOIN Inv_AeX_AC_Network_Zone nz ON nz._ResourceGuid = vc.Guid WHERE vc.IsManaged = 1 AND nz.IsOnInternet = 1',
  );
  assert.equal(await inv.count('computers', { managed: true, isOnInternet: true }), internet);
  assert.ok(internet > 0 && internet < managed);
  const http = scalar('SELECT COUNT(*) FROM vComputer vc JOIN Inv_AeX_AC_Network_Zone nz ON nz._ResourceGuid = vc.Guid WHERE vc.IsManaged = 1 AND nz.HTTPSMode = 0');
  assert.equal(await inv.count('computers', { managed: true, httpsMode: false }), http);
  const ephemeral = scalar("SELECT COUNT(*) FROM vComputer vc JOIN gatewatch_AgentAuth a ON a._ResourceGuid = vc.Guid WHERE vc.IsManaged = 1 AND a.AuthType = 'ephemeral'");
  assert.equal(await inv.count('computers', { managed: true, auth: 'ephemeral' }), ephemeral);
  const [gw] = await inv.all('gateways');
  const onGw = scalar('SELECT COUNT(*) FROM vComputer vc JOIN Inv_AeX_AC_InternetGatewayDetails g ON g._ResourceGuid = vc.Guid AND g."Current" = 1 WHERE vc.IsManaged = 1 AND g.Gateway = ?', gw!.Name);
  assert.equal(await inv.count('computers', { managed: true, gateway: gw!.Name }), onGw);
});

test('a page walk forwards and backwards visits every computer once, in order', async () => {
  const total = await inv.count('computers', {});
  const seen: string[] = [];
  let afterKey: (string | number | Date)[] | undefined;
  for (;;) {
    const p = await inv.page('computers', {}, { order: 'NAME', direction: 'ASC', first: 700, after: afterKey });
    seen.push(...p.rows.map((r) => r.Guid));
    if (!p.hasNextPage) break;
    const last = p.rows.at(-1)!;
    afterKey = [last.Name, last.Guid];
  }
  assert.equal(seen.length, total);
  assert.equal(new Set(seen).size, total);
  const back: string[] = [];
  let beforeKey: (string | number | Date)[] | undefined;
  for (;;) {
    const p = await inv.page('computers', {}, { order: 'NAME', direction: 'ASC', last: 700, before: beforeKey });
    back.unshift(...p.rows.map((r) => r.Guid));
    if (!p.hasPreviousPage) break;
    const first = p.rows[0]!;
    beforeKey = [first.Name, first.Guid];
  }
  assert.deepEqual(back, seen);
});

test('descending keyset pages over timestamps are newest first and do not overlap', async () => {
  const p1 = await inv.page('agent_messages', {}, { order: 'NEWEST', direction: 'DESC', first: 10 });
  const last = p1.rows.at(-1)!;
  const p2 = await inv.page('agent_messages', {}, { order: 'NEWEST', direction: 'DESC', first: 10, after: [last.RaisedAt, last.Id] });
  const times = [...p1.rows, ...p2.rows].map((r) => r.RaisedAt.getTime());
  assert.deepEqual(times, [...times].sort((a, b) => b - a));
  assert.equal(new Set([...p1.rows, ...p2.rows].map((r) => r.Id)).size, 20);
});

test('batch look-ups are chunked under the 2100-parameter limit and return every key', async () => {
  const guids = (raw.prepare('SELECT Guid FROM vComputer LIMIT 2500').all() as { Guid: string }[]).map((r) => r.Guid);
  const keys = [...guids, ...guids.slice(0, 100), '00000000-0000-0000-0000-000000000000', 'not-a-guid', "'; --"];
  const before = inv.stats.byDataset.get('computers') ?? 0;
  const rows = await inv.byKeys('computers', 'Guid', keys.map((k) => k.toLowerCase()));
  assert.equal(inv.stats.byDataset.get('computers')! - before, Math.ceil(2501 / MAX_KEYS_PER_STATEMENT));
  assert.deepEqual(new Set(rows.map((r) => r.Guid)), new Set(guids));
});

test('statements are counted per scope, however deep the calls', async () => {
  const counted = await withStatementScope(async (s) => {
    await Promise.all([inv.all('gateways'), inv.count('computers'), inv.all('cem_summary')]);
    return s.statements;
  });
  assert.equal(counted, 3);
});

test('values are parameters: SQL and LIKE metacharacters match literally', async () => {
  for (const evil of ["'; DROP TABLE vComputer; --", '%', '_', '[a-z]']) {
    assert.equal(await inv.count('computers', { namePattern: containsPattern(evil) }), 0, evil);
  }
  assert.ok(scalar('SELECT COUNT(*) FROM vComputer') > 0);
  const [one] = await inv.page('computers', {}, { order: 'NAME', direction: 'ASC', first: 1 }).then((p) => p.rows);
  assert.equal(await inv.count('computers', { namePattern: containsPattern(one!.Name.toLowerCase()) }), 1);
});

test('a missing table makes its datasets unavailable by name, the others keep working', async () => {
  const copy = join(dir, 'no-relays.sqlite');
  copyFileSync(path, copy);
  const db = new Database(copy);
  db.exec('DROP TABLE gatewatch_Relay');
  db.close();
  const broken = openInventory({ kind: 'sqlite', path: copy });
  const statuses = await broken.check();
  assert.deepEqual(statuses.filter((s) => !s.available).map((s) => s.dataset), ['relays', 'diagnosis_facts']);
  await assert.rejects(broken.all('relays'), (e: unknown) => e instanceof InventoryError && e.code === 'DATASET_UNAVAILABLE' && /relays/.test(e.message));
  assert.ok((await broken.all('gateways')).length > 0);
  await broken.close();
});

test('an unreachable file is an error per call, and the next call after it returns succeeds', async () => {
  const moved = join(dir, 'moved.sqlite');
  const later = openInventory({ kind: 'sqlite', path: moved });
  await assert.rejects(later.ping(), (e: unknown) => e instanceof InventoryError && e.code === 'UNREACHABLE');
  copyFileSync(path, join(dir, 'staging.sqlite'));
  renameSync(join(dir, 'staging.sqlite'), moved);
  await later.ping();
  assert.ok((await later.all('gateways')).length > 0);
  await later.close();
});

test('a computer with two "current" gateways is still one computer, under the first gateway by name', async () => {
  const copy = join(dir, 'two-current.sqlite');
  copyFileSync(path, copy);
  const db = new Database(copy);
  const victim = db.prepare('SELECT _ResourceGuid AS g, Gateway FROM Inv_AeX_AC_InternetGatewayDetails WHERE "Current" = 1 LIMIT 1').get() as { g: string; Gateway: string };
  db.prepare('INSERT INTO Inv_AeX_AC_InternetGatewayDetails VALUES (?, ?, 443, 1, NULL)').run(victim.g, 'aaa-first.corp.example');
  db.close();
  const twice = openInventory({ kind: 'sqlite', path: copy });
  assert.equal(await twice.count('computers'), await inv.count('computers'));
  const rows = await twice.byKeys('computers', 'Guid', [victim.g]);
  assert.deepEqual(rows.map((r) => r.CurrentGateway), ['aaa-first.corp.example']);
  const byGw = await twice.all('computers_by_gateway');
  assert.equal(byGw.reduce((n, r) => n + r.Computers, 0), (await inv.all('computers_by_gateway')).reduce((n, r) => n + r.Computers, 0));
  await twice.close();
});

test('timestamps stored in another spelling are refused by name, not mis-paged', async () => {
  const copy = join(dir, 'zoneless.sqlite');
  copyFileSync(path, copy);
  const db = new Database(copy);
  db.prepare("UPDATE gatewatch_AgentMessage SET RaisedAt = replace(replace(RaisedAt, 'T', ' '), 'Z', '')").run();
  db.close();
  const broken = openInventory({ kind: 'sqlite', path: copy });
  await assert.rejects(
    broken.page('agent_messages', {}, { order: 'NEWEST', direction: 'DESC', first: 5 }),
    (e: unknown) => e instanceof InventoryError && e.code === 'CONTRACT_VIOLATION' && /column RaisedAt holds "\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+"/.test(e.message),
  );
  await broken.close();
});

test('a dataset whose SQL file is missing from the queries directory is unavailable alone', async () => {
  const queries = join(dir, 'partial-queries');
  cpSync(DEFAULT_QUERIES_DIR, queries, { recursive: true });
  rmSync(join(queries, 'relays.sql'));
  const partial = openInventory({ kind: 'sqlite', path }, { queriesDir: queries });
  const statuses = await partial.check();
  assert.deepEqual(
    statuses.filter((s) => !s.available).map((s) => [s.dataset, /relays\.sql: no such file/.test(s.error ?? '')]),
    [['relays', true]],
  );
  await assert.rejects(partial.all('relays'), (e: unknown) => e instanceof InventoryError && e.code === 'DATASET_UNAVAILABLE');
  await partial.probe('computers');
  await partial.close();
});
