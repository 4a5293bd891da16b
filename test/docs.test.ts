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

// The numbers the README and the architecture notes state are the code's: a change to a default fails
// here until the docs say it too.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const architecture = readFileSync(new URL('../docs/ARCHITECTURE.md', import.meta.url), 'utf8');

test('README and ARCHITECTURE state the collector timeout and the refresh interval the code uses', async () => {
  const { DEFAULT_REFRESH_SECONDS, DEFAULT_COLLECTOR_TIMEOUT_MS } = await import('../src/metrics/refresher.js');
  const timeout = DEFAULT_COLLECTOR_TIMEOUT_MS / 1000;
  assert.ok(readme.includes(`Each read has a ${timeout} s timeout`), `README: collector timeout ${timeout} s`);
  assert.ok(architecture.includes(`within its timeout (${timeout} s`), `ARCHITECTURE: collector timeout ${timeout} s`);
  for (const [doc, text] of [['README', readme], ['ARCHITECTURE', architecture]] as const) {
    for (const [, a, b] of text.matchAll(/(\d+) s timeout|timeout \((\d+) s/g)) assert.equal(Number(a ?? b), timeout, `${doc} states another collector timeout`);
  }
  assert.ok(readme.includes(`each every ${DEFAULT_REFRESH_SECONDS} s`), `README: refresh interval ${DEFAULT_REFRESH_SECONDS} s`);
  assert.ok(architecture.includes(`(${DEFAULT_REFRESH_SECONDS} s by default`), `ARCHITECTURE: refresh interval ${DEFAULT_REFRESH_SECONDS} s`);
  assert.match(readme, /Do not scrape more often than the\s+refresh interval/, 'README: scrape interval no shorter than the metrics refresh');
});

test('README and docs/inventory.md state the number of slices the fleet diagnosis runs in', async () => {
  const { FLEET_SLICES } = await import('../src/diagnosis/run.js');
  const inventoryDoc = readFileSync(new URL('../docs/inventory.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(`as ${FLEET_SLICES} \`GROUP BY\`s over slices of GUIDs`), `README: ${FLEET_SLICES} slices`);
  assert.match(inventoryDoc, new RegExp(`${FLEET_SLICES} slices summed`), `docs/inventory.md: ${FLEET_SLICES} slices`);
  assert.ok(architecture.includes(`slice of GUIDs, ${FLEET_SLICES} summed`), `ARCHITECTURE: ${FLEET_SLICES} slices`);
});

test('the compose stack scrapes no faster than gatewatch refreshes', async () => {
  const { DEFAULT_REFRESH_SECONDS, DEFAULT_COLLECTOR_TIMEOUT_MS } = await import('../src/metrics/refresher.js');
  const prom = readFileSync(new URL('../deploy/prometheus/prometheus.yml', import.meta.url), 'utf8');
  const seconds = (key: string) => Number(new RegExp(`^\\s*${key}: (\\d+)s\\b`, 'm').exec(prom)?.[1]);
  assert.ok(seconds('scrape_interval') >= DEFAULT_REFRESH_SECONDS, `scrape_interval ${seconds('scrape_interval')}s < ${DEFAULT_REFRESH_SECONDS} s`);
  assert.match(prom, new RegExp(`gatewatch refreshes each dataset every ${DEFAULT_REFRESH_SECONDS} s`));
  assert.match(prom, new RegExp(`gatewatch's ${DEFAULT_COLLECTOR_TIMEOUT_MS / 1000} s per-collector timeout`));
});

test('.env.example describes the demo CMDB load the compose file runs', () => {
  const env = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const compose = readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8');
  const ifEmpty = /command: \[[^\]]*"--if-empty"/.test(compose);
  assert.equal(/reloaded on every `up`/.test(env), !ifEmpty, '.env.example: reload on every `up` only without --if-empty');
  if (ifEmpty) assert.match(env, /first `up`/);
});
