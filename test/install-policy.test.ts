// npm 12 runs no dependency install script unless package.json's allowScripts approves it, and the
// quick start breaks silently when better-sqlite3's native build is skipped. The policy must decide
// every locked package that has an install script (a new one needs a reviewed decision), approve only
// those the app needs, and stay name-only so npm 11 and 12 read it alike. .ci/run proves the install
// itself with both npms (scripts/check-npm-install.sh).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'));
const pkg = read('package.json') as { allowScripts?: Record<string, boolean>; engines: { node: string } };
const lock = read('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };

const withScripts = Object.entries(lock.packages)
  .filter(([path, p]) => path && p.hasInstallScript)
  .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
  .sort();

test('allowScripts decides exactly the locked packages that have install scripts', () => {
  assert.ok(pkg.allowScripts, 'package.json has an allowScripts field');
  assert.deepEqual(Object.keys(pkg.allowScripts).sort(), withScripts);
});

test('only better-sqlite3 (its native binding) may run its install script', () => {
  const approved = Object.entries(pkg.allowScripts ?? {}).filter(([, ok]) => ok === true).map(([name]) => name);
  assert.deepEqual(approved, ['better-sqlite3']);
  for (const [name, ok] of Object.entries(pkg.allowScripts ?? {})) assert.equal(typeof ok, 'boolean', `${name}: true or false`);
});

test('engines keeps Node 20 for development machines', () => {
  assert.match(pkg.engines.node, /^>=20(\.|$)/);
});
