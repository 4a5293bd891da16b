// The demo's planted gateway problems as a reader of the dashboards meets them: each problem
// gateway carries enough Internet agents to show, the same seed puts the same agents there, and
// every signal a problem touches agrees with it (test/helpers/demo-realism.ts lists the rules).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { buildDemoInventory } from '../src/demo/generate.js';
import { contradictions } from './helpers/demo-realism.js';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const dir = mkdtempSync(join(tmpdir(), 'gatewatch-demo-realism-'));
const build = (name: string, seed: number) => buildDemoInventory(join(dir, name), { computers: 2000, seed, now: NOW }).then((s) => new Database(s.path, { readonly: true }));
let db: Database.Database;
let again: Database.Database;

before(async () => {
  db = await build('a.sqlite', 42);
  again = await build('b.sqlite', 42);
});
after(() => {
  db?.close();
  again?.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = (sql: string, ...args: unknown[]) => Number(db.prepare(sql).pluck().get(...args));

test('the planted gateway problems agree with every signal they touch, and each shows on 3 % or more of the Internet agents', () => {
  assert.deepEqual(contradictions(db, NOW), []);
  // nyc out of Troubleshooting mode still denies; dub says why it refuses; registered ams never says that.
  assert.ok(count(`SELECT COUNT(*) FROM gatewatch_Denial WHERE Gateway = 'igw-nyc-01.corp.example'`) > 0);
  assert.ok(count(`SELECT COUNT(*) FROM gatewatch_Denial WHERE Gateway = 'igw-dub-01.corp.example' AND Reason = 'gateway_not_registered'`) >= 10);
  assert.equal(count(`SELECT COUNT(*) FROM gatewatch_Denial WHERE Gateway = 'igw-ams-01.corp.example' AND Reason = 'gateway_not_registered'`), 0);
});

test('the same seed puts the same computers behind the problem gateways', () => {
  const behind = (x: Database.Database) => JSON.stringify(x.prepare(`SELECT _ResourceGuid, Gateway FROM Inv_AeX_AC_InternetGatewayDetails WHERE [Current] = 1 ORDER BY 1, 2`).all());
  assert.equal(behind(again), behind(db));
});
