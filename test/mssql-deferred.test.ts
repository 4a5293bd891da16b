// The SQL Server driver (mssql + tedious, ~33 MB) loads only when a SQL Server inventory is used: a
// server on SQLite never carries it, and a SQL Server target still connects and reports as before.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { isInventoryError } from '../src/inventory/errors.js';
import { openInventory, parseDbUrl } from '../src/inventory/index.js';

/** The number of tedious modules loaded after `script` ran in a fresh process. */
function tediousModulesAfter(script: string): number {
  const probe = `${script}
const { createRequire } = await import('node:module');
console.log(Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('/tedious/')).length);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim().split('\n').at(-1));
}

test('the CLI and a SQLite inventory never load mssql; a SQL Server target does', () => {
  const sqlite = `await import('./src/commands.ts'); await import('./src/http/server.ts');
const { openInventory } = await import('./src/inventory/index.ts');
await openInventory({ kind: 'sqlite', path: 'no-such.sqlite' }).ping().catch(() => {});`;
  assert.equal(tediousModulesAfter(sqlite), 0);
  const mssql = `const { openInventory, parseDbUrl } = await import('./src/inventory/index.ts');
await openInventory(parseDbUrl('mssql://u:p@127.0.0.1:1/db?connectTimeout=1000')).ping().catch(() => {});`;
  assert.ok(tediousModulesAfter(mssql) > 0, 'the probe sees tedious once SQL Server is used');
});

test('a SQL Server target loads its driver on first use and classifies its errors as before', async () => {
  const inventory = openInventory(parseDbUrl('mssql://u:secret-pw@127.0.0.1:1/db?connectTimeout=1000'));
  try {
    assert.equal(inventory.dialect, 'mssql');
    assert.match(inventory.description, /127\.0\.0\.1/);
    assert.doesNotMatch(inventory.description, /secret-pw/);
    const error = await inventory.ping().then(() => undefined, (e: unknown) => e);
    assert.ok(isInventoryError(error), String(error));
    assert.equal(error.code, 'UNREACHABLE');
    assert.match(error.message, /cannot reach SQL Server 127\.0\.0\.1:1/);
  } finally {
    await inventory.close();
  }
});
