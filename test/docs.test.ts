// The docs a DBA adapts the SQL from must name every dataset, column and table the code uses.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DATASETS } from '../src/inventory/datasets.js';
import { TABLES } from '../src/inventory/tables.js';

const doc = readFileSync(new URL('../docs/inventory.md', import.meta.url), 'utf8');

test('docs/inventory.md documents every dataset with all its parameters and result columns', () => {
  for (const [name, def] of Object.entries(DATASETS)) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
    assert.ok(row, `dataset ${name} has a row in docs/inventory.md`);
    for (const p of Object.keys(def.params)) assert.ok(row.includes(`\`${p}\``), `${name}: parameter ${p} documented`);
    for (const [c, spec] of Object.entries(def.columns)) {
      const shown = spec.endsWith('?') ? `\`${c}?\`` : `\`${c}\``;
      assert.ok(row.includes(shown), `${name}: column ${shown} documented`);
    }
  }
});

test('docs/inventory.md documents every table and column the datasets read', () => {
  for (const t of TABLES) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${t.name}\` |`));
    assert.ok(row, `table ${t.name} documented`);
    for (const c of t.columns) assert.ok(row.includes(c.name), `${t.name}.${c.name} documented`);
  }
});

test('every SQL file under queries/sql belongs to a dataset, and every dataset has its file', () => {
  const files = readdirSync(new URL('../queries/sql/', import.meta.url)).sort();
  assert.deepEqual(files, Object.values(DATASETS).map((d) => d.file).sort());
});
