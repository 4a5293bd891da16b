// cemSummary must agree with Broadcom's own SQL (KB 187342 query over vComputer,
// Inv_AeX_AC_Network_Zone and Inv_AeX_AC_InternetGatewayDetails), run verbatim on the demo file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { buildDemoInventory } from '../src/demo/generate.js';
import { startServer, type RunningServer } from '../src/http/server.js';
import { openInventory, type Inventory } from '../src/inventory/index.js';
import { gql } from './helpers/cli.js';

/** The query exactly as Broadcom's ITMS CEM article (KB 187342) prints it, kept in queries/reference/. */
const kbQuery = () => readFileSync(new URL('../queries/reference/kb187342-cem-connection-state.sql', import.meta.url), 'utf8');

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-kb187342-'));
const path = join(dir, 'demo.sqlite');
let inventory: Inventory;
let server: RunningServer;

before(async () => {
  await buildDemoInventory(path, { computers: 2500, seed: 5 });
  inventory = openInventory({ kind: 'sqlite', path });
  server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: true });
});
after(async () => {
  await server.close();
  await inventory.close();
  rmSync(dir, { recursive: true, force: true });
});

test("cemSummary's totals equal the counts of the KB 187342 SQL query", async () => {
  const db = new Database(path, { readonly: true });
  type KbRow = { ResourceGuid: string; 'Connectivity State': string; 'Assigned Internet Gateway': string | null; 'Is Current Gateway': number | null };
  const rows = db.prepare(kbQuery()).all() as KbRow[];
  db.close();
  // The query lists a computer once per assigned gateway: count computers, not rows.
  const state = new Map(rows.map((r) => [r.ResourceGuid, r['Connectivity State']]));
  const internet = [...state.values()].filter((s) => s === 'CEM Mode Active (Internet Gateway)').length;
  const byGateway = new Map<string, number>();
  for (const r of rows) {
    if (r['Is Current Gateway'] === 1) byGateway.set(r['Assigned Internet Gateway']!, (byGateway.get(r['Assigned Internet Gateway']!) ?? 0) + 1);
  }

  const { body } = await gql(server.url, '{ cemSummary { total internet lan byGateway { gateway count } } }');
  assert.equal(body.errors, undefined);
  const s = body.data.cemSummary;
  assert.equal(s.total, state.size);
  assert.equal(s.internet, internet);
  assert.equal(s.lan, state.size - internet);
  assert.ok(internet > 0 && s.lan > 0);
  const got = new Map<string, number>(s.byGateway.map((g: { gateway: string; count: number }) => [g.gateway, g.count]));
  assert.deepEqual(got, byGateway);
});
